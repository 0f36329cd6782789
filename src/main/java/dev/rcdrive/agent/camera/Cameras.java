package dev.rcdrive.agent.camera;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;

/** Builds the configured real camera (the rendered ones stay with {@code CarAgent}). */
public final class Cameras {

  private Cameras() {}

  /** An rpicam or USB camera; throws with a clear message when it cannot be made. */
  public static CameraSource open(AgentConfig.Camera config) {
    return switch (config.type()) {
      case RPICAM ->
          new RpicamCamera(
              config, CameraProgram.systemPath(), RpicamCamera.Backoff.DEFAULT, config.stamp());
      case USB -> new UsbCamera(config);
      default -> throw new IllegalArgumentException("not a real camera: " + config.type());
    };
  }
}
