package dev.rcdrive.station.gamepad.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.java.games.input.Component;
import net.java.games.input.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Gamepads} on JInput. One daemon thread owns every JInput object (JInput is not thread
 * safe): it polls the active controller at {@link Options#pollHz} and, while no controller is
 * active, scans again every {@link Options#rescanMillis}.
 *
 * <p>JInput frees nothing a scan takes. On Linux each scan opens every readable /dev/input device
 * for good, so the timed rescan only builds a new environment when the set of devices or their
 * permissions changed. On Windows each scan leaves a hidden window and a message thread behind, and
 * there is no cheap change signal, so after {@link Options#fastForMillis} without a controller the
 * timed rescans slow to {@link Options#slowRescanMillis} (an unplug and the Rescan button make them
 * fast again). The Rescan button always scans.
 */
public final class JInputGamepads implements Gamepads {

  private static final Logger log = LoggerFactory.getLogger(JInputGamepads.class);

  /**
   * Polling and rescanning rates; the defaults are the issue's.
   *
   * @param rescanMillis how often to look for a controller while none is active
   * @param slowRescanMillis the same after {@code fastForMillis} without one, where no cheap change
   *     signal exists (Windows, macOS): JInput's Windows plugins leave a hidden window and a
   *     message thread behind for every scan, so 2 s forever would pile up thousands an hour
   * @param fastForMillis how long the fast rate lasts after start, an unplug or a Rescan
   */
  public record Options(int pollHz, long rescanMillis, long slowRescanMillis, long fastForMillis) {
    public static final Options DEFAULTS = new Options(250, 2000, 20_000, 120_000);

    public Options {
      if (pollHz < 1 || pollHz > 2000) {
        throw new IllegalArgumentException("pollHz must be 1…2000, got " + pollHz);
      }
      if (rescanMillis < 100 || slowRescanMillis < rescanMillis) {
        throw new IllegalArgumentException(
            "rescanMillis must be ≥ 100 and slowRescanMillis ≥ rescanMillis");
      }
    }

    /** The default back-off: ten times slower after two minutes without a controller. */
    public Options(int pollHz, long rescanMillis) {
      this(pollHz, rescanMillis, rescanMillis * 10, 120_000);
    }
  }

  /** A scanned controller and the components behind its {@link PadInfo}. */
  private record Found(PadInfo info, Controller controller, Component[] components) {}

  private final ControllerScanner scanner;
  private final Options options;
  private final LinuxInputAccess access; // null off Linux
  private final ScheduledExecutorService thread;
  private final List<Consumer<PadSnapshot>> listeners = new CopyOnWriteArrayList<>();

  // Published for other threads.
  private volatile List<PadInfo> pads = List.of();
  private volatile PadSnapshot latest = PadSnapshot.NONE;
  private volatile String diagnostic;

  // Owned by the poll thread.
  private List<Found> found = List.of();
  private Found active;
  private String wantedKey;
  private long lastScanNanos;
  private long fastUntilNanos;
  private String lastFingerprint;
  private long seq;

  public JInputGamepads(ControllerScanner scanner, Options options, LinuxInputAccess access) {
    this.scanner = Objects.requireNonNull(scanner);
    this.options = Objects.requireNonNull(options);
    this.access = access;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gamepad-poll");
              t.setDaemon(true);
              t.setPriority(Thread.MAX_PRIORITY - 1);
              return t;
            });
    thread.execute(
        () -> {
          scanFast();
          scan(true);
        });
    long periodNanos = 1_000_000_000L / options.pollHz();
    thread.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** The real devices of this computer, at the default rates. */
  public static JInputGamepads system() {
    return system(Options.DEFAULTS);
  }

  public static JInputGamepads system(Options options) {
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    return new JInputGamepads(
        new JInputScanner(), options, linux ? LinuxInputAccess.system() : null);
  }

  @Override
  public List<PadInfo> pads() {
    return pads;
  }

  @Override
  public PadSnapshot latest() {
    return latest;
  }

  @Override
  public void select(String key) {
    thread.execute(
        () -> {
          wantedKey = key;
          // A key from an older scan that is gone now changes nothing: the active pad keeps
          // driving.
          found.stream()
              .filter(f -> f.info().key().equals(key))
              .findFirst()
              .ifPresent(this::activate);
        });
  }

  @Override
  public CompletableFuture<List<PadInfo>> rescan() {
    CompletableFuture<List<PadInfo>> result = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            scanFast();
            scan(true);
            result.complete(pads);
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      result.complete(List.of());
    }
    return result;
  }

  @Override
  public String diagnostic() {
    return diagnostic;
  }

  @Override
  public void addListener(Consumer<PadSnapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(Consumer<PadSnapshot> listener) {
    listeners.remove(listener);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the poll thread ----------------------------------------------------------------------

  private void tick() {
    try {
      Found current = active;
      if (current != null) {
        poll(current);
      } else {
        long now = System.nanoTime();
        // Linux rescans only on a device change (see scan), so it may look often; elsewhere
        // every look costs JInput resources it never frees, so it slows down after a while.
        long interval =
            access == null && now - fastUntilNanos > 0
                ? options.slowRescanMillis()
                : options.rescanMillis();
        if (now - lastScanNanos >= TimeUnit.MILLISECONDS.toNanos(interval)) {
          scan(false);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // An exception would cancel the schedule and freeze the last values: never let one out.
      log.warn("gamepad poll failed", e);
      lose();
    }
  }

  private void poll(Found pad) {
    if (!pad.controller().poll()) {
      log.info("controller {} stopped answering (unplugged?)", pad.info().name());
      lose();
      return;
    }
    Component[] components = pad.components();
    float[] values = new float[components.length];
    for (int i = 0; i < components.length; i++) {
      float value = components[i].getPollData();
      // A reading that is no number stays NaN: every mapping reads NaN as neutral (0), where
      // a made-up 0 would be a half-pressed trigger on Linux.
      values[i] = Float.isFinite(value) ? value : Float.NaN;
    }
    publish(
        new PadSnapshot(
            pad.info().key(),
            pad.info().name(),
            PadSnapshot.State.CONNECTED,
            ++seq,
            System.nanoTime(),
            pad.info().controls(),
            values));
  }

  /** The active controller is gone: say so once; the timed rescan looks for it again. */
  private void lose() {
    Found gone = active;
    if (gone == null) {
      return;
    }
    active = null;
    scanFast(); // it may come back soon (a loose cable, a wireless pad waking up)
    lastScanNanos = System.nanoTime(); // the first rescan after the full interval, not at once
    lastFingerprint = null; // and a real one, whatever /dev/input looks like now
    PadSnapshot last = latest;
    if (last.state() == PadSnapshot.State.CONNECTED) {
      seq++;
      publish(last.disconnected(System.nanoTime()));
    }
  }

  private void scanFast() {
    fastUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.fastForMillis());
  }

  private void scan(boolean forced) {
    lastScanNanos = System.nanoTime();
    String fingerprint = access == null ? null : access.fingerprint();
    if (!forced && fingerprint != null && fingerprint.equals(lastFingerprint)) {
      return; // nothing was plugged, unplugged or given permissions since the last scan
    }
    lastFingerprint = fingerprint;
    List<Found> now = new ArrayList<>();
    Map<String, Integer> sameName = new HashMap<>();
    for (Controller controller : flatten(scanner.scan())) {
      if (!isGamepad(controller)) {
        continue;
      }
      Component[] components = controller.getComponents();
      List<PadControl> controls = new ArrayList<>(components.length);
      for (Component component : components) {
        controls.add(new PadControl(component.getIdentifier().getName(), kindOf(component)));
      }
      String name = controller.getName() == null ? "Controller" : controller.getName().strip();
      int n = sameName.merge(name, 1, Integer::sum);
      now.add(new Found(new PadInfo(name + "#" + n, name, controls), controller, components));
    }
    found = List.copyOf(now);
    pads = now.stream().map(Found::info).toList();
    diagnostic = now.isEmpty() && access != null ? access.diagnose() : null;
    if (now.isEmpty()) {
      log.debug("no game controller found");
    }
    // The one the driver picked if it is there, else the first: plugging any pad in just works.
    // A rescan while driving re-binds to the fresh JInput object of the same controller.
    Found pick =
        now.stream()
            .filter(f -> f.info().key().equals(wantedKey))
            .findFirst()
            .orElse(now.isEmpty() ? null : now.get(0));
    activate(pick);
  }

  private void activate(Found pad) {
    if (pad == null) {
      lose();
      return;
    }
    if (active == null || !active.info().key().equals(pad.info().key())) {
      log.info("controller in use: {}", pad.info().name());
    }
    active = pad;
    poll(pad);
  }

  private void publish(PadSnapshot snapshot) {
    latest = snapshot;
    for (Consumer<PadSnapshot> listener : listeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        log.warn("a gamepad listener failed", e);
      }
    }
  }

  private static List<Controller> flatten(List<Controller> controllers) {
    List<Controller> all = new ArrayList<>();
    for (Controller c : controllers) {
      if (c == null) {
        continue;
      }
      all.add(c);
      Controller[] children = c.getControllers();
      if (children != null) {
        all.addAll(flatten(List.of(children)));
      }
    }
    return all;
  }

  /** Sticks, pads and wheels with at least one axis; never keyboards, mice or trackpads. */
  static boolean isGamepad(Controller controller) {
    Controller.Type type = controller.getType();
    if (type != Controller.Type.GAMEPAD
        && type != Controller.Type.STICK
        && type != Controller.Type.WHEEL) {
      return false;
    }
    for (Component component : controller.getComponents()) {
      if (kindOf(component) == PadControl.Kind.AXIS) {
        return true;
      }
    }
    return false;
  }

  public static PadControl.Kind kindOf(Component component) {
    Component.Identifier id = component.getIdentifier();
    if (id == Component.Identifier.Axis.POV) {
      return PadControl.Kind.POV;
    }
    if (id instanceof Component.Identifier.Button || id instanceof Component.Identifier.Key) {
      return PadControl.Kind.BUTTON;
    }
    return PadControl.Kind.AXIS;
  }
}
