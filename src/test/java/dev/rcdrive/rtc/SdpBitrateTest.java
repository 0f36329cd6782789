package dev.rcdrive.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SdpBitrateTest {

  private static final String OFFER =
      String.join(
          "\r\n",
          "v=0",
          "m=audio 9 UDP/TLS/RTP/SAVPF 111",
          "a=rtpmap:111 opus/48000/2",
          "a=fmtp:111 minptime=10;useinbandfec=1",
          "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 127",
          "a=rtpmap:96 VP8/90000",
          "a=rtcp-fb:96 nack",
          "a=rtpmap:97 rtx/90000",
          "a=fmtp:97 apt=96",
          "a=rtpmap:98 VP9/90000",
          "a=fmtp:98 profile-id=0",
          "a=rtpmap:127 red/90000",
          "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
          "");

  @Test
  void addsTheStartBitrateToVideoCodecsOnly() {
    String sdp = SdpBitrate.withStartBitrate(OFFER, 1000);

    assertThat(sdp)
        .contains("a=rtpmap:96 VP8/90000\r\na=fmtp:96 x-google-start-bitrate=1000\r\n")
        .contains("a=fmtp:98 profile-id=0;x-google-start-bitrate=1000\r\n")
        .contains("a=fmtp:97 apt=96\r\n")
        .contains("a=fmtp:111 minptime=10;useinbandfec=1\r\n")
        .doesNotContain("a=fmtp:127")
        .endsWith("webrtc-datachannel\r\n");
  }

  @Test
  void zeroLeavesTheDescriptionAlone() {
    assertThat(SdpBitrate.withStartBitrate(OFFER, 0)).isEqualTo(OFFER);
  }

  @Test
  void appliesOnlyOnce() {
    String once = SdpBitrate.withStartBitrate(OFFER, 1000);
    assertThat(SdpBitrate.withStartBitrate(once, 1000)).isEqualTo(once);
  }
}
