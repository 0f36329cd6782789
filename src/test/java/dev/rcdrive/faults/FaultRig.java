package dev.rcdrive.faults;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.testing.Coturn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The car in a network namespace of its own, and in this (the root) namespace everything between it
 * and a driver: a signaling server and an {@link ImpairProxy} in front of a real coturn, both
 * listening on the namespace's host-side address. The car is relay-only, so its media and data
 * channels all cross the proxy; the car's leg is impaired, a driver's in the root namespace is not.
 *
 * <pre>
 *   [ns car: FaultCar] --veth-- [root: signaling, ImpairProxy → coturn(host side) ← driver]
 * </pre>
 *
 * Closing removes everything it made, children and namespaces included.
 */
public final class FaultRig implements AutoCloseable {
  public static final String CAR = "fault-car";
  public static final String CAR_KEY = "fault-car-key";
  public static final String TOKEN = "fault-driver-token";

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final NetNs carNs;
  private final Coturn turn;
  private final ImpairProxy proxy;
  private SignalingServer server;
  private int port;

  private FaultRig(long seed) throws Exception {
    try {
      carNs = keep(NetNs.create("car"));
      // On the host side of the veth pair, as a real TURN server is on a real address: libnice
      // (the hardware path's ICE agent) will not use a relay address on loopback.
      turn = keep(Coturn.start("fault-" + System.nanoTime(), carNs.hostAddress()));
      URI turnUri = URI.create(turn.url().replace("turn:", "turn://"));
      byte[] carNet = carNs.hostAddress().getAddress();
      proxy =
          keep(
              ImpairProxy.start(
                  new InetSocketAddress(carNs.hostAddress(), 0),
                  new InetSocketAddress(turnUri.getHost(), turnUri.getPort()),
                  // The car's /24, whatever its address after a handover; not the host side.
                  a -> {
                    byte[] b = a.getAddress();
                    return b.length == 4
                        && b[0] == carNet[0]
                        && b[1] == carNet[1]
                        && b[2] == carNet[2]
                        && !a.equals(carNs.hostAddress());
                  },
                  seed));
      startServer(0);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Namespace, coturn, proxy and signaling; null-safe cleanup if any of them fails. */
  public static FaultRig start(long seed) throws Exception {
    return new FaultRig(seed);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    opened.add(resource);
    return resource;
  }

  /** (Re)starts the signaling server, on {@code port} (0: any). */
  public void startServer(int atPort) throws Exception {
    String turnUrl =
        "turn:"
            + proxy.address().getAddress().getHostAddress()
            + ":"
            + proxy.address().getPort()
            + "?transport=udp";
    server =
        SignalingServer.start(
            new SignalingConfig(
                carNs.hostAddress().getHostAddress(),
                atPort,
                null,
                List.of(new SignalingConfig.Car(CAR, "Fault car", CAR_KEY)),
                List.of(new SignalingConfig.Driver("fault driver", TOKEN)),
                List.of(
                    new SignalingConfig.IceServerConfig(
                        List.of(turnUrl), null, null, turn.secret(), 600L)),
                null));
    port = server.port();
  }

  /** Kills the signaling server (its clients see their sockets drop). */
  public void stopServer() {
    server.close();
  }

  public SignalingServer server() {
    return server;
  }

  public int port() {
    return port;
  }

  public URI serverUri() {
    return URI.create("ws://" + carNs.hostAddress().getHostAddress() + ":" + port);
  }

  public NetNs carNs() {
    return carNs;
  }

  public ImpairProxy proxy() {
    return proxy;
  }

  /** The car, relay-only, in its namespace; stops by itself after {@code maxSeconds}. */
  public Child startCar(int maxSeconds) throws IOException {
    return startCar(maxSeconds, AgentConfig.Encoder.SOFTWARE);
  }

  /** As {@link #startCar(int)}, its video through the media path {@code encoder} chooses. */
  public Child startCar(int maxSeconds, AgentConfig.Encoder encoder) throws IOException {
    return keep(
        Child.start(
            "car",
            carNs.command(List.of()),
            FaultCar.class,
            List.of(
                serverUri().toString(),
                CAR,
                CAR_KEY,
                "true",
                Integer.toString(maxSeconds),
                encoder.name().toLowerCase(java.util.Locale.ROOT))));
  }

  /** A driver process in {@code ns} (null: this namespace), relay-only. */
  public Child startDriver(NetNs ns, int maxSeconds) throws IOException {
    return keep(
        Child.start(
            "driver",
            ns == null ? List.of() : ns.command(List.of()),
            FaultDriver.class,
            List.of(serverUri().toString(), TOKEN, CAR, "true", Integer.toString(maxSeconds))));
  }

  /** A further namespace (e.g. for a driver), removed with the rig. */
  public NetNs newNamespace(String tag) throws IOException {
    return keep(NetNs.create(tag));
  }

  public InetAddress carAddress() {
    return carNs.nsAddress();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        // keep removing the rest: a namespace left behind is worse than a lost message
      }
    }
  }
}
