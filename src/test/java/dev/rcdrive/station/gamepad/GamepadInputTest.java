package dev.rcdrive.station.gamepad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.java.games.input.Controller;
import net.java.games.input.Event;
import org.junit.jupiter.api.Test;

/**
 * The controller's safety rules and hot-plug, end to end through the real poll thread and the
 * station's {@link ControlLoop}, with fake JInput controllers.
 */
class GamepadInputTest {

  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  private ControlFrame lastFrame() {
    return sent.get(sent.size() - 1);
  }

  private static FakePad xbox() {
    return FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
  }

  @Test
  void aChangeIsSentAtOnceNotAtTheNextHeartbeat() {
    FakePad pad = xbox();
    // A one-hour heartbeat: every frame after the first comes from a change.
    try (Rig rig = new Rig(pad);
        ControlLoop loop = new ControlLoop(this::record, 3_600_000)) {
      rig.input.connect(loop::setAndSend); // the app's wiring: sent on the poll thread
      rig.awaitConnected();
      rig.armLikeTheStation();
      await().atMost(Duration.ofSeconds(3)).until(() -> !sent.isEmpty() && lastFrame().armed());

      pad.set("rz", 0f); // right trigger half way: −1…1 → 0.5

      await().atMost(Duration.ofSeconds(3)).until(() -> lastFrame().throttle() > 0);
      assertThat(lastFrame().throttle())
          .isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.05));
      assertThat(lastFrame().armed()).isTrue();
    }
  }

  @Test
  void unpluggingSendsNeutralDisarmedAndDrivingNeedsARearm() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad);
        ControlLoop loop = new ControlLoop(this::record, 3_600_000)) {
      rig.input.connect(loop::set);
      rig.awaitConnected();
      rig.armLikeTheStation();
      pad.set("rz", 1f).set("x", 0.5f);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> lastFrame().throttle() == 1.0 && lastFrame().armed());

      pad.unplug();
      rig.plugged.remove(pad);

      await().atMost(Duration.ofSeconds(3)).until(() -> !lastFrame().armed());
      ControlFrame neutral = lastFrame();
      assertThat(neutral.throttle()).isZero();
      assertThat(neutral.steering()).isZero();
      assertThat(neutral.brake()).isZero();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> rig.input.status().state() == PadSnapshot.State.DISCONNECTED);
      assertThat(rig.input.status().message()).contains("disconnected");
      assertThat(rig.statuses).anyMatch(s -> s.state() == PadSnapshot.State.DISCONNECTED);
      // The station still says "armed" (its view model has not caught up): still nothing drives.
      assertThat(rig.input.poll(0.016, true, false).armed()).isFalse();

      // Plugged in again, trigger held, station still armed: the car must not move.
      FakePad again = xbox();
      again.set("rz", 1f);
      rig.plugged.add(again);
      rig.awaitConnected();
      await().atMost(Duration.ofSeconds(3)).until(() -> lastFrame().throttle() == 1.0);
      rig.input.poll(0.016, true, false);
      assertThat(lastFrame().armed()).isFalse();
      assertThat(rig.input.status().message()).contains("arm again");

      // Disarm, arm: with the trigger still held the throttle check holds it off …
      rig.armLikeTheStation();
      assertThat(rig.input.poll(0.016, true, false).armed()).isFalse();
      assertThat(rig.input.status().message()).contains("Release throttle");
      // … until it is released; then the driver drives again.
      again.set("rz", -1f);
      await().atMost(Duration.ofSeconds(3)).until(() -> lastFrame().armed());
      again.set("rz", 1f);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> lastFrame().armed() && lastFrame().throttle() == 1.0);
    }
  }

  @Test
  void armingWaitsForThrottleAndBrakeAtRest() {
    // An unknown pad whose "right stick" is really a trigger resting at one end: at rest it reads
    // as full throttle. Arming must not launch the car.
    FakePad odd =
        FakePad.of("Acme Pad", Controller.Type.GAMEPAD, List.of("x", "y", "ry"), List.of("0", "1"));
    odd.set("ry", -1f);
    try (Rig rig = new Rig(odd)) {
      rig.awaitConnected();
      assertThat(rig.input.mapping().profile()).isEqualTo("Generic");
      rig.armLikeTheStation();
      DriveIntent held = rig.awaitIntent(i -> i.throttle() == 1.0);
      assertThat(held.armed()).isFalse();

      odd.set("ry", 0f);

      assertThat(rig.awaitIntent(DriveIntent::armed).throttle()).isZero();
    }
  }

  @Test
  void estopButtonLatchesAtOnceUntilTheStationClearsIt() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.armLikeTheStation();
      rig.awaitIntent(DriveIntent::armed);

      pad.set("B", 1);
      assertThat(rig.awaitIntent(DriveIntent::estop).armed()).isFalse();
      pad.set("B", 0);
      // Released, and the station has not heard yet: still E-STOP.
      assertThat(rig.input.poll(0.016, true, false).estop()).isTrue();
      // The station takes it over (its E-STOP set), then clears it: E-STOP off, disarmed.
      rig.input.poll(0.016, false, true);
      DriveIntent cleared = rig.input.poll(0.016, false, false);
      assertThat(cleared.estop()).isFalse();
      assertThat(cleared.armed()).isFalse();
      assertThat(rig.actions).containsExactly(PadAction.ESTOP);
    }
  }

  @Test
  void buttonsHeldWhenThePadAppearsAreNotPresses() {
    FakePad pad = xbox();
    pad.set("B", 1).set("A", 1);
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.awaitIntent(i -> true);
      pad.set("Start", 1);
      await().atMost(Duration.ofSeconds(3)).until(() -> rig.actions.contains(PadAction.FULLSCREEN));
      pad.set("Select", 1);
      await().atMost(Duration.ofSeconds(3)).until(() -> rig.actions.contains(PadAction.SNAPSHOT));
      assertThat(rig.actions).containsExactly(PadAction.FULLSCREEN, PadAction.SNAPSHOT);
    }
  }

  @Test
  void rescanFindsANewlyPluggedController() {
    try (Rig rig = new Rig()) {
      assertThat(rig.gamepads.rescan().join()).isEmpty();
      assertThat(rig.input.status()).isEqualTo(GamepadInput.Status.NONE);

      rig.plugged.add(FakePad.of("Wireless Controller", FakePad.Layout.HID_PLAYSTATION));

      // The timed rescan (100 ms in this rig) finds it without anyone asking …
      rig.awaitConnected();
      assertThat(rig.input.name()).isEqualTo("Wireless Controller");
      // … and the Rescan button lists a second one at once.
      rig.plugged.add(FakePad.of("Wireless Controller", FakePad.Layout.HID_PLAYSTATION));
      assertThat(rig.gamepads.rescan().join())
          .extracting(PadInfo::key)
          .containsExactly("Wireless Controller#1", "Wireless Controller#2");
    }
  }

  @Test
  void keyboardsAndMiceAreNeverOfferedAsGamepads() {
    try (Rig rig = new Rig(FakePad.keyboard(), FakePad.mouse(), xbox())) {
      assertThat(rig.gamepads.rescan().join())
          .extracting(PadInfo::name)
          .containsExactly("Microsoft X-Box 360 pad");
    }
  }

  @Test
  void theDriverCanPickWhichControllerDrives() {
    FakePad first = xbox();
    FakePad second = FakePad.of("Logitech Gamepad F310", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(first, second)) {
      rig.awaitConnected();
      assertThat(rig.input.name()).isEqualTo("Microsoft X-Box 360 pad");

      rig.gamepads.select("Logitech Gamepad F310#1");

      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> rig.input.name().equals("Logitech Gamepad F310"));
      rig.armLikeTheStation();
      second.set("x", 1f);
      assertThat(rig.awaitIntent(i -> i.steering() == 1.0).armed()).isTrue();
    }
  }

  @Test
  void aControllerThatThrowsCountsAsUnpluggedAndGoesNeutral() {
    Throwing pad = new Throwing();
    try (Rig rig = new Rig(pad.pad)) {
      rig.awaitConnected();
      rig.armLikeTheStation();
      pad.pad.set("rz", 1f);
      rig.awaitIntent(i -> i.armed() && i.throttle() == 1.0);

      pad.explode = true;

      DriveIntent last = rig.awaitIntent(i -> !i.armed());
      assertThat(last.throttle()).isZero();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> rig.input.status().state() == PadSnapshot.State.DISCONNECTED);
    }
  }

  @Test
  void aReadingThatIsNotANumberCountsAsReleased() {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.armLikeTheStation();
      pad.set("x", 1f).set("rz", 1f);
      rig.awaitIntent(i -> i.steering() == 1.0 && i.throttle() == 1.0);

      pad.set("x", Float.NaN).set("rz", Float.POSITIVE_INFINITY);

      DriveIntent intent = rig.awaitIntent(i -> i.steering() == 0);
      // Not 0 raw either: on a Linux trigger (−1…1) that would be half throttle.
      assertThat(intent.throttle()).isZero();
      assertThat(intent.armed()).isTrue();
      assertThat(rig.gamepads.latest().value("rz")).isNaN();
    }
  }

  /** A pad whose driver starts failing in a way JInput does not catch (a RuntimeException). */
  private static final class Throwing {
    volatile boolean explode;
    final FakePad pad =
        FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX).onEvent(this::check);

    private void check(Event e) {
      if (explode) {
        throw new IllegalStateException("driver bug");
      }
    }
  }
}
