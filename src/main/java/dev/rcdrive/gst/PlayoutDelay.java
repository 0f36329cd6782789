package dev.rcdrive.gst;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.rcdrive.gst.GLib.GstApi;

/**
 * Asks the driver's receiver to show each frame as soon as it is decoded: the playout-delay RTP
 * header extension with min = max = 0 on every video packet. libwebrtc (the station, Chromium) then
 * skips its jitter buffer's target delay, of which 10 ms is a fixed render delay that no API of
 * webrtc-java reaches (docs/benchmarks.md, "The floor"). A frame still waits until it is complete,
 * so lost packets are retransmitted as before; what goes is the smoothing of jitter, which a driver
 * would rather not pay for in delay.
 *
 * <p>Written in a probe on the payloader's source pad: GStreamer 1.22 has no element for this
 * extension. It is announced in the answer through the {@code extmap-N} field of the caps webrtcbin
 * reads, with the id the driver's offer gave it.
 */
final class PlayoutDelay {

  static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

  /** min and max, 12 bits each, in 10 ms units: 0 and 0, "render as soon as decoded". */
  private static final byte[] ZERO = {0, 0, 0};

  /**
   * Whether the car sends it: yes, unless {@code -Drcdrive.playoutDelay=receiver} leaves the delay
   * to the receiver as before (the benchmarks' side-by-side rows).
   */
  static final boolean SENT = !"receiver".equals(System.getProperty("rcdrive.playoutDelay"));

  private PlayoutDelay() {}

  /** The extension's id for this link's packets: the offer's, or 0 (none) when not sent. */
  static int idFor(OfferedH264 offered) {
    return SENT ? offered.playoutDelayId() : 0;
  }

  interface RtpApi extends Library {
    RtpApi API = Native.load("gstrtp-1.0", RtpApi.class);

    boolean gst_rtp_buffer_map(Pointer buffer, int flags, Pointer rtp);

    void gst_rtp_buffer_unmap(Pointer rtp);

    boolean gst_rtp_buffer_add_extension_onebyte_header(
        Pointer rtp, byte id, byte[] data, int size);
  }

  /** GST_MAP_READ | GST_MAP_WRITE. */
  private static final int MAP_READWRITE = 3;

  /** Room for a GstRTPBuffer (496 bytes on 64-bit, less on 32-bit), zeroed as it must start. */
  private static final int RTP_BUFFER_SIZE = 1024;

  /** The caps field that makes webrtcbin's answer announce the extension with {@code id}. */
  static String capsField(int id) {
    return ",extmap-" + id + "=(string)\"" + URI + "\"";
  }

  /**
   * A probe for the payloader's source pad that adds the extension, as {@code id}, to each packet
   * (single buffers and the lists of a fragmented frame). Keep a reference while it is installed.
   */
  static GLib.PadProbe writer(int id) {
    byte extensionId = (byte) id;
    ThreadLocal<Memory> scratch =
        ThreadLocal.withInitial(() -> new Memory(RTP_BUFFER_SIZE)); // one per streaming thread
    return GLib.keepAttached(
        (pad, info, data) -> {
          int type = GLib.probeType(info);
          if ((type & (GLib.PROBE_BUFFER | GLib.PROBE_BUFFER_LIST)) == 0) {
            return GLib.PROBE_OK;
          }
          // A buffer or a list, made writable; the probe hands on what it was given.
          Pointer writable =
              GstApi.API.gst_mini_object_make_writable(info.getPointer(GLib.PROBE_INFO_DATA));
          info.setPointer(GLib.PROBE_INFO_DATA, writable);
          Memory rtp = scratch.get();
          if ((type & GLib.PROBE_BUFFER) != 0) {
            tag(writable, extensionId, rtp);
          } else {
            int packets = GstApi.API.gst_buffer_list_length(writable);
            for (int i = 0; i < packets; i++) {
              tag(GstApi.API.gst_buffer_list_get_writable(writable, i), extensionId, rtp);
            }
          }
          return GLib.PROBE_OK;
        });
  }

  private static void tag(Pointer buffer, byte id, Memory rtp) {
    rtp.clear();
    if (buffer != null && RtpApi.API.gst_rtp_buffer_map(buffer, MAP_READWRITE, rtp)) {
      RtpApi.API.gst_rtp_buffer_add_extension_onebyte_header(rtp, id, ZERO, ZERO.length);
      RtpApi.API.gst_rtp_buffer_unmap(rtp);
    }
  }
}
