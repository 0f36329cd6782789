package dev.rcdrive.station.gamepad.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MappingStoreTest {

  @TempDir Path config;

  private static final PadInfo PAD =
      new PadInfo(
          "Microsoft X-Box 360 pad#1",
          "Microsoft X-Box 360 pad",
          List.of(
              new PadControl("x", PadControl.Kind.AXIS),
              new PadControl("y", PadControl.Kind.AXIS),
              new PadControl("z", PadControl.Kind.AXIS),
              new PadControl("rz", PadControl.Kind.AXIS),
              new PadControl("A", PadControl.Kind.BUTTON),
              new PadControl("B", PadControl.Kind.BUTTON),
              new PadControl("Select", PadControl.Kind.BUTTON),
              new PadControl("Start", PadControl.Kind.BUTTON)));

  @Test
  void withNoFileTheBuiltInProfileApplies() {
    MappingStore.Loaded loaded = new MappingStore(config).load(PAD);
    assertThat(loaded.saved()).isFalse();
    assertThat(loaded.problem()).isNull();
    assertThat(loaded.mapping().profile()).isEqualTo("Xbox (Linux)");
  }

  @Test
  void aSavedMappingComesBackAsSaved() throws Exception {
    MappingStore store = new MappingStore(config);
    PadMapping mine =
        DefaultProfiles.forController(PAD)
            .withButton(PadAction.ARM, "Start")
            .withAxis(
                PadAction.STEER, AxisBinding.stick("x", "y").withFeel(0.15, 0.3, true, -0.02));
    store.save(mine);

    MappingStore.Loaded loaded = new MappingStore(config).load(PAD);

    assertThat(loaded.saved()).isTrue();
    assertThat(loaded.mapping()).isEqualTo(mine);
    assertThat(store.fileFor(PAD.name())).hasFileName("Microsoft_X-Box_360_pad.json");
  }

  @ParameterizedTest(name = "[{index}] «{0}»")
  @ValueSource(
      strings = {
        "{ this is not json",
        "",
        "[1, 2, 3]",
        "{\"profiles\": []}",
        "{\"format\": \"rcdrive-gamepad-mapping\", \"version\": 1, \"controller\": \"Wireless Controller\", \"steer\": {\"control\": \"x\"}}",
        "{\"format\": \"rcdrive-gamepad-mapping\", \"version\": 99, \"controller\": \"Microsoft X-Box 360 pad\", \"steer\": {\"control\": \"x\"}}",
        "{\"format\": \"rcdrive-gamepad-mapping\", \"version\": 1, \"controller\": \"Microsoft X-Box 360 pad\"}"
      })
  void aCorruptOrForeignFileKeepsTheDefaultsSaysWhyAndIsKeptAside(String content) throws Exception {
    MappingStore store = new MappingStore(config);
    Path file = store.fileFor(PAD.name());
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);

    MappingStore.Loaded loaded = store.load(PAD);

    assertThat(loaded.mapping()).isEqualTo(DefaultProfiles.forController(PAD));
    assertThat(loaded.saved()).isFalse();
    assertThat(loaded.problem())
        .contains("Microsoft X-Box 360 pad")
        .contains("was not used")
        .contains("Microsoft_X-Box_360_pad.json.bad")
        .contains("defaults are in use");
    Path aside = file.resolveSibling("Microsoft_X-Box_360_pad.json.bad");
    assertThat(aside).hasContent(content);
    assertThat(file).doesNotExist();
  }

  @Test
  void theReasonNamesWhatIsWrong() throws Exception {
    MappingStore store = new MappingStore(config);
    Path file = store.fileFor(PAD.name());
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "{\"format\": \"rcdrive-gamepad-mapping\", \"version\": 1, \"controller\": \"Wireless"
            + " Controller\", \"steer\": {\"control\": \"x\"}}");
    assertThat(store.load(PAD).problem()).contains("it is for \"Wireless Controller\"");

    Files.writeString(file, "{ nope");
    assertThat(store.load(PAD).problem()).contains("not valid JSON");
  }

  @Test
  void namesThatAreNotFileNamesStayInsideTheFolder() {
    MappingStore store = new MappingStore(config);
    assertThat(store.fileFor("../../etc/passwd").getParent()).isEqualTo(config.resolve("gamepads"));
    assertThat(store.fileFor("Microsoft Xbox Series S|X Controller"))
        .hasFileName("Microsoft_Xbox_Series_S_X_Controller.json");
  }
}
