package dev.rcdrive.station.gamepad.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.DriveState.Mode;
import dev.rcdrive.station.gamepad.Rig;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each built-in profile, chosen by the controller's name and controls, drives its controller the
 * documented way: left stick X steers, right trigger throttles, left trigger brakes/reverses, A (✕)
 * arms, B (○) is E-STOP — through the real poll thread and JInput's controller classes, to the
 * frames the station's {@code DriveController} sends.
 */
class DefaultProfilesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Microsoft X-Box 360 pad                                  | EVDEV_XBOX      | Xbox (Linux)                                      | A       | B
          Microsoft X-Box One pad                                  | EVDEV_XBOX      | Xbox (Linux)                                      | A       | B
          'Microsoft Xbox Series S|X Controller'                   | EVDEV_XBOX      | Xbox (Linux)                                      | A       | B
          Logitech Gamepad F310                                    | EVDEV_XBOX      | Xbox (Linux)                                      | A       | B
          Logitech Gamepad F710                                    | EVDEV_XBOX      | Xbox (Linux)                                      | A       | B
          Controller (XBOX 360 For Windows)                        | DINPUT_XBOX     | Xbox (Windows, combined triggers)                 | 0       | 1
          Controller (Xbox One For Windows)                        | DINPUT_XBOX     | Xbox (Windows, combined triggers)                 | 0       | 1
          Xbox Wireless Controller                                 | DINPUT_XBOX     | Xbox (Windows, combined triggers)                 | 0       | 1
          Controller (Gamepad F310)                                | DINPUT_XBOX     | Xbox (Windows, combined triggers)                 | 0       | 1
          Controller (Wireless Gamepad F710)                       | DINPUT_XBOX     | Xbox (Windows, combined triggers)                 | 0       | 1
          Sony Interactive Entertainment Wireless Controller       | EVDEV_XBOX      | PlayStation DualShock 4 / DualSense (Linux)       | A       | B
          Sony Interactive Entertainment DualSense Wireless Controller | EVDEV_XBOX  | PlayStation DualShock 4 / DualSense (Linux)       | A       | B
          Wireless Controller                                      | HID_PLAYSTATION | PlayStation DualShock 4 / DualSense (HID)         | 1       | 2
          DualSense Wireless Controller                            | HID_PLAYSTATION | PlayStation DualShock 4 / DualSense (HID)         | 1       | 2
          Logitech Dual Action                                     | DINPUT_LOGITECH | Logitech F310 / F710 (DirectInput mode, Windows)  | 1       | 2
          Logitech Cordless RumblePad 2                            | DINPUT_LOGITECH | Logitech F310 / F710 (DirectInput mode, Windows)  | 1       | 2
          Logitech Logitech Dual Action                            | EVDEV_LOGITECH  | Logitech F310 / F710 (DirectInput mode, Linux)    | Thumb   | Thumb 2
          """)
  void profileMapsItsController(
      String name, FakePad.Layout layout, String profile, String armButton, String estopButton) {
    FakePad pad = FakePad.of(name, layout);
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      assertThat(rig.input.mapping().profile()).isEqualTo(profile);
      rig.arm();
      ControlFrame rest = rig.awaitFrame(ControlFrame::armed);
      assertThat(rest.steering()).isZero();
      assertThat(rest.throttle()).isZero();

      pad.set("x", 1f);
      assertThat(rig.awaitFrame(i -> i.steering() != 0).steering()).isEqualTo(1.0);
      pad.set("x", -1f);
      assertThat(rig.awaitFrame(i -> i.steering() < 0).steering()).isEqualTo(-1.0);
      pad.set("x", 0f);

      pad.set(layout.rightTrigger, pressed(layout, true));
      assertThat(rig.awaitFrame(i -> i.throttle() > 0).throttle()).isEqualTo(1.0);
      pad.set(layout.rightTrigger, layout.triggerRest());
      pad.set(layout.leftTrigger, pressed(layout, false));
      assertThat(rig.awaitFrame(i -> i.throttle() < 0).throttle()).isEqualTo(-1.0);
      pad.set(layout.leftTrigger, layout.triggerRest());
      rig.awaitFrame(i -> i.throttle() == 0);

      pad.set(armButton, 1); // the arm button toggles: the car was armed
      rig.awaitState(s -> s.mode() == Mode.DISARMED);
      pad.set(armButton, 0);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> rig.gamepads.latest().value(armButton) == 0);
      pad.set(armButton, 1); // … and armed again
      rig.awaitState(s -> s.mode() == Mode.ARMED);
      pad.set(estopButton, 1);
      ControlFrame stopped = rig.awaitFrame(ControlFrame::estop);
      assertThat(stopped.armed()).isFalse();
      assertThat(rig.drive.state().mode()).isEqualTo(Mode.ESTOP);
    }
  }

  @org.junit.jupiter.api.Test
  void anUnknownControllerGetsTheGenericProfile() {
    FakePad pad = FakePad.of("USB Gamepad", FakePad.Layout.GENERIC);
    try (Rig rig = new Rig(pad)) {
      rig.awaitConnected();
      assertThat(rig.input.mapping().profile()).isEqualTo("Generic");
      rig.arm();
      rig.awaitFrame(ControlFrame::armed);

      pad.set("x", -1f);
      assertThat(rig.awaitFrame(i -> i.steering() != 0).steering()).isEqualTo(-1.0);
      pad.set("x", 0f).set("rz", -1f); // right stick up
      assertThat(rig.awaitFrame(i -> i.throttle() > 0).throttle()).isEqualTo(1.0);
      pad.set("rz", 1f); // right stick down
      assertThat(rig.awaitFrame(i -> i.throttle() < 0).throttle()).isEqualTo(-1.0);
      pad.set("rz", 0f).set("1", 1f);
      assertThat(rig.awaitFrame(ControlFrame::estop).armed()).isFalse();
    }
  }

  @org.junit.jupiter.api.Test
  void aNamedProfileThatDoesNotFitIsRefused() {
    FakePad pad = FakePad.of("Wireless Controller", FakePad.Layout.HID_PLAYSTATION);
    PadInfo ds4 =
        new PadInfo(
            "Wireless Controller#1",
            "Wireless Controller",
            java.util.Arrays.stream(pad.getComponents())
                .map(c -> new PadControl(c.getIdentifier().getName(), JInputGamepads.kindOf(c)))
                .toList());
    assertThat(DefaultProfiles.named("Xbox (Linux)", ds4)).isNull(); // no "A" button here
    assertThat(DefaultProfiles.named("Xbox (Windows, combined triggers)", ds4).profile())
        .isEqualTo("Xbox (Windows, combined triggers)"); // numbered buttons and a z: it fits
    assertThat(DefaultProfiles.named("Generic", ds4).profile()).isEqualTo("Generic");
  }

  /** Fully pressed: +1 for trigger axes and buttons; on the combined z, right is −1, left +1. */
  private static float pressed(FakePad.Layout layout, boolean right) {
    if (layout == FakePad.Layout.DINPUT_XBOX) {
      return right ? -1f : 1f;
    }
    return 1f;
  }
}
