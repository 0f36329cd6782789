package dev.rcdrive.agent;

import dev.rcdrive.agent.AgentConfig.Encoder;
import dev.rcdrive.gst.GstMedia;
import dev.rcdrive.gst.GstRuntime;
import dev.rcdrive.rtc.CarMedia;
import dev.rcdrive.rtc.RtcEngine;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how the car's video reaches the wire from {@code camera.encoder}
 * (docs/decisions/0020-hardware-h264-through-gstreamer-webrtcbin.md): webrtc-java encoding in
 * software, or GStreamer's webrtcbin with the board's H.264 encoder. Nothing else in the agent
 * changes with the choice: both give a {@link CarMedia}.
 */
public final class MediaPath {

  private static final Logger log = LoggerFactory.getLogger(MediaPath.class);

  private MediaPath() {}

  /**
   * {@code auto} made concrete: hardware where GStreamer is complete and the board has an H.264
   * encoder (a Pi 4 and older, 64-bit or 32-bit OS), else software, with the reason logged.
   *
   * @param gstMissing what GStreamer lacks (one line each; empty: complete)
   * @param hardwareEncoder whether the board's H.264 encoder is there
   */
  static Encoder resolve(
      Encoder wanted, Supplier<List<String>> gstMissing, BooleanSupplier hardwareEncoder) {
    if (wanted != Encoder.AUTO) {
      return wanted;
    }
    List<String> missing = gstMissing.get();
    if (!missing.isEmpty()) {
      log.info("camera.encoder auto: software (GStreamer lacks {})", String.join(", ", missing));
      return Encoder.SOFTWARE;
    }
    if (!hardwareEncoder.getAsBoolean()) {
      log.info("camera.encoder auto: software (this board has no H.264 encoder: v4l2h264enc)");
      return Encoder.SOFTWARE;
    }
    log.info("camera.encoder auto: hardware (v4l2h264enc)");
    return Encoder.HARDWARE;
  }

  /** {@link #resolve} on this machine. */
  static Encoder resolve(Encoder wanted) {
    return resolve(wanted, GstRuntime::missing, GstRuntime::hasHardwareEncoder);
  }

  /** The media path for a camera, as {@code camera.encoder} says ({@code auto} resolved here). */
  static Function<CameraSource, CarMedia> forCamera(AgentConfig.Camera camera, RtcEngine engine) {
    if (resolve(camera.encoder()) == Encoder.SOFTWARE) {
      return source -> new SoftwareMedia(engine, source);
    }
    GstMedia.Source source =
        camera.gstSource() == null
            ? GstMedia.Source.pushed(camera.width(), camera.height(), camera.fps())
            : GstMedia.Source.gst(
                camera.gstSource(), camera.width(), camera.height(), camera.fps());
    return cameraSource -> GstMedia.open(source);
  }

  /**
   * Whether the video pipeline reads the camera itself ({@code camera.gstSource} on the hardware
   * path): the agent must then not open the camera too.
   */
  public static boolean pipelineReadsTheCamera(AgentConfig.Camera camera) {
    return camera.gstSource() != null && resolve(camera.encoder()) == Encoder.HARDWARE;
  }
}
