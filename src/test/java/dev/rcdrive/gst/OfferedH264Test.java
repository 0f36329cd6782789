package dev.rcdrive.gst;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the car takes from a driver's offer (the SDP lines as libwebrtc writes them). */
class OfferedH264Test {

  private static String offer(String videoExtmaps, String dataExtmaps) {
    return String.join(
        "\r\n",
        "v=0",
        "o=- 1 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 102 103",
        "a=mid:0",
        videoExtmaps,
        "a=rtpmap:96 VP8/90000",
        "a=rtpmap:102 H264/90000",
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
        "a=rtpmap:103 H264/90000",
        "a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "a=mid:1",
        dataExtmaps,
        "");
  }

  @Test
  void takesTheFragmentingH264FormatAndTheMids() {
    OfferedH264 offered = OfferedH264.from(offer("", ""));
    assertThat(offered.payloadType()).isEqualTo(103);
    assertThat(offered.profileLevelId()).isEqualTo("42e01f");
    assertThat(offered.mids()).containsExactly("0", "1");
  }

  @Test
  void takesThePlayoutDelayAndTransportSequenceIdsFromTheVideo() {
    String extmaps =
        String.join(
            "\r\n",
            "a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type");
    assertThat(OfferedH264.from(offer(extmaps, "")).playoutDelayId()).isEqualTo(5);
    assertThat(OfferedH264.from(offer(extmaps, "")).transportCcId()).isEqualTo(4);
    assertThat(OfferedH264.from(offer("", extmaps)).transportCcId())
        .as("an extmap outside the video section")
        .isZero();
    assertThat(
            OfferedH264.from(offer("a=extmap:7/sendrecv " + PlayoutDelay.URI, "")).playoutDelayId())
        .as("with a direction")
        .isEqualTo(7);
  }

  @Test
  void noPlayoutDelayWhenTheVideoDoesNotOfferItOrItsIdNeedsTwoByteHeaders() {
    assertThat(OfferedH264.from(offer("", "")).playoutDelayId()).isZero();
    assertThat(OfferedH264.from(offer("", "a=extmap:5 " + PlayoutDelay.URI)).playoutDelayId())
        .as("an extmap outside the video section")
        .isZero();
    assertThat(OfferedH264.from(offer("a=extmap:15 " + PlayoutDelay.URI, "")).playoutDelayId())
        .as("id 15 is reserved in one-byte headers")
        .isZero();
  }
}
