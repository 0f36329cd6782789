package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.java.games.input.AbstractComponent;
import net.java.games.input.AbstractController;
import net.java.games.input.Component;
import net.java.games.input.Controller;
import net.java.games.input.Event;
import org.HdrHistogram.Histogram;

/**
 * Controller input → control frame handed to the data channel ({@code gamepad} in BenchMain).
 *
 * <p>A fake JInput controller (JInput's own base classes, as in the tests) moves its right trigger
 * at a known {@code System.nanoTime()}; the real 250 Hz poll thread reads it, {@link GamepadInput}
 * maps it, {@link ControlLoop} encodes it, and the time is taken when the loop hands the frame to
 * its sender (where the station's sender calls {@code RTCDataChannel.send}). Three paths, in
 * alternating blocks of the same run: the station's (a changed intent is sent at once, on the poll
 * thread), the same with the send handed to the loop's thread, and a <b>fixed 20 ms</b> period (the
 * same loop sending only on its 50 Hz tick, as the FRC driver station does). Changes come at random
 * 10–30 ms gaps so they fall at every phase of the poll and send periods.
 */
final class GamepadLatencyBench {

  private GamepadLatencyBench() {}

  /**
   * @param realtime make the poll and control-loop threads SCHED_FIFO (as a station granted
   *     CAP_SYS_NICE could); default off: what a plain user's station gets
   */
  record Settings(int samples, int warmup, int pollHz, int rounds, boolean realtime) {}

  static boolean run(BenchOptions options) throws Exception {
    Settings settings =
        new Settings(
            options.positiveInt("samples", 2000),
            options.nonNegativeInt("warmup", 300),
            options.positiveInt("pollHz", 250),
            options.positiveInt("rounds", 2),
            options.oneOf("rt", "none", List.of("none", "fifo")).equals("fifo"));
    options.rejectUnread();
    Md.progress(
        "gamepad: %d samples per path in %d rounds, poll %d Hz, warm-up %d",
        settings.samples(), settings.rounds(), settings.pollHz(), settings.warmup());

    // Warm the JIT on both paths first; these samples are dropped.
    for (Path path : Path.values()) {
      measure(path, Math.max(1, settings.warmup() / Path.values().length), settings);
    }

    Map<Path, Histogram> totals = new EnumMap<>(Path.class);
    for (Path path : Path.values()) {
      totals.put(path, new Histogram(TimeUnit.SECONDS.toNanos(1), 3));
    }
    List<String> loads = new ArrayList<>();
    List<String> blocks = new ArrayList<>();
    int perBlock = Math.max(1, settings.samples() / settings.rounds());
    long lost = 0;
    for (int round = 1; round <= settings.rounds(); round++) {
      for (Path p : Path.values()) {
        MachineLoad start = MachineLoad.sample();
        Block block = measure(p, perBlock, settings);
        MachineLoad.Usage load = MachineLoad.sample().since(start);
        totals.get(p).add(block.latency());
        lost += block.lost();
        String path = p.label;
        loads.add(
            f(
                "round %d %s: %s; busiest threads: %s",
                round, path, load.describe(), load.busiestThreads()));
        blocks.add(
            f(
                "| %d | %s | %.2f | %.2f | %.2f | %.0f %% |%n",
                round,
                path,
                Md.p50(block.latency()),
                Md.p99(block.latency()),
                block.latency().getMaxValue() / 1e6,
                load.otherPercent()));
        Md.progress(
            "round %d %s: p50 %.2f ms, p99 %.2f ms; %s",
            round, path, Md.p50(block.latency()), Md.p99(block.latency()), load.describe());
      }
    }

    Histogram onChange = totals.get(Path.POLL_THREAD);
    boolean met = Md.p99(onChange) < 5.0;
    StringBuilder md = new StringBuilder();
    md.append("# Controller input → control frame\n\n");
    md.append(
        f(
            "%s. Poll %d Hz; threads %s; %,d samples per path in %d rounds (after %d warm-up); changes at"
                + " random 10–30 ms gaps.%n%n",
            MachineLoad.machine(),
            settings.pollHz(),
            settings.realtime()
                ? "gamepad-poll and control-loop SCHED_FIFO 50 (rt=fifo)"
                : "SCHED_OTHER (rt=none, a plain user's)",
            settings.samples(),
            settings.rounds(),
            settings.warmup()));
    md.append(Md.latencyHeader("path (ms)"));
    for (Path p : Path.values()) {
      md.append(Md.latencyRow(p.label, totals.get(p), 2));
    }
    md.append(
        f(
            "%nGoal p99 < 5 ms with the %d Hz poller (the station's path, sent on the poll"
                + " thread): **%s** (p99 %.2f ms). Means: %s. Changes that never reached a frame"
                + " within 200 ms: %d.%n%n",
            settings.pollHz(),
            met ? "met" : "NOT met",
            Md.p99(onChange),
            java.util.Arrays.stream(Path.values())
                .map(p -> f("%s %.2f ms", p.label, totals.get(p).getMean() / 1e6))
                .collect(java.util.stream.Collectors.joining(", ")),
            lost));
    md.append("Each block (ms; other processes' CPU in % of one core, the machine has 2):\n\n");
    md.append("| round | path | p50 | p99 | max | other CPU |\n|---|---|---|---|---|---|\n");
    blocks.forEach(md::append);
    md.append("\nLoad during each block:\n\n");
    loads.forEach(l -> md.append("- ").append(l).append('\n'));
    Md.write("gamepad-latency.md", md.toString());
    for (Path p : Path.values()) {
      Md.writeHgrm(
          "gamepad-latency-" + p.name().toLowerCase(java.util.Locale.ROOT) + ".hgrm",
          totals.get(p));
    }
    System.out.println(md);
    return lost == 0;
  }

  record Block(Histogram latency, long lost) {}

  /** How the intent reaches the frame. */
  enum Path {
    /** The station's wiring: a change is sent on the poll thread (ControlLoop.setAndSend). */
    POLL_THREAD("on change, sent on the poll thread (rcdrive)"),
    /** A change handed to the control loop's thread (ControlLoop.set, as the keyboard's pulse). */
    HAND_OFF("on change, handed to the loop's thread"),
    /** Only the 50 Hz period sends, as the FRC driver station. */
    FIXED("fixed 20 ms period (FRC DS)");

    final String label;

    Path(String label) {
      this.label = label;
    }
  }

  /** One block: the poll thread, the mapping and a control loop, {@code samples} changes. */
  private static Block measure(Path path, int samples, Settings settings) throws Exception {
    int pollHz = settings.pollHz();
    BenchPad pad = new BenchPad();
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
    Probe probe = new Probe(latency);
    long lost = 0;
    DriveController drive =
        new DriveController(
            System::nanoTime,
            (source, channel) ->
                ControlLoop.start(source, channel, ControlLoop.PERIOD_MILLIS, path != Path.FIXED));
    GamepadInput.Listener wiring =
        path == Path.HAND_OFF
            // The keyboard's way in: the FX pulse hands its axes over, the loop's thread sends.
            ? new GamepadInput.Listener() {
              @Override
              public void onAxes(Axes axes) {
                drive.keyboard(axes);
              }
            }
            : GamepadInput.driving(drive, new GamepadInput.Listener() {}); // the station's
    try (JInputGamepads gamepads =
            new JInputGamepads(() -> List.of(pad), new JInputGamepads.Options(pollHz, 2000), null);
        GamepadInput input = new GamepadInput(gamepads, null, wiring)) {
      drive.attach(probe::frame);
      // Picked up, and (on the station's wiring) the input in use: arming before that would be
      // undone by the controller's arrival, as it must be.
      DriveState.Input expected =
          path == Path.HAND_OFF ? DriveState.Input.KEYBOARD : DriveState.Input.CONTROLLER;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!(input.active() && drive.state().input() == expected)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (!input.active() || drive.state().input() != expected) {
        throw new IllegalStateException("the fake controller was not picked up");
      }
      if (settings.realtime()) {
        ThreadPolicy.realtime(List.of("gamepad-poll", "control-loop"), 50);
      }
      drive.toggleArm(); // the trigger rests: armed at once
      if (drive.state().mode() != DriveState.Mode.ARMED) {
        throw new IllegalStateException("not armed: " + drive.state().reason());
      }
      SplittableRandom random = new SplittableRandom(42);
      boolean pressed = false;
      for (int i = 0; i < samples; i++) {
        // 10–30 ms after the last frame: a uniform phase against both the 4 ms poll and the 20 ms
        // send period (a gap shorter than 20 ms would favour the fixed period's early phases).
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(10_000 + random.nextInt(20_000)));
        pressed = !pressed;
        probe.expect(pressed ? 1.0 : 0.0, System.nanoTime());
        pad.rightTrigger.value = pressed ? 1f : -1f;
        if (!probe.awaitSeen(TimeUnit.MILLISECONDS.toNanos(200))) {
          lost++;
        }
      }
    } finally {
      drive.close();
    }
    return new Block(latency, lost);
  }

  /** The control loop's sender: takes the time, then checks the frame carries the new value. */
  private static final class Probe {
    private final Histogram latency;
    private volatile double expected = Double.NaN;
    private volatile long changedAt;
    private volatile boolean seen = true;

    Probe(Histogram latency) {
      this.latency = latency;
    }

    void expect(double throttle, long atNanos) {
      changedAt = atNanos;
      expected = throttle;
      seen = false;
    }

    boolean frame(byte[] bytes) {
      long now = System.nanoTime();
      if (!seen) {
        var decoded = ControlFrame.decode(bytes);
        ControlFrame frame = decoded.isOk() ? decoded.orElseThrow() : null;
        if (frame != null && frame.armed() && frame.throttle() == expected) {
          latency.recordValue(Math.min(now - changedAt, latency.getHighestTrackableValue()));
          seen = true;
        }
      }
      return true;
    }

    boolean awaitSeen(long timeoutNanos) {
      long end = System.nanoTime() + timeoutNanos;
      while (!seen) {
        if (System.nanoTime() > end) {
          seen = true;
          return false;
        }
        LockSupport.parkNanos(50_000);
      }
      return true;
    }
  }

  /** An Xbox pad as Linux names it, through JInput's base classes; only the trigger moves. */
  private static final class BenchPad extends AbstractController {
    final Part rightTrigger;

    BenchPad() {
      this(parts());
    }

    private BenchPad(Part[] parts) {
      super(
          "Microsoft X-Box 360 pad", parts, new Controller[0], new net.java.games.input.Rumbler[0]);
      rightTrigger = parts[3];
    }

    private static Part[] parts() {
      Part[] parts = {
        new Part(Component.Identifier.Axis.X, 0),
        new Part(Component.Identifier.Axis.Y, 0),
        new Part(Component.Identifier.Axis.Z, -1),
        new Part(Component.Identifier.Axis.RZ, -1),
        new Part(Component.Identifier.Button.A, 0),
        new Part(Component.Identifier.Button.B, 0),
        new Part(Component.Identifier.Button.SELECT, 0),
        new Part(Component.Identifier.Button.START, 0)
      };
      return parts;
    }

    @Override
    public Type getType() {
      return Type.GAMEPAD;
    }

    @Override
    protected boolean getNextDeviceEvent(Event event) {
      return false;
    }

    @Override
    protected void pollDevice() throws IOException {}
  }

  private static final class Part extends AbstractComponent {
    volatile float value;

    Part(Component.Identifier id, float rest) {
      super(id.getName(), id);
      value = rest;
    }

    @Override
    protected float poll() {
      return value;
    }

    @Override
    public boolean isRelative() {
      return false;
    }
  }
}
