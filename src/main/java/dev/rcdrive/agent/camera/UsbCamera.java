package dev.rcdrive.agent.camera;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoFeed;

/**
 * A USB (V4L2) webcam captured by libwebrtc itself ({@code VideoDeviceSource}, behind {@link
 * RtcEngine#newDeviceVideoFeed}): frames go from the driver to the encoder without passing through
 * Java, so there is nothing to push and no frame stamp.
 */
public final class UsbCamera implements CameraSource {

  private final AgentConfig.Camera config;
  private VideoFeed feed;

  public UsbCamera(AgentConfig.Camera config) {
    this.config = config;
  }

  @Override
  public VideoFeed openFeed(RtcEngine engine) {
    feed =
        engine.newDeviceVideoFeed(config.device(), config.width(), config.height(), config.fps());
    return feed;
  }

  @Override
  public void start(FrameConsumer consumer) {
    // libwebrtc captures on its own thread once the feed is open
  }

  @Override
  public String describe() {
    return "usb '"
        + config.device()
        + "' "
        + config.width()
        + "x"
        + config.height()
        + "@"
        + config.fps();
  }

  @Override
  public void close() {
    // the feed belongs to the engine and the agent, which close it
  }
}
