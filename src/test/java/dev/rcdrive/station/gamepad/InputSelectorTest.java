package dev.rcdrive.station.gamepad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.input.KeyboardInput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The view model's per-pulse choice between keyboard and controller, through a ControlLoop. */
class InputSelectorTest {

  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();
  private final KeyboardInput keyboard = new KeyboardInput();

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  private ControlFrame lastFrame() {
    return sent.get(sent.size() - 1);
  }

  @Test
  void aConnectedControllerDrivesAndThePulseDoesNotCompeteWithIt() {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(pad);
        ControlLoop loop =
            new ControlLoop(this::record, 3_600_000)) { // no heartbeat: only pushes send
      rig.input.connect(loop::setAndSend);
      InputSelector selector = new InputSelector(keyboard, rig.input);
      rig.awaitConnected();
      keyboard.press(KeyboardInput.Key.REVERSE); // a key held: ignored while the pad drives

      selector.pulse(0.016, false, false);
      InputSelector.Pulse pulse = selector.pulse(0.016, true, false);
      pad.set("rz", 1f);

      assertThat(pulse.source()).isSameAs(rig.input);
      assertThat(pulse.push()).isFalse();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> lastFrame().armed() && lastFrame().throttle() == 1.0);
    }
  }

  @Test
  void losingTheControllerDisarmsOnceAndTheKeyboardTakesOverDisarmed() {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(pad);
        ControlLoop loop =
            new ControlLoop(this::record, 3_600_000)) { // no heartbeat: only pushes send
      rig.input.connect(loop::setAndSend);
      InputSelector selector = new InputSelector(keyboard, rig.input);
      rig.awaitConnected();
      selector.pulse(0.016, false, false);
      selector.pulse(0.016, true, false);
      pad.set("rz", 1f);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> lastFrame().armed() && lastFrame().throttle() == 1.0);

      pad.unplug();
      rig.plugged.clear();
      await().atMost(Duration.ofSeconds(3)).until(() -> !rig.input.active());
      await().atMost(Duration.ofSeconds(3)).until(() -> !lastFrame().armed());
      assertThat(lastFrame().throttle()).isZero();

      // The next pulse, the station still thinks it is armed:
      InputSelector.Pulse pulse = selector.pulse(0.016, true, false);

      assertThat(pulse.disarm()).isTrue();
      assertThat(pulse.message()).contains("Controller disconnected");
      assertThat(pulse.source()).isSameAs(keyboard);
      assertThat(pulse.push()).isTrue();
      assertThat(pulse.intent().armed()).isFalse();
      assertThat(pulse.intent().throttle()).isZero();
      // Once: the following pulses (station disarmed now) say nothing more.
      InputSelector.Pulse after = selector.pulse(0.016, false, false);
      assertThat(after.disarm()).isFalse();
      assertThat(after.message()).isNull();
    }
  }

  @Test
  void withNoControllerTheKeyboardDrivesAsBefore() {
    try (Rig rig = new Rig()) {
      InputSelector selector = new InputSelector(keyboard, rig.input);
      keyboard.press(KeyboardInput.Key.THROTTLE);

      InputSelector.Pulse pulse = selector.pulse(0.1, true, false);

      assertThat(pulse.source()).isSameAs(keyboard);
      assertThat(pulse.push()).isTrue();
      assertThat(pulse.intent().armed()).isTrue();
      assertThat(pulse.intent().throttle()).isGreaterThan(0);
      assertThat(pulse.disarm()).isFalse();
    }
  }
}
