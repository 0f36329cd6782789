package dev.rcdrive.gst;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver's latest RTCP receiver report on the car's video, as webrtcbin's stats give it (a
 * {@code remote-inbound-rtp} entry): the fraction of packets lost since the report before, and the
 * round-trip time. Read from the stats' text form: gst1-java-core does not open nested structures.
 */
record ReceiverReport(double fractionLost, double rttMillis) {

  private static final Pattern ENTRY = Pattern.compile("remote-inbound-rtp[^;\"]*");
  private static final Pattern FRACTION =
      Pattern.compile("fraction-lost\\\\?=\\\\?\\(double\\\\?\\)([-0-9.eE+]+)");
  private static final Pattern RTT =
      Pattern.compile("round-trip-time\\\\?=\\\\?\\(double\\\\?\\)([-0-9.eE+]+)");

  /** The report in {@code stats} (webrtcbin's get-stats, as text); null when there is none yet. */
  static ReceiverReport from(String stats) {
    Matcher entry = ENTRY.matcher(stats);
    while (entry.find()) {
      String text = entry.group();
      Matcher fraction = FRACTION.matcher(text);
      if (!fraction.find()) {
        continue;
      }
      Matcher rtt = RTT.matcher(text);
      double rttSeconds = rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN;
      return new ReceiverReport(Double.parseDouble(fraction.group(1)), rttSeconds * 1000);
    }
    return null;
  }
}
