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
 */
public record LinkOptions(
    List<IceServer> iceServers,
    boolean relayOnly,
    VideoCodec codec,
    int maxBitrateKbps,
    int maxFramerate) {

  public LinkOptions {
    iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    codec = codec == null ? VideoCodec.VP8 : codec;
  }

  public static LinkOptions defaults() {
    return new LinkOptions(List.of(), false, VideoCodec.VP8, 0, 0);
  }

  public LinkOptions withIceServers(List<IceServer> servers) {
    return new LinkOptions(servers, relayOnly, codec, maxBitrateKbps, maxFramerate);
  }

  public LinkOptions withRelayOnly(boolean relay) {
    return new LinkOptions(iceServers, relay, codec, maxBitrateKbps, maxFramerate);
  }

  public LinkOptions withCodec(VideoCodec videoCodec) {
    return new LinkOptions(iceServers, relayOnly, videoCodec, maxBitrateKbps, maxFramerate);
  }

  public LinkOptions withVideoCaps(int bitrateKbps, int framerate) {
    return new LinkOptions(iceServers, relayOnly, codec, bitrateKbps, framerate);
  }
}
