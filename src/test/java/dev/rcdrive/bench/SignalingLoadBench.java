package dev.rcdrive.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingConfig.Car;
import dev.rcdrive.signaling.SignalingConfig.Driver;
import dev.rcdrive.signaling.SignalingConfig.Limits;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Load on the real signaling server: N cars and N drivers connect, authenticate and pair up, then
 * ICE candidates are relayed between them at a fixed rate while the latency of each is measured.
 * The server runs in a child JVM; the load comes from this one over the JDK's asynchronous
 * WebSocket client, all on 127.0.0.1. Reports connections held, relay latency percentiles, lost
 * messages and the server's memory per connection (see docs/benchmarks.md).
 */
final class SignalingLoadBench {

  private static final String DRIVER_TOKEN = "bench-driver-token";
  private static final Path OUTPUT = Path.of("target", "bench");
  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

  /** Handshakes under way at once: a ramp, not a stampede, even if the server falls behind. */
  private static final int MAX_PENDING_HANDSHAKES = 200;

  /** The run's settings; each is a {@code key=value} argument or a {@code bench.KEY} property. */
  record Settings(
      int pairs, int messagesPerSecond, int seconds, int warmupSeconds, int connectsPerSecond) {

    static Settings from(BenchOptions options) {
      Settings settings =
          new Settings(
              options.positiveInt("pairs", 2_500),
              options.positiveInt("rate", 1_000),
              options.positiveInt("seconds", 30),
              options.positiveInt("warmup", 5),
              options.positiveInt("connectRate", 500));
      options.rejectUnread();
      return settings;
    }

    int connections() {
      return 2 * pairs;
    }
  }

  /** A car and the driver that drives it. */
  private record Pair(String carId, BenchPeer car, BenchPeer driver) {}

  private SignalingLoadBench() {}

  static boolean run(BenchOptions options) throws Exception {
    Settings settings = Settings.from(options);
    Files.createDirectories(OUTPUT);
    Path config = writeConfig(OUTPUT.resolve("signaling-config.json"), settings);
    RelayProbe probe = new RelayProbe();
    ConnectionHealth health = new ConnectionHealth();
    List<Pair> pairs = createPairs(settings.pairs(), probe, health);
    // Listener callbacks are short: a couple of threads serve all connections.
    ExecutorService callbacks = Executors.newFixedThreadPool(2, daemonThreads("bench-ws"));
    HttpClient client = HttpClient.newBuilder().executor(callbacks).build();
    progress(
        "signaling: %,d pairs (%,d connections), %,d messages/s for %d s after %d s warm-up",
        settings.pairs(),
        settings.connections(),
        settings.messagesPerSecond(),
        settings.seconds(),
        settings.warmupSeconds());
    try (ServerProcess server =
        ServerProcess.start(
            config,
            OUTPUT.resolve("signaling-server.log"),
            OUTPUT.resolve("signaling-server-gc.log"),
            SERVER_START_TIMEOUT)) {
      progress("server pid %d on %s", server.pid(), server.uri());
      ServerProcess.Memory idle = server.memory();

      long rampNanos = connectAndPair(pairs, client, server.uri(), settings.connectsPerSecond());
      int paired = (int) pairs.stream().filter(SignalingLoadBench::isPaired).count();
      progress("%,d of %,d pairs ready in %.1f s", paired, pairs.size(), rampNanos / 1e9);
      ServerProcess.Memory loaded = server.memory();

      // The ramp left this JVM's old generation full of garbage; collect it now so that our own
      // mixed collections do not land in the measurement (the server had its full GC above).
      System.gc();
      ResourceUse start = ResourceUse.sample(server);
      long maxSenderLag = 0;
      if (paired == pairs.size()) {
        maxSenderLag = relay(pairs, probe, settings);
        awaitDrain(probe);
      }
      ResourceUse relayUse = ResourceUse.sample(server).since(start);
      RelayProbe.Summary relay = probe.summary();
      int openAtEnd = 0;
      for (Pair pair : pairs) {
        openAtEnd += (pair.car().isOpen() ? 1 : 0) + (pair.driver().isOpen() ? 1 : 0);
      }
      health.stopWatching();

      SignalingReport report =
          new SignalingReport(
              settings,
              paired,
              openAtEnd,
              health,
              rampNanos,
              idle,
              loaded,
              relay,
              maxSenderLag,
              relayUse);
      String markdown = report.markdown();
      System.out.println(markdown);
      Files.writeString(OUTPUT.resolve("signaling.md"), markdown, StandardCharsets.UTF_8);
      try (PrintStream hgrm =
          new PrintStream(
              OUTPUT.resolve("signaling-latency.hgrm").toFile(), StandardCharsets.UTF_8)) {
        relay.fromIntended().outputPercentileDistribution(hgrm, 1e6);
      }
      progress("written to %s (server log: %s)", OUTPUT.resolve("signaling.md"), server.log());
      return report.clean();
    } finally {
      health.stopWatching();
      callbacks.shutdownNow();
    }
  }

  /** N cars with their own keys and one driver token shared by all drivers; limits raised. */
  private static Path writeConfig(Path file, Settings settings) throws IOException {
    List<Car> cars = new ArrayList<>(settings.pairs());
    for (int i = 0; i < settings.pairs(); i++) {
      cars.add(new Car(carId(i), null, "key-" + i));
    }
    // Per connection; with few pairs one connection may carry half of the whole rate.
    int messagesPerSecond = Math.max(100, settings.messagesPerSecond());
    Limits limits =
        new Limits(
            null, // default maxMessageBytes
            messagesPerSecond,
            messagesPerSecond,
            settings.connections() + 16, // every connection comes from 127.0.0.1
            HANDSHAKE_TIMEOUT.toMillis(), // a hello may wait behind a queue of handshakes
            60, // pings every 60 s: none during a default run
            settings.connections() + 16); // the server-wide cap too
    SignalingConfig config =
        new SignalingConfig(
            "127.0.0.1",
            0,
            null,
            cars,
            List.of(new Driver("bench driver", DRIVER_TOKEN)),
            List.of(),
            limits);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    return file;
  }

  private static String carId(int index) {
    return "car-" + index;
  }

  private static List<Pair> createPairs(int count, RelayProbe probe, ConnectionHealth health) {
    List<Pair> pairs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BenchPeer car = BenchPeer.car(i, carId(i), "key-" + i, probe, health);
      BenchPeer driver = BenchPeer.driver(i, DRIVER_TOKEN, probe, health);
      car.pairWith(driver);
      driver.pairWith(car);
      pairs.add(new Pair(carId(i), car, driver));
    }
    return pairs;
  }

  /**
   * Opens every connection at a bounded rate (car, then its driver), each saying hello; a driver
   * asks for its car once both are welcomed. Returns the nanoseconds until every pair was granted
   * (or the ramp gave up).
   */
  private static long connectAndPair(
      List<Pair> pairs, HttpClient client, URI uri, int connectsPerSecond)
      throws InterruptedException {
    Semaphore pendingHandshakes = new Semaphore(MAX_PENDING_HANDSHAKES);
    List<CompletableFuture<Void>> granted = new ArrayList<>(pairs.size());
    long start = System.nanoTime();
    long slot = 0;
    for (Pair pair : pairs) {
      for (BenchPeer peer : List.of(pair.car(), pair.driver())) {
        sleepUntil(start + slot++ * 1_000_000_000L / connectsPerSecond);
        pendingHandshakes.acquire();
        peer.connect(client, uri, HANDSHAKE_TIMEOUT)
            .whenComplete((ignored, error) -> pendingHandshakes.release());
      }
      granted.add(
          CompletableFuture.allOf(pair.car().welcomed(), pair.driver().welcomed())
              .thenCompose(
                  welcomed -> {
                    pair.driver().requestDrive(pair.carId());
                    return CompletableFuture.allOf(pair.car().granted(), pair.driver().granted());
                  }));
    }
    try {
      CompletableFuture.allOf(granted.toArray(CompletableFuture[]::new))
          .get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      progress("ramp incomplete: %s", e.getCause() != null ? e.getCause() : e);
    }
    return System.nanoTime() - start;
  }

  private static boolean isPaired(Pair pair) {
    return isDone(pair.car().granted()) && isDone(pair.driver().granted());
  }

  private static boolean isDone(CompletableFuture<?> future) {
    return future.isDone() && !future.isCompletedExceptionally();
  }

  /**
   * Sends candidates on a fixed schedule (open loop): message {@code i} is due at {@code start + i
   * / rate}, whatever happened to the ones before. Messages go round-robin over the pairs, one car
   * to driver then one driver to car. Returns how late the sender ever was.
   */
  private static long relay(List<Pair> pairs, RelayProbe probe, Settings settings) {
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
    long end = measureFrom + TimeUnit.SECONDS.toNanos(settings.seconds());
    probe.measureFrom(measureFrom);
    long maxLag = 0;
    for (long i = 0; ; i++) {
      long intendedAt = start + i * 1_000_000_000L / settings.messagesPerSecond();
      if (intendedAt >= end) {
        return maxLag;
      }
      sleepUntil(intendedAt);
      Pair pair = pairs.get((int) (i / 2 % pairs.size()));
      BenchPeer from = i % 2 == 0 ? pair.car() : pair.driver();
      long sentAt = System.nanoTime();
      maxLag = Math.max(maxLag, sentAt - intendedAt);
      from.send(probe.message(intendedAt, sentAt));
    }
  }

  /** Waits for messages still in flight; whatever has not arrived by then is lost. */
  private static void awaitDrain(RelayProbe probe) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (probe.received() < probe.sent() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static void sleepUntil(long nanoTime) {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  static void progress(String format, Object... args) {
    System.err.println("bench: " + String.format(Locale.ROOT, format, args));
  }
}
