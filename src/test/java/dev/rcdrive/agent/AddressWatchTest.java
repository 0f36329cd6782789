package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The car notices its own address changing (issue 15). */
class AddressWatchTest {

  private final AddressWatch watch = new AddressWatch();

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text); // literals only: no lookup
  }

  @Test
  void theFirstPollIsTheBaselineNotAChange() throws Exception {
    assertThat(watch.changed(Set.of(ip("10.0.0.2")))).isFalse();
    assertThat(watch.changed(Set.of(ip("10.0.0.2")))).isFalse();
  }

  @Test
  void aReplacedAddressIsAChangeOnce() throws Exception {
    watch.changed(Set.of(ip("10.0.0.2"), ip("fe80::1")));
    assertThat(watch.changed(Set.of(ip("10.0.0.3"), ip("fe80::1")))).isTrue();
    assertThat(watch.changed(Set.of(ip("10.0.0.3"), ip("fe80::1")))).isFalse();
  }

  @Test
  void anAddressAddedOrLostIsAChange() throws Exception {
    watch.changed(Set.of(ip("10.0.0.2")));
    assertThat(watch.changed(Set.of(ip("10.0.0.2"), ip("192.168.1.9")))).isTrue();
    assertThat(watch.changed(Set.of())).isTrue();
    assertThat(watch.changed(Set.of(ip("10.0.0.2")))).isTrue();
  }

  @Test
  void thisMachineHasAReadableAddressList() throws Exception {
    assertThat(AddressWatch.current()).doesNotContainNull();
  }
}
