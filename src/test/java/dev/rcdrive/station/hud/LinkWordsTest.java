package dev.rcdrive.station.hud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkWordsTest {

  @Test
  void aRefusedConnectionSaysWhatToCheckAndWhenItTriesAgain() {
    assertThat(LinkWords.explain("Connection refused; retrying in 1600 ms", "ws://h:8443"))
        .isEqualTo(
            "nothing answers at ws://h:8443: check the address and port, and that the server runs"
                + " (trying again in 2 s)");
  }

  @Test
  void wssToAPlainServerSuggestsWs() {
    assertThat(LinkWords.explain("signaling: code -1; retrying in 400 ms", "wss://h:8443"))
        .startsWith(
            "the secure (wss://) connection to wss://h:8443 did not open: if the server is"
                + " plain, use ws://")
        .endsWith("(trying again in 1 s)");
    assertThat(LinkWords.explain("code -1", "ws://h:8443"))
        .contains("closed before it opened")
        .doesNotContain("code -1");
  }

  @Test
  void unknownHostsAndTimeoutsSayWhatToCheck() {
    assertThat(LinkWords.explain("java.net.UnknownHostException: nohost", "ws://nohost:1"))
        .startsWith("no such host in ws://nohost:1");
    assertThat(LinkWords.explain("connect timed out", "ws://h:1")).contains("firewall");
  }

  @Test
  void wordsAlreadyForTheUserPassThrough() {
    assertThat(LinkWords.explain("ICE failed: no route to the car", "ws://h:1"))
        .isEqualTo("ICE failed: no route to the car");
    assertThat(LinkWords.explain("", "ws://h:1")).isEmpty();
  }
}
