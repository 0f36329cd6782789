package dev.rcdrive.station.gamepad.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.java.games.input.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll thread: when it scans, and what it does with readings it cannot trust. */
class JInputGamepadsTest {

  @TempDir Path dev;

  private final List<Controller> plugged = new CopyOnWriteArrayList<>();
  private final AtomicInteger scans = new AtomicInteger();

  private volatile long lastScanNanos = System.nanoTime();

  private List<Controller> scan() {
    scans.incrementAndGet();
    lastScanNanos = System.nanoTime();
    return List.copyOf(plugged);
  }

  @Test
  void noTimedRescansWhileAControllerIsActive() {
    plugged.add(FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX));
    try (JInputGamepads pads =
        new JInputGamepads(this::scan, new JInputGamepads.Options(250, 100), null)) {
      await().atMost(Duration.ofSeconds(3)).until(() -> pads.latest().connected());
      int before = scans.get();

      await()
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(2))
          .until(() -> scans.get() == before);

      pads.rescan().join(); // the button still works
      assertThat(scans.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void withNoControllerItRescansOnItsPeriod() {
    try (JInputGamepads pads =
        new JInputGamepads(this::scan, new JInputGamepads.Options(250, 100), null)) {
      await().atMost(Duration.ofSeconds(3)).until(() -> scans.get() >= 4);
    }
  }

  @Test
  void elsewhereTimedRescansSlowDownAfterAWhileAndTheButtonSpeedsThemUp() {
    // Windows: each JInput scan leaves a window and a thread behind; 2 s forever would pile up.
    try (JInputGamepads pads =
        new JInputGamepads(this::scan, new JInputGamepads.Options(250, 100, 60_000, 500), null)) {
      await().atMost(Duration.ofSeconds(3)).until(() -> scans.get() >= 3); // fast at first
      // Past the fast window: the 100 ms period has given way to a slower one.
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> System.nanoTime() - lastScanNanos > TimeUnit.MILLISECONDS.toNanos(300));
      int settled = scans.get();

      await()
          .during(Duration.ofMillis(800))
          .atMost(Duration.ofSeconds(2))
          .until(() -> scans.get() <= settled + 1);

      pads.rescan().join();
      await().atMost(Duration.ofSeconds(3)).until(() -> scans.get() >= settled + 4);
    }
  }

  @Test
  void onLinuxTimedRescansWaitForADeviceChange() throws Exception {
    // Each JInput scan on Linux opens every device for good: scan again only when /dev/input
    // changed.
    LinuxInputAccess access = new LinuxInputAccess(dev, Files::exists);
    try (JInputGamepads pads =
        new JInputGamepads(this::scan, new JInputGamepads.Options(250, 100), access)) {
      await().atMost(Duration.ofSeconds(3)).until(() -> scans.get() >= 1);
      await()
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(2))
          .until(() -> scans.get() == 1);

      plugged.add(FakePad.of("Wireless Controller", FakePad.Layout.HID_PLAYSTATION));
      Files.createFile(dev.resolve("event5")); // what plugging it in does

      await().atMost(Duration.ofSeconds(3)).until(() -> pads.latest().connected());
      assertThat(scans.get()).isEqualTo(2);
    }
  }
}
