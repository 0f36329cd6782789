package dev.rcdrive.agent;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Notices this car's own addresses changing (a 4G handover, a new DHCP lease): the signaling socket
 * bound to the old address is dead without a word, and the sooner the car re-registers, the sooner
 * the driver's ICE restart reaches it. Polled (every {@link #POLL_MILLIS}), not subscribed to:
 * plain Java has no netlink, and a poll costs a few system calls.
 *
 * <p>The decision is pure ({@link #changed}); {@link #current} reads the machine. One thread owns
 * it.
 */
final class AddressWatch {

  static final long POLL_MILLIS = 250;

  private Set<InetAddress> last;

  /** Whether {@code addresses} differ from the previous poll's; never on the first poll. */
  boolean changed(Set<InetAddress> addresses) {
    Set<InetAddress> previous = last;
    last = Set.copyOf(addresses);
    return previous != null && !previous.equals(last);
  }

  /** The addresses of every interface that is up, loopback excepted. */
  static Set<InetAddress> current() throws SocketException {
    Set<InetAddress> addresses = new HashSet<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        addresses.addAll(Collections.list(nif.getInetAddresses()));
      }
    }
    return addresses;
  }
}
