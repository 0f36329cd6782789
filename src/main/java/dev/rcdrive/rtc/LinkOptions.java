package dev.rcdrive.rtc;

import dev.rcdrive.protocol.SignalMessage.IceServer;
import java.util.List;

/**
 * How to set up a peer connection.
 *
 * @param iceServers from the signaling server's {@code welcome}
 * @param relayOnly use TURN relay candidates only (to test or to force the TURN path)
 * @param codec the video codec the driver asks for (the car sends what the driver prefers)
 * @param maxBitrateKbps the car's video bitrate cap, 0 for libwebrtc's default
 * @param maxFramerate the car's video frame rate cap, 0 for none
 * @param startBitrateKbps the car's video start bitrate, 0 for libwebrtc's (300 kbps); see {@link
 *     SdpBitrate}
 */
public record LinkOptions(
    List<IceServer> iceServers,
    boolean relayOnly,
    VideoCodec codec,
    int maxBitrateKbps,
    int maxFramerate,
    int startBitrateKbps) {

  public LinkOptions {
    iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    codec = codec == null ? VideoCodec.VP8 : codec;
  }

  /** Without a start bitrate (libwebrtc's). */
  public LinkOptions(
      List<IceServer> iceServers,
      boolean relayOnly,
      VideoCodec codec,
      int maxBitrateKbps,
      int maxFramerate) {
    this(iceServers, relayOnly, codec, maxBitrateKbps, maxFramerate, 0);
  }

  public static LinkOptions defaults() {
    return new LinkOptions(List.of(), false, VideoCodec.VP8, 0, 0, 0);
  }

  public LinkOptions withIceServers(List<IceServer> servers) {
    return new LinkOptions(
        servers, relayOnly, codec, maxBitrateKbps, maxFramerate, startBitrateKbps);
  }

  public LinkOptions withRelayOnly(boolean relay) {
    return new LinkOptions(
        iceServers, relay, codec, maxBitrateKbps, maxFramerate, startBitrateKbps);
  }

  public LinkOptions withCodec(VideoCodec videoCodec) {
    return new LinkOptions(
        iceServers, relayOnly, videoCodec, maxBitrateKbps, maxFramerate, startBitrateKbps);
  }

  public LinkOptions withVideoCaps(int bitrateKbps, int framerate) {
    return new LinkOptions(iceServers, relayOnly, codec, bitrateKbps, framerate, startBitrateKbps);
  }

  /** The car's start bitrate (capped by its maximum, if it has one). */
  public LinkOptions withStartBitrate(int kbps) {
    return new LinkOptions(iceServers, relayOnly, codec, maxBitrateKbps, maxFramerate, kbps);
  }
}
