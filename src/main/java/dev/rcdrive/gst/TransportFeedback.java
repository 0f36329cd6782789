package dev.rcdrive.gst;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.rcdrive.gst.GLib.GObjectApi;
import dev.rcdrive.gst.GLib.GstApi;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Transport-wide congestion-control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 * on the car's video: every packet carries a transport-wide sequence number, and the driver's
 * libwebrtc (or browser) says every 50–100 ms which packets arrived and when. GStreamer's RTP
 * session numbers the packets when the caps name the extension, and sums the feedback up as its
 * {@code twcc-stats} over a window of a few hundred ms: the rate sent, the rate that arrived, the
 * share lost. Receiver reports come once a second; this tells a filling uplink within a few hundred
 * ms ({@link BitrateControl#onTransportFeedback}).
 *
 * @param sentKbps what the car sent in the window
 * @param arrivedKbps what reached the driver in the window
 * @param lossFraction the share of the window's packets that did not arrive (0–1)
 * @param packetsSent the window's packet count (tells one window from the next)
 */
record TransportFeedback(
    double sentKbps, double arrivedKbps, double lossFraction, double packetsSent) {

  static final String URI =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

  /**
   * The caps fields that make webrtcbin number the video's packets with extension {@code id} and
   * answer that the driver's feedback is welcome ({@code a=rtcp-fb:PT transport-cc}).
   */
  static String capsField(int id) {
    return ",extmap-" + id + "=(string)\"" + URI + "\",rtcp-fb-transport-cc=(boolean)true";
  }

  /**
   * The latest window from webrtcbin's RTP session (the bundle's, session 0 or the first of the
   * {@code sessions} that has one); null before the first feedback.
   */
  static TransportFeedback read(Bin webrtcbin, int sessions) {
    Element rtpbin = webrtcbin.getElementByName("rtpbin");
    if (rtpbin == null) {
      return null;
    }
    for (int id = 0; id < Math.max(1, sessions); id++) {
      PointerByReference session = new PointerByReference();
      GObjectApi.API.g_signal_emit_by_name(
          Natives.getRawPointer(rtpbin), "get-session", id, session);
      if (session.getValue() == null) {
        continue;
      }
      try {
        TransportFeedback window = fromSession(session.getValue());
        if (window != null) {
          return window;
        }
      } finally {
        GObjectApi.API.g_object_unref(session.getValue());
      }
    }
    return null;
  }

  private static TransportFeedback fromSession(Pointer session) {
    PointerByReference stats = new PointerByReference();
    GObjectApi.API.g_object_get(session, "twcc-stats", stats, null);
    Pointer s = stats.getValue();
    if (s == null) {
      return null;
    }
    try {
      return from(s);
    } finally {
      GstApi.API.gst_structure_free(s);
    }
  }

  /** The window in a {@code twcc-stats} structure; null when it counts no packet sent. */
  static TransportFeedback from(Pointer stats) {
    double packets = GLib.numberField(stats, "packets-sent");
    double sent = GLib.numberField(stats, "bitrate-sent");
    double arrived = GLib.numberField(stats, "bitrate-recv");
    double lossPercent = GLib.numberField(stats, "packet-loss-pct");
    if (!(packets > 0) || Double.isNaN(sent) || Double.isNaN(arrived)) {
      return null;
    }
    return new TransportFeedback(
        sent / 1000,
        arrived / 1000,
        Double.isNaN(lossPercent) ? 0 : Math.max(0, Math.min(1, lossPercent / 100)),
        packets);
  }
}
