package dev.rcdrive.gst;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
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
 * ms ({@link BitrateControl#onTransportFeedback}). The session also sends every feedback's packets,
 * with their send and arrival times, upstream as an {@link #PACKETS_EVENT} event: {@link
 * #readPackets} hands them to {@link QueueDelay}, which tells the queue itself.
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

  /**
   * The upstream event GStreamer's RTP session sends towards the payloader with each feedback
   * packet: every packet it covers, when it was sent and when (or whether) it arrived.
   */
  static final String PACKETS_EVENT = "RTPTWCCPackets";

  /**
   * Hands each packet that arrived, in an {@link #PACKETS_EVENT} structure, to {@code queue}; how
   * many it handed (0 for any other structure). Lost packets are skipped: they have no arrival.
   */
  static int readPackets(Pointer structure, QueueDelay queue) {
    if (structure == null || !PACKETS_EVENT.equals(GstApi.API.gst_structure_get_name(structure))) {
      return 0;
    }
    Pointer value = GstApi.API.gst_structure_get_value(structure, "packets");
    if (value == null
        || GLib.typeOf(value) != GObjectApi.API.g_value_array_get_type().longValue()) {
      return 0;
    }
    Pointer array = GObjectApi.API.g_value_get_boxed(value);
    int count = array == null ? 0 : array.getInt(0); // GValueArray.n_values
    int handed = 0;
    LongByReference sent = new LongByReference();
    LongByReference arrived = new LongByReference();
    IntByReference size = new IntByReference();
    IntByReference lost = new IntByReference();
    for (int i = 0; i < count; i++) {
      Pointer packet =
          GstApi.API.gst_value_get_structure(GObjectApi.API.g_value_array_get_nth(array, i));
      if (packet != null
          && GstApi.API.gst_structure_get_uint64(packet, "local-ts", sent)
          && GstApi.API.gst_structure_get_uint64(packet, "remote-ts", arrived)
          && GstApi.API.gst_structure_get_uint(packet, "size", size)
          && !(GstApi.API.gst_structure_get_boolean(packet, "lost", lost) && lost.getValue() != 0)
          && sent.getValue() >= 0
          && arrived.getValue() >= 0) { // GST_CLOCK_TIME_NONE reads as -1: not known
        queue.onPacket(sent.getValue(), arrived.getValue(), size.getValue());
        handed++;
      }
    }
    return handed;
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
