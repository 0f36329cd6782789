package dev.rcdrive.station.gamepad.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.station.app.Fx;
import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.device.LinuxInputAccess;
import dev.rcdrive.station.gamepad.mapping.AxisBinding;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import net.java.games.input.Controller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** The controller page in a real (headless, Monocle) window over fake JInput controllers. */
@Tag("ui")
class ControllerPageUiTest extends FxRobot {

  @TempDir Path config;
  @TempDir Path dev;

  private final List<Controller> plugged = new CopyOnWriteArrayList<>();
  private JInputGamepads gamepads;
  private GamepadInput input;

  private void show(LinuxInputAccess access) throws Exception {
    gamepads =
        new JInputGamepads(
            () -> List.copyOf(plugged), new JInputGamepads.Options(250, 100), access);
    MappingStore store = new MappingStore(config);
    input = new GamepadInput(gamepads, store, null);
    FxToolkit.registerPrimaryStage();
    FxToolkit.setupStage(
        stage -> {
          stage.setScene(
              new Scene(
                  new ControllerPage(new ControllerPageModel(input, store, Fx::run)), 1100, 760));
          stage.show();
        });
  }

  @AfterEach
  void close() throws Exception {
    FxToolkit.cleanupStages();
    if (input != null) {
      input.close();
      gamepads.close();
    }
  }

  /** Scrolls the page so the node is in view, as a user would before clicking it. */
  private void scrollTo(String query) {
    interact(
        () -> {
          javafx.scene.control.ScrollPane page =
              lookup(".controller-page").queryAs(javafx.scene.control.ScrollPane.class);
          javafx.scene.Node node = lookup(query).query();
          javafx.scene.Node content = page.getContent();
          double top = content.sceneToLocal(node.localToScene(node.getBoundsInLocal())).getMinY();
          double room =
              content.getBoundsInLocal().getHeight() - page.getViewportBounds().getHeight();
          page.setVvalue(room <= 0 ? 0 : Math.min(1, top / room));
          page.layout();
        });
  }

  private String text(String id) {
    Label label = lookup(id).queryAs(Label.class);
    return label == null ? null : label.getText();
  }

  private void awaitText(String id, String expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(text(id)).isEqualTo(expected));
    // The page lays itself out again (the no-controller note goes): let that pass before a click.
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void showsEveryControlLiveAndBindsThrottleByPressingIt() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    plugged.add(pad);
    show(null);
    awaitText("#pad-status", "Connected: Microsoft X-Box 360 pad");
    assertThat(text("#pad-profile")).isEqualTo("Profile: Xbox (Linux)");
    awaitText("#pad-bound-THROTTLE", "rz");

    pad.set("x", 0.5f).set("A", 1);
    awaitText("#pad-value-x", "0.50");
    awaitText("#pad-value-A", "1.00");
    awaitText("#pad-value-z", "-1.00"); // a Linux trigger at rest

    clickOn("#pad-bind-THROTTLE");
    awaitText("#pad-prompt", "Press the control you want for Throttle all the way, then let go");
    pad.set("ry", -1f); // the right stick pushed up …
    awaitText("#pad-value-ry", "-1.00");
    pad.set("ry", 0f); // … and let go

    awaitText("#pad-bound-THROTTLE", "ry");
    assertThat(lookup("#pad-prompt").queryAs(Label.class).isVisible()).isFalse();
    assertThat(input.mapping().throttle().released()).isZero();
    assertThat(input.mapping().throttle().pressed()).isEqualTo(-1f);
    Path saved = config.resolve("gamepads").resolve("Microsoft_X-Box_360_pad.json");
    assertThat(Files.readString(saved)).contains("\"control\" : \"ry\"");

    // The new binding drives: stick up is throttle.
    pad.set("ry", -1f);
    await().atMost(Duration.ofSeconds(3)).until(() -> input.axes().throttle() == 1.0);
  }

  @Test
  void calibratesTheSteeringStick() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    pad.set("x", 0.1f); // a stick that rests off centre
    plugged.add(pad);
    show(null);
    awaitText("#pad-status", "Connected: Microsoft X-Box 360 pad");

    scrollTo("#pad-calibrate"); // the page scrolls: a user scrolls down to Calibration
    clickOn("#pad-calibrate");
    clickOn("#pad-calibrate-next");
    pad.set("x", 0.8f);
    awaitText("#pad-value-x", "0.80");
    pad.set("x", -0.9f);
    awaitText("#pad-value-x", "-0.90");
    pad.set("x", 0.1f);
    awaitText("#pad-value-x", "0.10");
    clickOn("#pad-calibrate-done");

    awaitText("#pad-message", "Calibrated; not moved, so unchanged: Throttle, Brake / reverse");
    AxisBinding steer = input.mapping().steer();
    assertThat(steer.center()).isEqualTo(0.1f);
    assertThat(steer.max()).isEqualTo(0.8f);
    assertThat(steer.min()).isEqualTo(-0.9f);
  }

  @Test
  void rescanExplainsUnreadableDevices() throws Exception {
    Path event = Files.createFile(dev.resolve("event7"));
    show(new LinuxInputAccess(dev, p -> !p.equals(event)));
    awaitText("#pad-status", "No controller");

    clickOn("#pad-rescan");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(text("#pad-diagnostic")).contains("1 of 1").contains("input group"));
    assertThat(lookup("#pad-diagnostic").queryAs(Label.class).isVisible()).isTrue();
    awaitText("#pad-message", "No controller found");
  }

  @Test
  void withNoControllerThePageSaysWhyAtOnceAndOffersNothingToBind() throws Exception {
    show(null);
    awaitText("#pad-status", "No controller");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(text("#pad-live-hint")).startsWith("No controller found: plug one in"));
    assertThat(lookup("#pad-live-hint").queryAs(Label.class).isVisible()).isTrue();
    assertThat(lookup("#pad-bind-THROTTLE").queryAs(javafx.scene.control.Button.class).isDisabled())
        .as("nothing to bind without a controller")
        .isTrue();

    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    plugged.add(pad);
    awaitText("#pad-status", "Connected: Microsoft X-Box 360 pad");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !lookup("#pad-bind-THROTTLE")
                    .queryAs(javafx.scene.control.Button.class)
                    .isDisabled());
    assertThat(lookup("#pad-live-hint").tryQuery())
        .as("the live list shows the controller, not the hint")
        .isEmpty();
    assertThat(text("#pad-diagnostic")).isEmpty();
  }

  @Test
  void anUnpluggedControllerIsShownAsDisconnected() throws Exception {
    FakePad pad = FakePad.of("Wireless Controller", FakePad.Layout.HID_PLAYSTATION);
    plugged.add(pad);
    show(null);
    awaitText("#pad-status", "Connected: Wireless Controller");

    pad.unplug();
    plugged.clear();

    awaitText("#pad-status", "Disconnected: Wireless Controller");
  }
}
