package dev.rcdrive.station.gamepad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.drive.DriveState.Mode;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.time.Duration;
import java.util.List;
import net.java.games.input.Controller;
import net.java.games.input.Event;
import org.junit.jupiter.api.Test;

/**
 * A controller as the station drives with it, end to end through the real poll thread, the
 * station's {@code DriveController} and a {@code ControlLoop}, with fake JInput controllers. The
 * rules themselves are tabled in {@code DriveControllerTest}; here they are seen working on the
 * threads they run on.
 */
class GamepadInputTest {

  private static FakePad xbox() {
    return FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
  }

  @Test
  void aChangeIsSentAtOnceOnThePollThread() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad)) { // the loop's heartbeat is an hour away
      rig.awaitConnected();
      rig.arm();
      rig.awaitFrame(ControlFrame::armed);

      pad.set("rz", 0f); // right trigger half way: −1…1 → 0.5

      ControlFrame frame = rig.awaitFrame(f -> f.throttle() > 0);
      assertThat(frame.throttle()).isCloseTo(0.5, within(0.05));
      assertThat(frame.armed()).isTrue();
      assertThat(rig.senders.get(rig.frames.indexOf(frame))).isEqualTo("gamepad-poll");
    }
  }

  @Test
  void unpluggingSendsNeutralDisarmedAndDrivingNeedsAnArm() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.arm();
      pad.set("rz", 1f).set("x", 0.5f);
      rig.awaitFrame(f -> f.throttle() == 1.0 && f.armed());

      pad.unplug();
      rig.plugged.remove(pad);

      ControlFrame neutral = rig.awaitFrame(f -> !f.armed());
      assertThat(neutral.throttle()).isZero();
      assertThat(neutral.steering()).isZero();
      assertThat(neutral.brake()).isZero();
      DriveState state = rig.awaitState(s -> s.input() == DriveState.Input.KEYBOARD);
      assertThat(state.mode()).isEqualTo(Mode.DISARMED);
      assertThat(state.notice().text()).contains("Controller disconnected");
      assertThat(rig.input.status().state()).isEqualTo(PadSnapshot.State.DISCONNECTED);
      assertThat(rig.input.status().message()).contains("disconnected");

      // Plugged in again with the trigger held: it is the input in use, and nothing drives.
      FakePad again = xbox();
      again.set("rz", 1f);
      rig.plugged.add(again);
      rig.awaitConnected();
      rig.awaitAxes(a -> a.throttle() == 1.0);
      assertThat(rig.frames).last().matches(f -> !f.armed());

      // Arming with the trigger held waits for the throttle check …
      rig.arm();
      assertThat(rig.awaitState(s -> s.mode() == Mode.ARMING).reason())
          .isEqualTo("Release throttle and brake to arm");
      assertThat(rig.lastFrame().armed()).isFalse();
      // … until it is released; then the driver drives again.
      again.set("rz", -1f);
      rig.awaitFrame(ControlFrame::armed);
      again.set("rz", 1f);
      rig.awaitFrame(f -> f.armed() && f.throttle() == 1.0);
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
      rig.awaitAxes(a -> a.throttle() == 1.0);

      rig.arm();
      assertThat(rig.drive.state().mode()).isEqualTo(Mode.ARMING);
      assertThat(rig.frames).noneMatch(ControlFrame::armed);

      odd.set("ry", 0f);

      assertThat(rig.awaitFrame(ControlFrame::armed).throttle()).isZero();
    }
  }

  @Test
  void estopButtonLatchesAtOnceOnThePollThreadUntilTheStationClearsIt() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.arm();
      rig.awaitFrame(ControlFrame::armed);

      pad.set("B", 1);
      ControlFrame stop = rig.awaitFrame(ControlFrame::estop);
      assertThat(stop.armed()).isFalse();
      assertThat(rig.senders.get(rig.frames.indexOf(stop))).isEqualTo("gamepad-poll");
      pad.set("B", 0);
      pad.set("A", 1); // the arm button does not lift it
      await().atMost(Duration.ofSeconds(3)).until(() -> rig.drive.state().notice().number() > 0);
      assertThat(rig.drive.state().notice().text()).isEqualTo("Clear the E-STOP first");
      assertThat(rig.drive.state().mode()).isEqualTo(Mode.ESTOP);
      pad.set("A", 0);

      rig.drive.clearEmergencyStop(); // the toolbar's button: E-STOP off, disarmed
      ControlFrame cleared = rig.awaitFrame(f -> !f.estop());
      assertThat(cleared.armed()).isFalse();
      assertThat(rig.drive.state().mode()).isEqualTo(Mode.DISARMED);
    }
  }

  @Test
  void buttonsHeldWhenThePadAppearsAreNotPresses() {
    FakePad pad = xbox();
    pad.set("B", 1).set("A", 1);
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      pad.set("Start", 1);
      await().atMost(Duration.ofSeconds(3)).until(() -> rig.actions.contains(PadAction.FULLSCREEN));
      pad.set("Select", 1);
      await().atMost(Duration.ofSeconds(3)).until(() -> rig.actions.contains(PadAction.SNAPSHOT));
      assertThat(rig.actions).containsExactly(PadAction.FULLSCREEN, PadAction.SNAPSHOT);
      assertThat(rig.drive.state().mode()).as("A and B were down already").isEqualTo(Mode.DISARMED);
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
      assertThat(rig.drive.state().inputName()).isEqualTo("Wireless Controller");
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
      assertThat(rig.drive.state().inputName()).isEqualTo("Microsoft X-Box 360 pad");

      rig.gamepads.select("Logitech Gamepad F310#1");

      rig.awaitState(s -> s.inputName().equals("Logitech Gamepad F310"));
      rig.arm();
      second.set("x", 1f);
      assertThat(rig.awaitFrame(f -> f.steering() == 1.0).armed()).isTrue();
    }
  }

  @Test
  void anotherPadOfTheSameModelDoesNotInheritTheArm() {
    FakePad first = xbox();
    FakePad second = xbox();
    try (Rig rig = new Rig(first, second)) {
      rig.awaitConnected();
      rig.arm();
      rig.awaitFrame(ControlFrame::armed);

      second.set("rz", 1f); // held down on the pad the driver switches to
      rig.gamepads.select("Microsoft X-Box 360 pad#2");

      DriveState state = rig.awaitState(s -> s.mode() == Mode.DISARMED);
      assertThat(state.notice().text()).contains("Arm again to drive with it");
      rig.awaitAxes(a -> a.throttle() == 1.0);
      assertThat(rig.lastFrame().armed()).isFalse();
    }
  }

  @Test
  void aControllerAlreadyInUseWhenTheInputStartsIsAnnounced() {
    // Statuses are told only when they change: a listener that missed the first one would never
    // hear that a controller drives (the listener is the constructor's, so none can be missed).
    List<GamepadInput.Status> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var gamepads =
        new dev.rcdrive.station.gamepad.device.JInputGamepads(
            () -> List.of(xbox()),
            new dev.rcdrive.station.gamepad.device.JInputGamepads.Options(250, 100),
            null)) {
      await().atMost(Duration.ofSeconds(3)).until(() -> gamepads.latest().connected());
      try (GamepadInput input =
          new GamepadInput(
              gamepads,
              null,
              new GamepadInput.Listener() {
                @Override
                public void onStatus(GamepadInput.Status status) {
                  heard.add(status);
                }
              })) {
        await()
            .atMost(Duration.ofSeconds(3))
            .until(() -> heard.stream().anyMatch(s -> s.state() == PadSnapshot.State.CONNECTED));
        assertThat(input.active()).isTrue();
      }
    }
  }

  @Test
  void aControllerThatThrowsCountsAsUnpluggedAndGoesNeutral() {
    Throwing pad = new Throwing();
    try (Rig rig = new Rig(pad.pad)) {
      rig.awaitConnected();
      rig.arm();
      pad.pad.set("rz", 1f);
      rig.awaitFrame(f -> f.armed() && f.throttle() == 1.0);

      pad.explode = true;

      ControlFrame last = rig.awaitFrame(f -> !f.armed());
      assertThat(last.throttle()).isZero();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> rig.input.status().state() == PadSnapshot.State.DISCONNECTED);
    }
  }

  @Test
  void aReadingThatIsNotANumberCountsAsReleased() {
    FakePad pad = xbox();
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      rig.arm();
      pad.set("x", 1f).set("rz", 1f);
      rig.awaitFrame(f -> f.steering() == 1.0 && f.throttle() == 1.0);

      pad.set("x", Float.NaN).set("rz", Float.POSITIVE_INFINITY);

      ControlFrame frame = rig.awaitFrame(f -> f.steering() == 0);
      // Not 0 raw either: on a Linux trigger (−1…1) that would be half throttle.
      assertThat(frame.throttle()).isZero();
      assertThat(frame.armed()).isTrue();
      assertThat(rig.gamepads.latest().value("rz")).isNaN();
    }
  }

  /** A pad whose driver starts failing in a way JInput does not catch (a RuntimeException). */
  private static final class Throwing {
    volatile boolean explode;
    final FakePad pad = xbox().onEvent(this::check);

    private void check(Event e) {
      if (explode) {
        throw new IllegalStateException("driver bug");
      }
    }
  }
}
