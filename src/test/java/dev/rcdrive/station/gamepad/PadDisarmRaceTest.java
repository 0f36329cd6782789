package dev.rcdrive.station.gamepad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.drive.DriveState.Mode;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue #15's defect, replayed step by step: the pad's poll thread has read the controller while
 * the car is armed and is about to hand its reading over; on another thread the window loses the
 * focus (a disarm, and its frame); only then does the pad thread hand its reading over.
 *
 * <p>In the old design the reading was an intent built under the input's lock, "armed" included,
 * and handed to the control loop after the lock was released: the frame after the disarm's was
 * armed again (recorded on the old code: seq 3 disarmed, seq 4 armed with full throttle) — the
 * disarmed→armed edge the car arms on. Now a reading is axes only and the frame is composed from
 * the controller's state inside the loop's send order: no armed frame follows the disarm.
 */
class PadDisarmRaceTest {

  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  private ControlFrame last() {
    return sent.get(sent.size() - 1);
  }

  @Test
  void aReadingHandedOverAfterADisarmSendsNoArmedFrame() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    AtomicBoolean holdNext = new AtomicBoolean();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch disarmed = new CountDownLatch(1);
    AtomicInteger handedOver = new AtomicInteger();
    // A one-hour heartbeat: every frame after the first comes from a change.
    DriveController drive =
        new DriveController(
            System::nanoTime,
            (source, channel) -> ControlLoop.start(source, channel, 3_600_000, true));
    GamepadInput.Listener station = GamepadInput.driving(drive, new GamepadInput.Listener() {});
    GamepadInput.Listener holdingOneReading =
        new GamepadInput.Listener() {
          @Override
          public void onStatus(GamepadInput.Status status) {
            station.onStatus(status);
          }

          @Override
          public void onAction(PadAction action) {
            station.onAction(action);
          }

          @Override
          public void onAxes(Axes axes) {
            if (axes.throttle() == 1.0 && holdNext.compareAndSet(true, false)) {
              holding.countDown(); // read while armed, not handed over yet
              waitFor(disarmed);
            }
            station.onAxes(axes);
            handedOver.incrementAndGet();
          }
        };
    try (JInputGamepads gamepads =
            new JInputGamepads(() -> List.of(pad), new JInputGamepads.Options(250, 100), null);
        GamepadInput input = new GamepadInput(gamepads, null, holdingOneReading)) {
      drive.attach(this::record);
      // Arm once the controller is the input in use (its arrival disarms an earlier arm).
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> drive.state().input() == DriveState.Input.CONTROLLER);
      drive.toggleArm();
      pad.set("rz", 1f);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> !sent.isEmpty() && last().armed() && last().throttle() == 1.0);

      holdNext.set(true);
      assertThat(holding.await(3, TimeUnit.SECONDS)).isTrue();
      drive.focusLost(); // what the window does when it loses the focus, on the FX thread
      await().atMost(Duration.ofSeconds(3)).until(() -> !last().armed());
      int disarmFrame = sent.size() - 1;
      int before = handedOver.get();
      disarmed.countDown();
      // The held reading goes over, and many more polls with the trigger still held.
      await().atMost(Duration.ofSeconds(3)).until(() -> handedOver.get() > before + 25);

      List<ControlFrame> after = List.copyOf(sent); // the poller goes on adding to the live list
      assertThat(after.subList(disarmFrame, after.size())).noneMatch(ControlFrame::armed);
      assertThat(drive.state().mode()).isEqualTo(Mode.DISARMED);
      assertThat(drive.state().axes().throttle()).as("the pad still reads").isEqualTo(1.0);
    } finally {
      drive.close();
    }
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
