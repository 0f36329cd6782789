package dev.rcdrive.gst;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The few GLib/GObject calls gst1-java-core does not wrap: webrtcbin's data channels are plain
 * GObjects with signals ({@code on-open}, {@code on-message-data}, {@code send-data}) that carry
 * {@code GBytes}. Loaded from the system's GLib, which GStreamer itself uses.
 */
final class GLib {

  private GLib() {}

  interface GObjectApi extends Library {
    GObjectApi API = Native.load("gobject-2.0", GObjectApi.class);

    NativeLong g_signal_connect_data(
        Pointer instance,
        String signal,
        Callback handler,
        Pointer data,
        Pointer destroy,
        int flags);

    void g_signal_handler_disconnect(Pointer instance, NativeLong handlerId);

    void g_signal_emit_by_name(Pointer instance, String signal, Object... args);

    void g_object_get(Pointer object, String property, Object... rest);

    Pointer g_object_ref(Pointer object);

    void g_object_unref(Pointer object);
  }

  interface GLibApi extends Library {
    GLibApi API = Native.load("glib-2.0", GLibApi.class);

    Pointer g_bytes_new(byte[] data, NativeLong size);

    Pointer g_bytes_get_data(Pointer bytes, NativeLongByReference size);

    void g_bytes_unref(Pointer bytes);

    void g_free(Pointer memory);
  }

  /** {@code void (*)(GObject *self, gpointer user_data)}: on-open, on-close. */
  interface VoidSignal extends Callback {
    void invoke(Pointer self, Pointer userData);
  }

  /** {@code void (*)(GObject *self, gpointer arg, gpointer user_data)}. */
  interface PointerSignal extends Callback {
    void invoke(Pointer self, Pointer arg, Pointer userData);
  }

  /** The bytes of a GBytes (borrowed: not unreferenced). */
  static byte[] bytes(Pointer gbytes) {
    if (gbytes == null) {
      return new byte[0];
    }
    NativeLongByReference size = new NativeLongByReference();
    Pointer data = GLibApi.API.g_bytes_get_data(gbytes, size);
    int length = (int) size.getValue().longValue();
    return data == null || length == 0 ? new byte[0] : data.getByteArray(0, length);
  }

  /** A string property of a GObject. */
  static String stringProperty(Pointer object, String name) {
    com.sun.jna.ptr.PointerByReference out = new com.sun.jna.ptr.PointerByReference();
    GObjectApi.API.g_object_get(object, name, out, null);
    Pointer value = out.getValue();
    if (value == null) {
      return null;
    }
    String text = value.getString(0, "UTF-8");
    GLibApi.API.g_free(value);
    return text;
  }

  /** An int or enum property of a GObject. */
  static int intProperty(Pointer object, String name) {
    com.sun.jna.ptr.IntByReference out = new com.sun.jna.ptr.IntByReference();
    GObjectApi.API.g_object_get(object, name, out, null);
    return out.getValue();
  }
}
