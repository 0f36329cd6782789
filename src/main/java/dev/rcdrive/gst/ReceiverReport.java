package dev.rcdrive.gst;

import com.sun.jna.Pointer;

/**
 * The driver's latest RTCP receiver report on the car's video, as webrtcbin's stats give it (a
 * {@code remote-inbound-rtp} entry): the fraction of packets lost since the report before, and the
 * round-trip time; the cumulative loss and the jitter tell one report from the next (webrtcbin
 * gives the latest again until another arrives). gst1-java-core does not open nested structures, so
 * they are walked through GStreamer's C API ({@link GLib#nested}).
 */
record ReceiverReport(double fractionLost, double rttMillis, double packetsLost, double jitter) {

  /** The report in webrtcbin's stats structure; null when there is none yet. */
  static ReceiverReport from(Pointer stats) {
    for (Pointer entry : GLib.nested(stats, "remote-inbound-rtp")) {
      double fraction = GLib.doubleField(entry, "fraction-lost");
      if (Double.isNaN(fraction)) {
        continue;
      }
      double rttSeconds = GLib.doubleField(entry, "round-trip-time");
      return new ReceiverReport(
          fraction,
          rttSeconds * 1000,
          GLib.numberField(entry, "packets-lost"),
          GLib.doubleField(entry, "jitter"));
    }
    return null;
  }
}
