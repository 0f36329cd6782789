package dev.rcdrive.gst;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * GStreamer, loaded once per process from the system (gst1-java-core binds it through JNA), and
 * what it offers: whether it loads at all, and which of the elements the hardware path needs are
 * installed, each missing one named with the Debian package that brings it.
 */
public final class GstRuntime {

  /** The elements every hardware-path pipeline uses, and their packages. */
  private static final List<String[]> ALWAYS =
      List.of(
          new String[] {"webrtcbin", "gstreamer1.0-plugins-bad"},
          new String[] {"nicesrc", "gstreamer1.0-nice"},
          new String[] {"dtlssrtpenc", "gstreamer1.0-plugins-bad"},
          new String[] {"sctpenc", "gstreamer1.0-plugins-bad"},
          new String[] {"rtph264pay", "gstreamer1.0-plugins-good"},
          new String[] {"rtpbin", "gstreamer1.0-plugins-good"},
          new String[] {"h264parse", "gstreamer1.0-plugins-bad"},
          new String[] {"appsrc", "gstreamer1.0-plugins-base"});

  private static Optional<String> loadFailure;

  private GstRuntime() {}

  /**
   * Initialises GStreamer once; empty when it is ready, else why not in one line (no GStreamer
   * libraries, or a version older than 1.20).
   */
  public static synchronized Optional<String> load() {
    if (loadFailure == null) {
      try {
        if (!Gst.isInitialized()) {
          // No segtrap: the JVM itself uses SIGSEGV (safepoints, null checks); GStreamer's trap,
          // armed while it rescans its plugins, took one of those for a crashing plugin and ended
          // the process.
          Gst.init(Version.of(1, 20), "rcdrive", "--gst-disable-segtrap");
        }
        loadFailure = Optional.empty();
      } catch (Throwable e) { // UnsatisfiedLinkError, GstException, NoClassDefFoundError
        loadFailure =
            Optional.of(
                "GStreamer 1.20 or newer is not installed (apt install gstreamer1.0-plugins-bad"
                    + " gstreamer1.0-plugins-good gstreamer1.0-nice): "
                    + e.getMessage());
      }
    }
    return loadFailure;
  }

  /** Whether an element is installed (GStreamer loaded). */
  public static boolean has(String element) {
    return load().isEmpty() && find(element);
  }

  /** ElementFactory.find throws for an unknown element rather than answering null. */
  private static boolean find(String element) {
    try {
      return ElementFactory.find(element) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * What the hardware path cannot do without, one line each ("webrtcbin (apt install
   * gstreamer1.0-plugins-bad)"); empty when everything is there.
   */
  public static List<String> missing() {
    Optional<String> failure = load();
    if (failure.isPresent()) {
      return List.of(failure.get());
    }
    List<String> missing = new ArrayList<>();
    for (String[] element : ALWAYS) {
      if (!find(element[0])) {
        missing.add(element[0] + " (apt install " + element[1] + ")");
      }
    }
    return missing;
  }

  /**
   * The board's own H.264 encoder when it has one: GStreamer registers {@code v4l2h264enc} only
   * where a V4L2 memory-to-memory H.264 encoder exists (a Pi 4 and older; not a Pi 5).
   */
  public static boolean hasHardwareEncoder() {
    return has(H264Encoder.V4L2.element());
  }

  static final String NO_ENCODER =
      "no H.264 encoder in GStreamer: on a Pi 4 or older v4l2h264enc comes with"
          + " gstreamer1.0-plugins-good; elsewhere apt install gstreamer1.0-plugins-ugly (x264)";

  /** The first installed of the encoders the hardware path knows, the board's own first. */
  static java.util.Optional<H264Encoder> firstInstalledEncoder() {
    for (H264Encoder e : H264Encoder.values()) {
      if (has(e.element())) {
        return java.util.Optional.of(e);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * For {@code rcdrive agent --check}: GStreamer loads, every element of the hardware path is
   * there, and which H.264 encoder it will use; throws with what is missing. With {@code auto} a
   * missing piece is not a failure: the agent then sends software video, and this says so.
   */
  public static String check(boolean auto) {
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      if (auto) {
        return "not used: camera.encoder auto falls back to software (missing "
            + String.join(", ", missing)
            + ")";
      }
      throw new IllegalStateException("missing " + String.join(", ", missing));
    }
    String encoder =
        firstInstalledEncoder().orElseThrow(() -> new IllegalStateException(NO_ENCODER)).element();
    return Gst.getVersionString()
        + " loaded, webrtcbin and the rest found; H.264 by "
        + encoder
        + (encoder.equals(H264Encoder.V4L2.element())
            ? " (the board's encoder)"
            : " in software (no v4l2h264enc on this board)");
  }

  /** The GStreamer version, for logs and {@code --check}. */
  public static String version() {
    return load().isEmpty() ? Gst.getVersionString() : "not loaded";
  }
}
