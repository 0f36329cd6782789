package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.faults.ImpairProxy;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.Coturn;
import dev.rcdrive.testing.ScriptedControl;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code soak}: the simulated car driven for many minutes at 720p30 through TURN (relay only) with
 * an impairment proxy in front of coturn (loss, delay, jitter, rate). Each minute it records the
 * heap after a GC, the process's resident memory (libwebrtc's native buffers: a frame not released
 * is 1.4 MB of I420 that never comes back), its thread count (Java and native), frames received and
 * the control round trip's percentiles. Fails when memory or threads grow beyond the stated bounds.
 *
 * <p>Settings: {@code minutes} (10), {@code loss} per leg in % (0.5; both the car's and the
 * driver's TURN legs cross the proxy, so ~1 % end to end), {@code delay}/{@code jitter} one-way per
 * leg in ms (12/5: ~50 ms RTT), {@code rate} kbit/s (8000), {@code seed} (1).
 */
final class SoakBench {

  /** Allowed growth from the end of minute 1 (warm) to the end: leaks show up as steady growth. */
  static final long RSS_GROWTH_BOUND_MB = 64;

  static final long HEAP_GROWTH_BOUND_MB = 32;
  static final int THREAD_GROWTH_BOUND = 4;

  private SoakBench() {}

  record Minute(
      int minute,
      long heapMb,
      long rssMb,
      int javaThreads,
      int osThreads,
      long frames,
      long controlFrames,
      double rttP50,
      double rttP99,
      double rttMax,
      long rttSamples,
      int failsafes,
      long liveDataChannelBuffers,
      long liveVideoFrames,
      String carState,
      String load) {}

  static boolean run(BenchOptions options) throws Exception {
    int minutes = options.positiveInt("minutes", 10);
    int lossTenths = options.nonNegativeInt("loss10", 5); // 0.5 %: loss in tenths of a percent
    int delay = options.nonNegativeInt("delay", 12);
    int jitter = options.nonNegativeInt("jitter", 5);
    int rate = options.nonNegativeInt("rate", 8000);
    int seed = options.nonNegativeInt("seed", 1);
    ImpairProxy.Impairment impairment =
        new ImpairProxy.Impairment(lossTenths / 10.0, delay, jitter, 0, rate, false);
    Md.progress("soak: %d min, 720p30, relay only, per TURN leg %s", minutes, impairment);
    MachineLoad loadStart = MachineLoad.sample();
    List<Minute> rows = new ArrayList<>();
    String pathChecked;
    try (Coturn turn = Coturn.start("soak-" + System.nanoTime());
        ImpairProxy proxy =
            ImpairProxy.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                turnAddress(turn),
                address -> true,
                seed);
        LoopbackRig rig =
            LoopbackRig.start(
                "turn:127.0.0.1:" + proxy.address().getPort() + "?transport=udp", turn.secret());
        RtcEngine engine = RtcEngine.create()) {
      proxy.set(impairment);
      CarAgent car =
          rig.startCar(
              engine, new LoopbackRig.Camera("arena", 1280, 720, 30), 0, 0, null, true, null);
      DriverSession session =
          DriverSession.open(
              engine,
              rig.uri(),
              LoopbackRig.DRIVER_TOKEN,
              LinkOptions.defaults().withRelayOnly(true),
              null);
      ScriptedControl control = new ScriptedControl(session); // 50 Hz heartbeats from the start
      try {
        session.ready().get(10, TimeUnit.SECONDS);
        session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
        session.firstFrame().get(30, TimeUnit.SECONDS);
        pathChecked =
            session.linkStats().get(5, TimeUnit.SECONDS).isRelayed() ? "relay" : "NOT RELAYED";
        rows = drive(session, control, car, minutes);
      } finally {
        control.close();
        session.close();
        car.close();
      }
      Md.progress("proxy forwarded %d packets, dropped %d", proxy.forwarded(), proxy.dropped());
    }
    MachineLoad.Usage load = MachineLoad.sample().since(loadStart);
    return report(rows, impairment, minutes, pathChecked, load);
  }

  private static InetSocketAddress turnAddress(Coturn turn) {
    URI uri = URI.create(turn.url().replace("turn:", "turn://"));
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** Drives a slow slalom, armed, sampling once a minute; bounded by {@code minutes}. */
  private static List<Minute> drive(
      DriverSession session, ScriptedControl control, CarAgent car, int minutes) throws Exception {
    List<Minute> rows = new ArrayList<>();
    control.set(DriveIntent.NEUTRAL); // disarmed first: arming needs the edge
    Thread.sleep(200);
    long start = System.nanoTime();
    long controlAtStart = control.framesSent();
    AtomicLong rttSeen = new AtomicLong();
    TelemetryFrame lastTelemetry = null;
    for (int minute = 1; minute <= minutes; minute++) {
      Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
      long minuteEnd = start + TimeUnit.MINUTES.toNanos(minute);
      MachineLoad loadStart = MachineLoad.sample();
      int failsafes = 0;
      long rearmUntil = 0;
      while (System.nanoTime() < minuteEnd) {
        long now = System.nanoTime();
        double t = (now - start) / 1e9;
        LinkStatus status = session.status();
        if (status.carState() == CarState.FAILSAFE && now > rearmUntil) {
          // What a driver does on seeing FAILSAFE: let go (disarm), then arm again.
          failsafes++;
          Md.progress("minute %d: car FAILSAFE (%s); re-arming", minute, car.status().reason());
          rearmUntil = now + TimeUnit.MILLISECONDS.toNanos(1000);
        }
        boolean armed = now > rearmUntil - TimeUnit.MILLISECONDS.toNanos(700);
        // Gentle throttle and a slow slalom: the sim car keeps moving inside its arena.
        control.set(
            armed
                ? new DriveIntent(Math.sin(t / 3), 0.15, 0, true, false, 0)
                : DriveIntent.NEUTRAL);
        if (status.telemetry() != lastTelemetry && status.telemetry() != null) {
          lastTelemetry = status.telemetry();
          if (Double.isFinite(status.controlRttMs()) && status.controlRttMs() >= 0) {
            rtt.recordValue(
                Math.min(rtt.getHighestTrackableValue(), (long) (status.controlRttMs() * 1000)));
            rttSeen.incrementAndGet();
          }
        }
        Thread.sleep(20); // a gamepad's poll period: a new intent every 20 ms
      }
      // A class histogram runs a full GC first: the heap figure after it is what can grow, and
      // the live counts are objects something still holds.
      String histogram = classHistogram();
      Thread.sleep(200);
      long heap =
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
      LinkStatus status = session.status();
      Minute row =
          new Minute(
              minute,
              heap,
              procStatus("VmRSS") / 1024,
              Thread.activeCount(),
              (int) procStatus("Threads"),
              status.framesReceived(),
              control.framesSent() - controlAtStart,
              rtt.getValueAtPercentile(50) / 1000.0,
              rtt.getValueAtPercentile(99) / 1000.0,
              rtt.getMaxValue() / 1000.0,
              rtt.getTotalCount(),
              failsafes,
              liveInstances(histogram, "dev.onvoid.webrtc.RTCDataChannelBuffer"),
              liveInstances(histogram, "dev.onvoid.webrtc.media.video.VideoFrame"),
              car.status().state().name(),
              MachineLoad.sample().since(loadStart).describe());
      rows.add(row);
      Md.progress(
          "minute %d: heap %d MB, RSS %d MB, threads %d java / %d os, frames %d, rtt p50 %.1f"
              + " p99 %.1f ms, failsafes %d, live RTCDataChannelBuffer %d, live VideoFrame %d, car %s",
          minute,
          row.heapMb(),
          row.rssMb(),
          row.javaThreads(),
          row.osThreads(),
          row.frames(),
          row.rttP50(),
          row.rttP99(),
          row.failsafes(),
          row.liveDataChannelBuffers(),
          row.liveVideoFrames(),
          row.carState());
    }
    return rows;
  }

  /** The JVM's class histogram (jcmd GC.class_histogram), which collects garbage first. */
  static String classHistogram() throws Exception {
    return (String)
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
  }

  /** Live instances of a class in a histogram (0 when none are left). */
  static long liveInstances(String histogram, String className) {
    for (String line : histogram.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[3].equals(className)) {
        return Long.parseLong(f[1]);
      }
    }
    return 0;
  }

  /** A kB (or count) field of /proc/self/status. */
  private static long procStatus(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + field + " in /proc/self/status");
  }

  private static boolean report(
      List<Minute> rows,
      ImpairProxy.Impairment impairment,
      int minutes,
      String path,
      MachineLoad.Usage load)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(
        f(
            "Soak: %d min, sim car 1280x720@30 VP8, relay only (%s), per TURN leg: %s%n%n",
            minutes, path, impairment));
    md.append(
        "| min | heap after GC MB | RSS MB | threads java/os | frames (total) | control"
            + " frames | RTT p50 ms | RTT p99 ms | RTT max ms | RTT samples | failsafes | live"
            + " RTCDataChannelBuffer | live VideoFrame | car |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Minute r : rows) {
      md.append(
          f(
              "| %d | %d | %d | %d/%d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %d | %d | %s |%n",
              r.minute(),
              r.heapMb(),
              r.rssMb(),
              r.javaThreads(),
              r.osThreads(),
              r.frames(),
              r.controlFrames(),
              r.rttP50(),
              r.rttP99(),
              r.rttMax(),
              r.rttSamples(),
              r.failsafes(),
              r.liveDataChannelBuffers(),
              r.liveVideoFrames(),
              r.carState()));
    }
    md.append("\nMachine load per minute:\n\n");
    for (Minute r : rows) {
      md.append(f("- minute %d: %s%n", r.minute(), r.load()));
    }
    md.append(
        f("%nWhole run: %s%n%nBusiest threads: %s%n", load.describe(), load.busiestThreads()));
    List<String> problems = new ArrayList<>();
    if (!path.equals("relay")) {
      problems.add("the link was not relayed");
    }
    if (rows.size() >= 2) {
      Minute first = rows.get(0);
      Minute last = rows.get(rows.size() - 1);
      if (last.rssMb() - first.rssMb() > RSS_GROWTH_BOUND_MB) {
        problems.add(
            f("RSS grew %d MB (bound %d)", last.rssMb() - first.rssMb(), RSS_GROWTH_BOUND_MB));
      }
      if (last.heapMb() - first.heapMb() > HEAP_GROWTH_BOUND_MB) {
        problems.add(
            f("heap grew %d MB (bound %d)", last.heapMb() - first.heapMb(), HEAP_GROWTH_BOUND_MB));
      }
      if (last.osThreads() - first.osThreads() > THREAD_GROWTH_BOUND) {
        problems.add(f("threads grew from %d to %d", first.osThreads(), last.osThreads()));
      }
    }
    // A failsafe on a lossy link is the car doing its job (reported, not failed); a car that
    // cannot be re-armed is not.
    Minute lastRow = rows.isEmpty() ? null : rows.get(rows.size() - 1);
    if (lastRow == null || !lastRow.carState().equals(CarState.ARMED.name())) {
      problems.add("the car did not end ARMED");
    }
    md.append(
        f(
            "%nBounds (minute 1 → last): RSS +%d MB, heap +%d MB, threads +%d. Result: %s%n",
            RSS_GROWTH_BOUND_MB,
            HEAP_GROWTH_BOUND_MB,
            THREAD_GROWTH_BOUND,
            problems.isEmpty() ? "within bounds" : String.join("; ", problems)));
    Md.write("soak.md", md.toString());
    System.out.println(md);
    return problems.isEmpty();
  }
}
