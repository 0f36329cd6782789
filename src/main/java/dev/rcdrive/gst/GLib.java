package dev.rcdrive.gst;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
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

    void g_object_set(Pointer object, String property, Object... rest);

    Pointer g_object_ref(Pointer object);

    void g_object_unref(Pointer object);

    NativeLong g_value_array_get_type();

    Pointer g_value_get_boxed(Pointer gvalue);

    Pointer g_value_array_get_nth(Pointer array, int index);
  }

  interface GLibApi extends Library {
    GLibApi API = Native.load("glib-2.0", GLibApi.class);

    Pointer g_bytes_new(byte[] data, NativeLong size);

    Pointer g_bytes_get_data(Pointer bytes, NativeLongByReference size);

    void g_bytes_unref(Pointer bytes);

    void g_free(Pointer memory);
  }

  /** GstStructure walking (webrtcbin's stats nest one structure per entry), and pad events. */
  interface GstApi extends Library {
    GstApi API = Native.load("gstreamer-1.0", GstApi.class);

    NativeLong gst_structure_get_type();

    int gst_structure_n_fields(Pointer structure);

    String gst_structure_nth_field_name(Pointer structure, int index);

    Pointer gst_structure_get_value(Pointer structure, String field);

    String gst_structure_get_name(Pointer structure);

    boolean gst_structure_get_double(
        Pointer structure, String field, com.sun.jna.ptr.DoubleByReference out);

    Pointer gst_value_get_structure(Pointer gvalue);

    boolean gst_structure_get_int(
        Pointer structure, String field, com.sun.jna.ptr.IntByReference out);

    boolean gst_structure_get_int64(
        Pointer structure, String field, com.sun.jna.ptr.LongByReference out);

    boolean gst_structure_get_uint(
        Pointer structure, String field, com.sun.jna.ptr.IntByReference out);

    void gst_structure_free(Pointer structure);

    boolean gst_structure_get_uint64(
        Pointer structure, String field, com.sun.jna.ptr.LongByReference out);

    boolean gst_structure_get_boolean(
        Pointer structure, String field, com.sun.jna.ptr.IntByReference out);

    Pointer gst_pad_probe_info_get_event(Pointer info);

    Pointer gst_event_get_structure(Pointer event);

    NativeLong gst_pad_add_probe(
        Pointer pad, int mask, PadProbe callback, Pointer userData, Pointer destroyData);

    Pointer gst_pad_probe_info_get_buffer(Pointer info);

    int gst_buffer_get_flags(Pointer buffer);

    Pointer gst_mini_object_make_writable(Pointer object);

    int gst_buffer_list_length(Pointer list);

    Pointer gst_buffer_list_get_writable(Pointer list, int index);
  }

  /** GST_PAD_PROBE_TYPE_BUFFER. */
  static final int PROBE_BUFFER = 1 << 4;

  /** GST_PAD_PROBE_TYPE_BUFFER_LIST. */
  static final int PROBE_BUFFER_LIST = 1 << 5;

  /** GST_PAD_PROBE_TYPE_EVENT_UPSTREAM. */
  static final int PROBE_EVENT_UPSTREAM = 1 << 7;

  /**
   * Where {@code data} (the buffer, list or event) sits in GstPadProbeInfo: after an enum and a
   * gulong.
   */
  static final long PROBE_INFO_DATA = 2L * Native.LONG_SIZE;

  /** GstPadProbeInfo's type: which of the PROBE_* kinds {@code data} is. */
  static int probeType(Pointer info) {
    return info.getInt(0);
  }

  /** GST_PAD_PROBE_OK: the data passes on. */
  static final int PROBE_OK = 1;

  /** GST_BUFFER_FLAG_DELTA_UNIT: not a keyframe. */
  static final int BUFFER_FLAG_DELTA_UNIT = 1 << 13;

  /** {@code GstPadProbeReturn (*)(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)}. */
  interface PadProbe extends Callback {
    int invoke(Pointer pad, Pointer info, Pointer userData);
  }

  /**
   * Keeps a streaming thread attached to the JVM after it first calls {@code callback}. JNA's
   * default attaches a native thread for each call and detaches it after: a new java.lang.Thread
   * every time, which made a per-frame probe cost more than the frame's packetizing and SRTP. JNA
   * detaches the thread when it ends.
   */
  static <T extends Callback> T keepAttached(T callback) {
    Native.setCallbackThreadInitializer(callback, STREAMING_THREAD);
    return callback;
  }

  private static final CallbackThreadInitializer STREAMING_THREAD =
      new CallbackThreadInitializer(true, false, "gst-streaming");

  /**
   * The structures nested in {@code structure} whose name is {@code name} (borrowed pointers, valid
   * while {@code structure} is).
   */
  static java.util.List<Pointer> nested(Pointer structure, String name) {
    java.util.List<Pointer> found = new java.util.ArrayList<>();
    long structureType = GstApi.API.gst_structure_get_type().longValue();
    int fields = GstApi.API.gst_structure_n_fields(structure);
    for (int i = 0; i < fields; i++) {
      Pointer value =
          GstApi.API.gst_structure_get_value(
              structure, GstApi.API.gst_structure_nth_field_name(structure, i));
      if (value == null || typeOf(value) != structureType) {
        continue;
      }
      Pointer inner = GstApi.API.gst_value_get_structure(value);
      if (inner != null && name.equals(GstApi.API.gst_structure_get_name(inner))) {
        found.add(inner);
      }
    }
    return found;
  }

  /** The GType a GValue holds: a GValue starts with it (a gsize, a C long on Linux). */
  static long typeOf(Pointer gvalue) {
    return gvalue.getNativeLong(0).longValue();
  }

  /** A double field of a structure; NaN when it has none. */
  static double doubleField(Pointer structure, String field) {
    com.sun.jna.ptr.DoubleByReference out = new com.sun.jna.ptr.DoubleByReference();
    return GstApi.API.gst_structure_get_double(structure, field, out) ? out.getValue() : Double.NaN;
  }

  /** An int, uint, int64 or double field of a structure as a double; NaN when it has none. */
  static double numberField(Pointer structure, String field) {
    com.sun.jna.ptr.IntByReference i = new com.sun.jna.ptr.IntByReference();
    if (GstApi.API.gst_structure_get_int(structure, field, i)) {
      return i.getValue();
    }
    if (GstApi.API.gst_structure_get_uint(structure, field, i)) {
      return Integer.toUnsignedLong(i.getValue());
    }
    com.sun.jna.ptr.LongByReference l = new com.sun.jna.ptr.LongByReference();
    if (GstApi.API.gst_structure_get_int64(structure, field, l)) {
      return l.getValue();
    }
    return doubleField(structure, field);
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
