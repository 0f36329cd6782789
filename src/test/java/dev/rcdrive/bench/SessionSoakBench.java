package dev.rcdrive.bench;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.SimActuator;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.sim.TestPattern;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.testing.ScriptedControl;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code sessions}: webrtc-java 0.14.0's data-channel leak across many drive sessions, with and
 * without the car recycling its WebRTC factory between sessions (docs/decisions/0007). One car
 * agent per mode (simulated car, 160x120@10 test pattern), then {@code sessions} drivers one after
 * the other, each in a WebRTC engine of its own (disposed after, so the driver's own leak goes with
 * it), each sending control frames as fast as a changing intent goes out ({@code rate} a second)
 * for {@code seconds}. At the start of every session, once the new link is up (the car recycles
 * before it answers), the heap after a full GC and the live {@code RTCDataChannelBuffer} instances.
 * Fails when, with recycling, the heap grows more than the stated bound.
 */
final class SessionSoakBench {

  /** Allowed heap growth with recycling, first session to last. */
  static final long RECYCLED_GROWTH_BOUND_MB = 4;

  private SessionSoakBench() {}

  record Row(
      String mode, int session, long heapKb, long liveBuffers, long messages, String histogram) {}

  static boolean run(BenchOptions options) throws Exception {
    int sessions = options.positiveInt("sessions", 20);
    int seconds = options.positiveInt("seconds", 10);
    int rate = options.positiveInt("rate", 2000);
    Md.progress(
        "sessions: %d sessions of %d s at up to %d control frames/s", sessions, seconds, rate);
    List<Row> rows = new ArrayList<>();
    long[] recycles = new long[2];
    try (LoopbackRig rig = LoopbackRig.start(null)) {
      boolean both = options.nonNegativeInt("plain", 1) == 1; // plain=0: the recycled mode only
      for (boolean recycle : both ? new boolean[] {false, true} : new boolean[] {true}) {
        recycles[recycle ? 1 : 0] = soak(rig, recycle, sessions, seconds, rate, rows);
      }
    }
    return report(rows, sessions, seconds, rate, recycles);
  }

  private static long soak(
      LoopbackRig rig, boolean recycle, int sessions, int seconds, int rate, List<Row> rows)
      throws Exception {
    String mode = recycle ? "recycled" : "not recycled";
    AgentConfig config =
        new AgentConfig(
            rig.uri().toString(),
            LoopbackRig.CAR,
            LoopbackRig.CAR_KEY,
            new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 160, 120, 10),
            AgentConfig.ActuatorKind.SIM,
            250,
            null,
            null,
            false,
            null,
            null,
            new AgentConfig.Memory(95, recycle));
    try (RtcEngine carEngine = RtcEngine.create()) {
      CarAgent car =
          CarAgent.start(
              config,
              carEngine,
              new SimActuator(new CarModel(CarModel.Spec.buggy())),
              new RenderedCamera("test", 160, 120, 10, TestPattern::render));
      try {
        rig.awaitOnlineCars(1, java.time.Duration.ofSeconds(10));
        long messages = 0;
        for (int s = 1; s <= sessions; s++) {
          try (RtcEngine driverEngine = RtcEngine.create();
              DriverSession session =
                  DriverSession.open(
                      driverEngine,
                      rig.uri(),
                      LoopbackRig.DRIVER_TOKEN,
                      LinkOptions.defaults(),
                      null)) {
            session.ready().get(10, TimeUnit.SECONDS);
            session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
            session.firstFrame().get(20, TimeUnit.SECONDS);
            String histogram = SoakBench.classHistogram(); // a full GC first
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 10;
            Row row =
                new Row(
                    mode,
                    s,
                    heap,
                    SoakBench.liveInstances(histogram, "dev.onvoid.webrtc.RTCDataChannelBuffer"),
                    messages,
                    histogram);
            rows.add(row);
            Md.progress(
                "%s, session %d: heap %d kB, live RTCDataChannelBuffer %d, %d messages so far",
                mode, s, heap, row.liveBuffers(), messages);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long gap = TimeUnit.SECONDS.toNanos(1) / rate;
            int i = 0;
            try (ScriptedControl control = new ScriptedControl(session)) {
              while (System.nanoTime() < end) {
                // A new steering each time: the station sends a changed intent at once.
                control.set(new DriveIntent(Math.sin(i++ / 50.0) * 0.5, 0, 0, false, false, 0));
                LockSupport.parkNanos(gap);
              }
              messages += control.framesSent();
            }
          }
        }
        return car.rtcRecycles();
      } finally {
        car.close();
      }
    }
  }

  /** The classes whose live bytes grew most between two class histograms. */
  static List<String> growth(String before, String after, int top) {
    java.util.Map<String, long[]> a = parse(before);
    java.util.Map<String, long[]> b = parse(after);
    return b.entrySet().stream()
        .map(
            e -> {
              long[] old = a.getOrDefault(e.getKey(), new long[2]);
              return java.util.Map.entry(
                  e.getKey(), new long[] {e.getValue()[0] - old[0], e.getValue()[1] - old[1]});
            })
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .limit(top)
        .map(e -> Md.f("%s %+d B, %+d", e.getKey(), e.getValue()[1], e.getValue()[0]))
        .toList();
  }

  private static java.util.Map<String, long[]> parse(String histogram) {
    java.util.Map<String, long[]> map = new java.util.HashMap<>();
    for (String line : histogram.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        map.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return map;
  }

  private static boolean report(
      List<Row> rows, int sessions, int seconds, int rate, long[] recycles) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("| session | heap after GC, not recycled (kB) | live buffers | heap after GC,")
        .append(
            " recycled (kB) | live buffers | messages so far (each) |\n|---|---|---|---|---|---|\n");
    List<Row> recycled = rows.stream().filter(r -> r.mode().equals("recycled")).toList();
    List<Row> plain = rows.stream().filter(r -> r.mode().equals("not recycled")).toList();
    if (plain.isEmpty()) {
      plain = recycled; // plain=0
    }
    for (int i = 0; i < Math.min(plain.size(), recycled.size()); i++) {
      Row a = plain.get(i);
      Row b = recycled.get(i);
      md.append(
          Md.f(
              "| %d | %d | %d | %d | %d | %d / %d |\n",
              a.session(),
              a.heapKb(),
              a.liveBuffers(),
              b.heapKb(),
              b.liveBuffers(),
              a.messages(),
              b.messages()));
    }
    long plainGrowth = plain.get(plain.size() - 1).heapKb() - plain.get(1).heapKb();
    long recycledGrowth = recycled.get(recycled.size() - 1).heapKb() - recycled.get(1).heapKb();
    long plainMessages = plain.get(plain.size() - 1).messages() - plain.get(1).messages();
    md.append(
        Md.f(
            "%nSession 2 → %d: not recycled %+d kB (%.0f bytes per message over %d messages);"
                + " recycled %+d kB; factory recycles: %d (not recycled: %d).%n",
            sessions,
            plainGrowth,
            plainMessages == 0 ? 0.0 : plainGrowth * 1024.0 / plainMessages,
            plainMessages,
            recycledGrowth,
            recycles[1],
            recycles[0]));
    md.append(Md.f("%d sessions of %d s, up to %d frames/s.%n", sessions, seconds, rate));
    md.append("\nWhat grew, recycled, session 2 → last (bytes, instances):\n\n");
    for (String line :
        growth(recycled.get(1).histogram(), recycled.get(recycled.size() - 1).histogram(), 12)) {
      md.append("- ").append(line).append('\n');
    }
    Md.write("sessions", md.toString());
    System.out.println(md);
    boolean ok = recycledGrowth <= RECYCLED_GROWTH_BOUND_MB * 1024 && recycles[1] >= sessions - 1;
    if (!ok) {
      System.out.println("FAILED: with recycling the heap grew " + recycledGrowth + " kB");
    }
    return ok;
  }
}
