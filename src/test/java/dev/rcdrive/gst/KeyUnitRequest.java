package dev.rcdrive.gst;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Sends the upstream force-key-unit event that GStreamer's RTP session makes of a receiver's PLI or
 * FIR into an element's source pad, as the RTP session would (gst1-java-core has no such event).
 */
final class KeyUnitRequest {

  private KeyUnitRequest() {}

  interface Video extends Library {
    Video API = Native.load("gstvideo-1.0", Video.class);

    Pointer gst_video_event_new_upstream_force_key_unit(
        long runningTime, boolean allHeaders, int count);
  }

  interface Core extends Library {
    Core API = Native.load("gstreamer-1.0", Core.class);

    boolean gst_pad_send_event(Pointer pad, Pointer event);
  }

  private static final long CLOCK_TIME_NONE = -1L;

  static void sendUpstream(Element element) {
    Pointer event = Video.API.gst_video_event_new_upstream_force_key_unit(CLOCK_TIME_NONE, true, 0);
    Pointer pad = Natives.getRawPointer(element.getStaticPad("src"));
    Core.API.gst_pad_send_event(pad, event); // takes the event
  }
}
