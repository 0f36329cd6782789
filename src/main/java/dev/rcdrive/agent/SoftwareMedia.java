package dev.rcdrive.agent;

import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.CarMedia;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoFeed;

/**
 * The software media path: the camera's frames go into a webrtc-java video track, which libwebrtc
 * encodes (VP8, or OpenH264 when the driver asks for H.264) for every {@link PeerLink}.
 */
final class SoftwareMedia implements CarMedia {

  private final RtcEngine engine;
  private final CameraSource camera;
  private volatile VideoFeed video;

  SoftwareMedia(RtcEngine engine, CameraSource camera) {
    this.engine = engine;
    this.camera = camera;
    this.video = camera.openFeed(engine);
  }

  @Override
  public CarLink newLink(LinkOptions options, PeerLink.Listener listener) {
    return engine.newLink(PeerLink.Side.CAR, options, listener, video);
  }

  @Override
  public void push(I420Image image, long captureNanos) {
    video.push(image, captureNanos);
  }

  @Override
  public int openLinks() {
    return engine.openLinks(); // an engine shared with a driver (tests, the demo) counts its links
  }

  /** A new WebRTC factory and a new feed from it (the old feed drops pushes from now on). */
  @Override
  public boolean recycle() {
    VideoFeed old = video;
    old.close(); // waits for a push in progress; later pushes to it are dropped
    engine.recycle();
    video = camera.openFeed(engine);
    return true;
  }

  @Override
  public VideoFeed videoFeed() {
    return video;
  }

  @Override
  public String describe() {
    return "software (webrtc-java)";
  }

  @Override
  public void close() {
    video.close();
  }
}
