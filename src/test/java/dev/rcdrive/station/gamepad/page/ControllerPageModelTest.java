package dev.rcdrive.station.gamepad.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.station.gamepad.Rig;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.DefaultProfiles;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.gamepad.mapping.PadMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's view model without a window: feel settings, profiles, defaults, messages. */
class ControllerPageModelTest {

  @TempDir Path config;

  private ControllerPageModel model(Rig rig) {
    ControllerPageModel model =
        new ControllerPageModel(rig.input, new MappingStore(config), Runnable::run);
    rig.awaitConnected();
    model.refresh();
    return model;
  }

  private Path saved() {
    return config.resolve("gamepads").resolve("Microsoft_X-Box_360_pad.json");
  }

  @Test
  void feelSettingsChangeTheMappingAtOnceAndAreSavedWhenTheDragEnds() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(new MappingStore(config), pad)) {
      ControllerPageModel model = model(rig);

      model.feel.get(PadAction.STEER).expo.set(0.4);
      model.feel.get(PadAction.STEER).invert.set(true);

      assertThat(rig.input.mapping().steer().expo()).isEqualTo(0.4);
      assertThat(rig.input.mapping().steer().invert()).isTrue();
      assertThat(model.profile.get()).isEqualTo("custom");
      assertThat(saved()).doesNotExist(); // not at every step of a drag

      model.saveFeel();

      assertThat(Files.readString(saved()))
          .contains("\"expo\" : 0.4")
          .contains("\"invert\" : true");
    }
  }

  @Test
  void defaultsForgetTheSavedMapping() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(new MappingStore(config), pad)) {
      ControllerPageModel model = model(rig);
      model.feel.get(PadAction.THROTTLE).deadzone.set(0.3);
      model.saveFeel();
      assertThat(saved()).exists();

      model.resetToDefaults();

      assertThat(saved()).doesNotExist();
      assertThat(rig.input.mapping()).isEqualTo(DefaultProfiles.forController(padInfo(rig)));
      assertThat(model.feel.get(PadAction.THROTTLE).deadzone.get()).isEqualTo(0.04);
      assertThat(model.message.get()).startsWith("Defaults restored (Xbox (Linux))");
    }
  }

  @Test
  void aProfileTheControllerCannotUseIsRefusedWithAReason() {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(new MappingStore(config), pad)) {
      ControllerPageModel model = model(rig);
      PadMapping before = rig.input.mapping();

      model.useProfile("Logitech F310 / F710 (DirectInput mode, Windows)");

      assertThat(rig.input.mapping()).isEqualTo(before);
      assertThat(model.message.get()).contains("lacks controls");
      model.useProfile("Generic");
      assertThat(model.profile.get()).isEqualTo("Generic");
      assertThat(saved()).exists();
    }
  }

  @Test
  void aBadSavedMappingIsReportedOnThePage() throws Exception {
    Files.createDirectories(saved().getParent());
    Files.writeString(saved(), "{ definitely not a mapping");
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    try (Rig rig = new Rig(new MappingStore(config), pad)) {
      ControllerPageModel model = model(rig);

      assertThat(model.message.get()).contains("was not used").contains(".json.bad");
      assertThat(model.profile.get()).isEqualTo("Xbox (Linux)");
    }
  }

  @Test
  void bindingWithNoControllerAsksForOne() {
    try (Rig rig = new Rig(new MappingStore(config))) {
      ControllerPageModel model =
          new ControllerPageModel(rig.input, new MappingStore(config), Runnable::run);
      model.startBinding(PadAction.THROTTLE);
      assertThat(model.binding.get()).isFalse();
      assertThat(model.message.get()).isEqualTo("Connect a controller first");
    }
  }

  private static PadInfo padInfo(Rig rig) {
    PadSnapshot s = rig.gamepads.latest();
    return new PadInfo(s.key(), s.name(), s.controls());
  }
}
