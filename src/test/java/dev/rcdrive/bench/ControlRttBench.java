package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The control round trip through rcdrive's whole path beside plain webrtc-java, in one JVM, in
 * alternating blocks (ours, raw, raw, ours, …) so both see the same machine.
 *
 * <p><b>Ours</b>: a real signaling server on 127.0.0.1, a {@link CarAgent} (test-pattern camera,
 * video flowing as in a real drive), and a driver sending the station's {@link ControlLoop} frames
 * (50 Hz) over the "control" channel. The car decodes each frame, runs it through its safety
 * governor and echoes the newest one in its 20 Hz telemetry with the time it held it; the driver
 * computes {@code rtt = arrival − echoSentMicros − echoHoldMicros}, as the station does. Each
 * control frame is counted once (the first telemetry that echoes it). In one process the car's
 * clock is the driver's, so the telemetry's {@code carMicros} also splits the trip into its two
 * legs: forward = carMicros − hold − echoSent (driver send → car receipt), back = arrival −
 * carMicros (car send → driver receipt); they add up to rtt by construction, and comparing each leg
 * with raw's checks that the hold subtraction removes exactly the telemetry cadence.
 *
 * <p><b>Raw</b>: two RTCPeerConnections ({@link RawPeers}), a 23-byte message every 20 ms on an
 * unordered, maxRetransmits=0 channel, echoed by the other end from its message callback at once
 * (with its arrival time written in, for the same two legs).
 */
final class ControlRttBench {

  /** The settings; {@code key=value} arguments or {@code bench.KEY} properties. */
  record Settings(int rounds, int seconds, int warmup, LoopbackRig.Camera camera, String rt) {
    static Settings from(BenchOptions options) {
      return new Settings(
          options.positiveInt("rounds", 3),
          options.positiveInt("seconds", 40),
          options.positiveInt("warmup", 5),
          new LoopbackRig.Camera(
              options.oneOf("controlScene", "bars", Scenes.NAMES),
              options.positiveInt("controlWidth", 320),
              options.positiveInt("controlHeight", 180),
              options.positiveInt("controlFps", 30)),
          options.oneOf("rt", "none", ThreadPolicy.MODES));
    }
  }

  /** Latencies of one path, nanoseconds. */
  static final class Latencies {
    final Histogram rtt = histogram();
    final Histogram forward = histogram();
    final Histogram back = histogram();
    final Histogram naive = histogram(); // ours only: without the hold subtraction
    final Histogram hold = histogram(); // ours only
    long negative;

    synchronized void add(Latencies other) {
      synchronized (other) {
        rtt.add(other.rtt);
        forward.add(other.forward);
        back.add(other.back);
        naive.add(other.naive);
        hold.add(other.hold);
        negative += other.negative;
      }
    }

    synchronized void record(long rttNanos, long forwardNanos, long backNanos) {
      if (rttNanos < 0 || forwardNanos < 0 || backNanos < 0) {
        negative++;
      }
      rtt.recordValue(Math.max(0, rttNanos));
      forward.recordValue(Math.max(0, forwardNanos));
      back.recordValue(Math.max(0, backNanos));
    }

    private static Histogram histogram() {
      return new Histogram(10_000_000_000L, 3);
    }
  }

  /** One measured block. */
  record Block(
      int round,
      String path,
      Latencies latencies,
      long sent,
      long echoed,
      MachineLoad.Usage load) {}

  /** The measuring window of the block under way, in System.nanoTime(). */
  private static final class Window {
    volatile long from = Long.MAX_VALUE;
    volatile long until = Long.MAX_VALUE;

    boolean contains(long nanos) {
      return nanos >= from && nanos < until;
    }
  }

  private static final List<String> PATHS = List.of("ours", "raw", "raw-held");

  private ControlRttBench() {}

  static boolean run(Settings settings) throws Exception {
    Md.progress(
        "control: %d rounds of %s, %d s each (after %d s warm-up), %d Hz, car camera %s",
        settings.rounds(),
        PATHS,
        settings.seconds(),
        settings.warmup(),
        1000 / ControlLoop.PERIOD_MILLIS,
        settings.camera().describe());
    List<Block> blocks = new ArrayList<>();
    try (LoopbackRig rig = LoopbackRig.start(null)) {
      for (int round = 0; round < settings.rounds(); round++) {
        for (int i = 0; i < PATHS.size(); i++) {
          String path = PATHS.get((round + i) % PATHS.size()); // each path goes first in turn
          Block block =
              switch (path) {
                case "ours" -> ours(rig, settings, round + 1);
                case "raw" -> raw(settings, round + 1, false);
                default -> raw(settings, round + 1, true);
              };
          blocks.add(block);
          Md.progress(
              "control round %d %s: rtt p50 %.3f ms, p99 %.3f ms, %,d samples; %s",
              block.round(),
              block.path(),
              Md.p50(block.latencies().rtt),
              Md.p99(block.latencies().rtt),
              block.latencies().rtt.getTotalCount(),
              block.load().describe());
        }
      }
    }
    String markdown = report(settings, blocks);
    System.out.println(markdown);
    Md.write("webrtc-control.md", markdown);
    for (String path : PATHS) {
      Md.writeHgrm("webrtc-control-" + path + ".hgrm", total(blocks, path).rtt);
    }
    return PATHS.stream().allMatch(path -> total(blocks, path).rtt.getTotalCount() > 0);
  }

  // ---- ours ---------------------------------------------------------------------------------

  private static Block ours(LoopbackRig rig, Settings settings, int round) throws Exception {
    Latencies latencies = new Latencies();
    Window window = new Window();
    AtomicLong lastEcho = new AtomicLong(-1);
    AtomicLong echoed = new AtomicLong();
    try (RtcEngine engine = RtcEngine.create()) {
      CarAgent agent = rig.startCar(engine, settings.camera(), 0, 0, null, false, null);
      ControlDriver driver =
          new ControlDriver(
              engine,
              rig.uri(),
              LoopbackRig.DRIVER_TOKEN,
              (frame, received) ->
                  onTelemetry(frame, received, window, lastEcho, echoed, latencies));
      try {
        driver.driveAndAwaitOpen(LoopbackRig.CAR, 15_000);
        // Neutral frames first (the car needs a disarmed frame before arming), then armed with
        // centred controls: the governor's whole armed path runs, the car stays put.
        Thread.sleep(300);
        driver.setIntent(DriveIntent.NEUTRAL.withArmed(true));
        MachineLoad start = measure(window, settings);
        MachineLoad.Usage load = MachineLoad.sample().since(start);
        long sent = settings.seconds() * 1000L / ControlLoop.PERIOD_MILLIS;
        return new Block(round, "ours", latencies, sent, echoed.get(), load);
      } finally {
        driver.close();
        agent.close();
      }
    }
  }

  private static void onTelemetry(
      TelemetryFrame frame,
      long receivedNanos,
      Window window,
      AtomicLong lastEcho,
      AtomicLong echoed,
      Latencies latencies) {
    if (!frame.hasEcho() || lastEcho.getAndSet(frame.echoSeq()) == frame.echoSeq()) {
      return; // the car echoes its newest frame in every telemetry: count each frame once
    }
    long sentMicros = frame.echoSentMicros();
    if (!window.contains(sentMicros * 1000)) {
      return;
    }
    echoed.incrementAndGet();
    long receivedMicros = receivedNanos / 1000;
    long hold = frame.echoHoldMicros();
    long rtt = receivedMicros - sentMicros - hold;
    long forward = frame.carMicros() - hold - sentMicros;
    long back = receivedMicros - frame.carMicros();
    synchronized (latencies) {
      latencies.record(rtt * 1000, forward * 1000, back * 1000);
      latencies.naive.recordValue(Math.max(0, (receivedMicros - sentMicros) * 1000));
      latencies.hold.recordValue(hold * 1000);
    }
  }

  // ---- raw ----------------------------------------------------------------------------------

  /**
   * The raw message: 23 bytes as a control frame: version, kind, seq (4), the driver's send time
   * (8), the car's arrival time written into the echo (8), one spare byte.
   */
  private static final int MESSAGE_BYTES = ControlFrame.SIZE;

  private static final int SENT_TIME_AT = 6;
  private static final int CAR_TIME_AT = 14;

  /** raw-held's echo also carries the car's send time, like telemetry's hold (43 bytes too). */
  private static final int HELD_ECHO_BYTES = TelemetryFrame.SIZE;

  private static final int CAR_SENT_AT = 22;

  /** The car agent's telemetry period. */
  private static final long TELEMETRY_MILLIS = 50;

  private static Block raw(Settings settings, int round, boolean held) throws Exception {
    Latencies latencies = new Latencies();
    Window window = new Window();
    AtomicLong sent = new AtomicLong();
    AtomicLong echoed = new AtomicLong();
    AtomicReference<byte[]> newest = new AtomicReference<>();
    RawPeers[] holder = new RawPeers[1];
    RawPeers peers =
        new RawPeers(
            RawPeers.Setup.dataOnly(),
            new RawPeers.Listener() {
              @Override
              public void onCarMessage(ByteBuffer data, long receivedNanos) {
                byte[] echo = new byte[held ? HELD_ECHO_BYTES : MESSAGE_BYTES];
                data.duplicate().get(echo, 0, Math.min(MESSAGE_BYTES, data.remaining()));
                ByteBuffer.wrap(echo).putLong(CAR_TIME_AT, receivedNanos);
                if (held) {
                  newest.set(echo); // sent with the next telemetry tick
                } else {
                  holder[0].sendFromCar(echo);
                }
              }

              @Override
              public void onDriverMessage(ByteBuffer data, long receivedNanos) {
                ByteBuffer in = data.duplicate();
                long sentNanos = in.getLong(in.position() + SENT_TIME_AT);
                long carNanos = in.getLong(in.position() + CAR_TIME_AT);
                long carSentNanos =
                    held ? in.getLong(in.position() + CAR_SENT_AT) : carNanos; // no hold
                if (window.contains(sentNanos)) {
                  echoed.incrementAndGet();
                  long hold = carSentNanos - carNanos;
                  latencies.record(
                      receivedNanos - sentNanos - hold,
                      carNanos - sentNanos,
                      receivedNanos - carSentNanos);
                  if (held) {
                    synchronized (latencies) {
                      latencies.naive.recordValue(Math.max(0, receivedNanos - sentNanos));
                      latencies.hold.recordValue(Math.max(0, hold));
                    }
                  }
                }
              }
            });
    holder[0] = peers;
    ScheduledExecutorService pinger = scheduler("raw-pinger");
    ScheduledExecutorService telemetry = scheduler("raw-telemetry");
    try {
      peers.start();
      peers.await(peers.channelOpen, 15_000);
      AtomicLong seq = new AtomicLong();
      pinger.scheduleAtFixedRate(
          () -> {
            byte[] message = new byte[MESSAGE_BYTES];
            ByteBuffer out = ByteBuffer.wrap(message);
            out.put((byte) 1).put((byte) 'P').putInt((int) seq.incrementAndGet());
            long now = System.nanoTime();
            out.putLong(now);
            if (peers.sendFromDriver(message) && window.contains(now)) {
              sent.incrementAndGet();
            }
          },
          0,
          ControlLoop.PERIOD_MILLIS,
          TimeUnit.MILLISECONDS);
      if (held) {
        telemetry.scheduleAtFixedRate(
            () -> {
              byte[] echo = newest.getAndSet(null);
              if (echo != null) {
                ByteBuffer.wrap(echo).putLong(CAR_SENT_AT, System.nanoTime());
                peers.sendFromCar(echo);
              }
            },
            TELEMETRY_MILLIS,
            TELEMETRY_MILLIS,
            TimeUnit.MILLISECONDS);
      }
      MachineLoad start = measure(window, settings);
      MachineLoad.Usage load = MachineLoad.sample().since(start);
      return new Block(round, held ? "raw-held" : "raw", latencies, sent.get(), echoed.get(), load);
    } finally {
      pinger.shutdownNow();
      telemetry.shutdownNow();
      pinger.awaitTermination(1, TimeUnit.SECONDS);
      telemetry.awaitTermination(1, TimeUnit.SECONDS);
      peers.close();
    }
  }

  private static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          t.setPriority(Thread.MAX_PRIORITY); // as the station's control loop
          return t;
        });
  }

  /** Warm-up, then the measuring window; returns the load sample taken at its start. */
  private static MachineLoad measure(Window window, Settings settings) {
    sleep(TimeUnit.SECONDS.toNanos(settings.warmup()));
    ThreadPolicy.apply(settings.rt()); // the same scheduling for every path (see ThreadPolicy)
    MachineLoad start = MachineLoad.sample();
    long from = System.nanoTime();
    window.from = from;
    window.until = from + TimeUnit.SECONDS.toNanos(settings.seconds());
    sleep(TimeUnit.SECONDS.toNanos(settings.seconds()) + TimeUnit.MILLISECONDS.toNanos(300));
    return start;
  }

  private static void sleep(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  // ---- report -------------------------------------------------------------------------------

  private static Latencies total(List<Block> blocks, String path) {
    Latencies total = new Latencies();
    blocks.stream().filter(b -> b.path().equals(path)).forEach(b -> total.add(b.latencies()));
    return total;
  }

  static String report(Settings settings, List<Block> blocks) {
    Latencies ours = total(blocks, "ours");
    Latencies raw = total(blocks, "raw");
    Latencies held = total(blocks, "raw-held");
    double p50Ratio = Md.p50(ours.rtt) / Md.p50(raw.rtt);
    double p99Ratio = Md.p99(ours.rtt) / Md.p99(raw.rtt);
    StringBuilder md = new StringBuilder();
    md.append("### Control round trip, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n")
        .append(
            f(
                "Machine: %s. %d rounds of %s, %d s each measured after %d s warm-up, each path"
                    + " first in turn; control at %d Hz; car camera %s; threads %s.%n%n",
                MachineLoad.machine(),
                settings.rounds(),
                String.join(", ", PATHS),
                settings.seconds(),
                settings.warmup(),
                1000 / ControlLoop.PERIOD_MILLIS,
                settings.camera().describe(),
                "rt=" + settings.rt()))
        .append(Md.latencyHeader("Round trip (ms)"))
        .append(Md.latencyRow("ours: rtt = arrival − sent − hold", ours.rtt, 3))
        .append(Md.latencyRow("raw: 23-byte echo at once", raw.rtt, 3))
        .append(Md.latencyRow("raw-held: echo at the next 50 ms tick, − hold", held.rtt, 3))
        .append(Md.latencyRow("ours, forward leg (driver send → car receipt)", ours.forward, 3))
        .append(Md.latencyRow("raw, forward leg", raw.forward, 3))
        .append(Md.latencyRow("raw-held, forward leg", held.forward, 3))
        .append(Md.latencyRow("ours, back leg (car send → driver receipt)", ours.back, 3))
        .append(Md.latencyRow("raw, back leg", raw.back, 3))
        .append(Md.latencyRow("raw-held, back leg", held.back, 3))
        .append(Md.latencyRow("ours without the hold subtraction", ours.naive, 3))
        .append(Md.latencyRow("ours, hold (car receipt → telemetry send)", ours.hold, 3))
        .append('\n')
        .append(
            f(
                "Ratio ours/raw: **p50 %.2f×, p99 %.2f×** (goal ≤ 1.5× at both: %s). Ours/raw-held"
                    + " (same cadence, same hold subtraction): p50 %.2f×, p99 %.2f×. Negative"
                    + " legs (a clock or hold error would show here): ours %d, raw %d, raw-held"
                    + " %d.%n%n",
                p50Ratio,
                p99Ratio,
                p50Ratio <= 1.5 && p99Ratio <= 1.5 ? "**met**" : "**missed**",
                Md.p50(ours.rtt) / Md.p50(held.rtt),
                Md.p99(ours.rtt) / Md.p99(held.rtt),
                ours.negative,
                raw.negative,
                held.negative))
        .append(
            "| Round | Path | Sent / echoed | rtt p50 | rtt p99 | ours/this p50 | ours/this p99 |"
                + " this JVM CPU | other CPU | GC |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Block block : blocks) {
      Block oursSameRound =
          blocks.stream()
              .filter(b -> b.round() == block.round() && b.path().equals("ours"))
              .findFirst()
              .orElse(block);
      md.append(
          f(
              "| %d | %s | %,d / %,d | %.3f | %.3f | %s | %s | %.0f %% | %.0f %% | %s |%n",
              block.round(),
              block.path(),
              block.sent(),
              block.echoed(),
              Md.p50(block.latencies().rtt),
              Md.p99(block.latencies().rtt),
              block == oursSameRound
                  ? "–"
                  : Md.ratio(Md.p50(oursSameRound.latencies().rtt), Md.p50(block.latencies().rtt)),
              block == oursSameRound
                  ? "–"
                  : Md.ratio(Md.p99(oursSameRound.latencies().rtt), Md.p99(block.latencies().rtt)),
              block.load().processPercent(),
              block.load().otherPercent(),
              block.load().gc()));
    }
    md.append(
        "\nOurs and raw-held count one control frame in 2.5 (one echo per 50 ms tick, control at"
            + " 50 Hz); \"sent\" for ours is what the control loop sends in the window. CPU in % of"
            + " one core (the machine has two).\n");
    return md.toString();
  }
}
