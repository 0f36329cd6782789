package dev.rcdrive.gst;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * Skips a test, with the reason, when the GStreamer packages the hardware path needs are not
 * installed (CI installs them: .ci/run).
 */
public final class GstAvailable {

  private GstAvailable() {}

  /** Skips unless GStreamer, webrtcbin and the rest, and a software H.264 encoder are here. */
  public static void assumeInstalled() {
    List<String> missing = new java.util.ArrayList<>(GstRuntime.missing());
    if (missing.isEmpty() && !GstRuntime.has("x264enc")) {
      missing.add("x264enc (apt install gstreamer1.0-plugins-ugly)");
    }
    assumeTrue(missing.isEmpty(), "GStreamer is not complete here: missing " + missing);
  }
}
