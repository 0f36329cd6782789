package dev.rcdrive.gst;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.rcdrive.gst.GLib.GstApi;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Reads the RTP header of every packet leaving an element (single buffers and lists) and counts
 * those that carry a one-byte header extension element with a given id and value (RFC 8285).
 */
final class SentPackets {

  interface Core extends Library {
    Core API = Native.load("gstreamer-1.0", Core.class);

    NativeLong gst_buffer_extract(Pointer buffer, NativeLong offset, byte[] dest, NativeLong size);

    Pointer gst_buffer_list_get(Pointer list, int index);
  }

  private final int id;
  private final byte[] value;
  private final AtomicLong packets = new AtomicLong();
  private final AtomicLong tagged = new AtomicLong();
  private final GLib.PadProbe probe;

  private SentPackets(int id, byte[] value) {
    this.id = id;
    this.value = value.clone();
    this.probe =
        GLib.keepAttached(
            (pad, info, data) -> {
              int type = GLib.probeType(info);
              Pointer payload = info.getPointer(GLib.PROBE_INFO_DATA);
              if ((type & GLib.PROBE_BUFFER) != 0) {
                count(payload);
              } else if ((type & GLib.PROBE_BUFFER_LIST) != 0) {
                for (int i = 0; i < GstApi.API.gst_buffer_list_length(payload); i++) {
                  count(Core.API.gst_buffer_list_get(payload, i));
                }
              }
              return GLib.PROBE_OK;
            });
  }

  /** Starts counting what leaves {@code element}'s source pad. */
  static SentPackets watch(Element element, int id, byte[] value) {
    SentPackets sent = new SentPackets(id, value);
    GstApi.API.gst_pad_add_probe(
        Natives.getRawPointer(element.getStaticPad("src")),
        GLib.PROBE_BUFFER | GLib.PROBE_BUFFER_LIST,
        sent.probe,
        null,
        null);
    return sent;
  }

  long packets() {
    return packets.get();
  }

  long tagged() {
    return tagged.get();
  }

  private void count(Pointer buffer) {
    byte[] header = new byte[64];
    int length =
        (int)
            Core.API
                .gst_buffer_extract(buffer, new NativeLong(0), header, new NativeLong(64))
                .longValue();
    packets.incrementAndGet();
    if (carries(header, length)) {
      tagged.incrementAndGet();
    }
  }

  /** Whether the RTP header in {@code p} carries element {@code id} with {@code value}. */
  private boolean carries(byte[] p, int length) {
    if (length < 12 || (p[0] & 0x10) == 0) {
      return false; // no extension bit
    }
    int at = 12 + 4 * (p[0] & 0x0F); // past the CSRCs
    if (length < at + 4 || (p[at] & 0xFF) != 0xBE || (p[at + 1] & 0xFF) != 0xDE) {
      return false; // not one-byte headers
    }
    int end = at + 4 + 4 * (((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF));
    int i = at + 4;
    while (i < Math.min(end, length)) {
      int element = p[i] & 0xFF;
      if (element == 0) {
        i++; // padding
        continue;
      }
      int elementId = element >> 4;
      int size = (element & 0x0F) + 1;
      if (elementId == id && size == value.length && i + 1 + size <= length) {
        return java.util.Arrays.equals(java.util.Arrays.copyOfRange(p, i + 1, i + 1 + size), value);
      }
      i += 1 + size;
    }
    return false;
  }
}
