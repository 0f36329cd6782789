package dev.rcdrive.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy on loopback: a UDP echo server behind it, and one client sending numbered packets. */
class ImpairProxyTest {

  private static final int PACKETS = 300;

  @Test
  void theSameSeedDropsTheSamePacketsAndJitterKeepsOrder() throws Exception {
    ImpairProxy.Impairment lossy = new ImpairProxy.Impairment(20, 2, 2, 0, 0, false);
    List<Integer> first = echoed(lossy, 7);
    List<Integer> again = echoed(lossy, 7);
    List<Integer> otherSeed = echoed(lossy, 8);

    // 20 % each way: about 64 % of round trips survive.
    assertThat(first.size()).isBetween(PACKETS * 50 / 100, PACKETS * 78 / 100);
    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(first).isSorted();
  }

  @Test
  void aBlackoutDropsEverythingAndNoImpairmentDropsNothing() throws Exception {
    assertThat(echoed(ImpairProxy.Impairment.NONE.withBlackout(true), 1)).isEmpty();
    assertThat(echoed(ImpairProxy.Impairment.NONE, 1)).hasSize(PACKETS);
  }

  @Test
  void reorderingHoldsPacketsBack() throws Exception {
    List<Integer> got = echoed(new ImpairProxy.Impairment(0, 3, 0, 20, 0, false), 3);
    assertThat(got).hasSize(PACKETS).isNotEqualTo(got.stream().sorted().toList());
  }

  @Test
  void clientsNotChosenAreRelayedUntouched() throws Exception {
    assertThat(echoed(ImpairProxy.Impairment.NONE.withBlackout(true), 1, false)).hasSize(PACKETS);
  }

  @Test
  void parsesTheCommandLineForm() {
    assertThat(ImpairProxy.Impairment.parse("loss=1,delay=25,jitter=10,rate=8000"))
        .isEqualTo(ImpairProxy.Impairment.lte(25, 10));
    assertThatThrownBy(() -> ImpairProxy.Impairment.parse("lag=3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImpairProxy.Impairment.parse("delay=5,jitter=9"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Integer> echoed(ImpairProxy.Impairment impairment, long seed)
      throws Exception {
    return echoed(impairment, seed, true);
  }

  /** Sends numbered packets through the proxy to an echo server; the numbers that came back. */
  private static List<Integer> echoed(ImpairProxy.Impairment impairment, long seed, boolean impair)
      throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket echo = new DatagramSocket(0, loopback);
        DatagramSocket client = new DatagramSocket(0, loopback);
        ImpairProxy proxy =
            ImpairProxy.start(
                new InetSocketAddress(loopback, 0),
                new InetSocketAddress(loopback, echo.getLocalPort()),
                a -> impair,
                seed)) {
      proxy.set(impairment);
      Thread echoer =
          new Thread(
              () -> {
                byte[] buf = new byte[64];
                try {
                  echo.setSoTimeout(2000);
                  for (int i = 0; i < PACKETS; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echo.send(p);
                  }
                } catch (Exception e) {
                  // fewer than PACKETS arrived: the test counts what came back
                }
              });
      echoer.start();
      // Read while sending: 300 replies queued unread would overflow the socket's buffer.
      List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
      client.setSoTimeout(1000);
      Thread reader =
          new Thread(
              () -> {
                byte[] buf = new byte[64];
                try {
                  for (int i = 0; i < PACKETS; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    client.receive(p);
                    got.add(ByteBuffer.wrap(p.getData(), 0, 4).getInt());
                  }
                } catch (SocketTimeoutException e) {
                  // the rest were dropped
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      reader.start();
      for (int i = 0; i < PACKETS; i++) {
        byte[] data = ByteBuffer.allocate(4).putInt(i).array();
        client.send(new DatagramPacket(data, data.length, proxy.address()));
        Thread.sleep(0, 200_000); // paced, so loopback's buffers never overflow
      }
      reader.join(10_000);
      echoer.join(3000);
      return List.copyOf(got);
    }
  }
}
