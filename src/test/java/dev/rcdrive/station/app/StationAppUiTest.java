package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.testing.LoopbackWorld;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real station window (headless, on Monocle) driving a real simulated car over real WebRTC
 * through a real signaling server, the way the demo does.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StationAppUiTest extends FxRobot {

  private RtcEngine engine;
  private LoopbackWorld.Demo demo;
  private CarAgent car;
  private StationApp app;
  private final AtomicInteger windowShown = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    engine = RtcEngine.create();
    demo = LoopbackWorld.demo(engine, 640, 360, 30);
    car = demo.car();
    StationApp.useContext(
        new StationContext(
            CompletableFuture.completedFuture(engine),
            CompletableFuture.completedFuture(
                new StationContext.Target(demo.url(), "t", "demo", true)),
            windowShown::incrementAndGet,
            null,
            0));
    FxToolkit.registerPrimaryStage();
    app = (StationApp) FxToolkit.setupApplication(StationApp.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> app.videoView().framesShown() > 10);
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.cleanupApplication(app);
    demo.close();
    engine.close();
  }

  private StationViewModel model() {
    return app.model();
  }

  @Test
  void whoeverLaunchedTheStationIsToldOnceThatItsWindowIsOnScreen() {
    // (The demo's car then draws at its full rate.)
    assertThat(windowShown.get()).isEqualTo(1);
    assertThat(app.stage().isShowing()).isTrue();
  }

  @Test
  void theSidePanelFollowsTheFirstFrameInItsPlaceAndWidth() {
    // Built after the first frame was on screen (more than ten were before any test ran).
    assertThat(app.sidePanelShown()).isTrue();
    ScrollPane side = lookup(".side-panel").queryAs(ScrollPane.class);
    assertThat(side.isVisible()).isTrue();
    assertThat(side.getWidth()).isCloseTo(StationApp.SIDE_PANEL_WIDTH, within(1.0));
  }

  @Test
  void demoFramesRenderAndThePixelsChange() throws Exception {
    long shownBefore = app.videoView().framesShown();
    int[] sample = stampRow();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> app.videoView().framesShown() > shownBefore + 20);

    assertThat(stampRow()).as("the frame counter in the picture moved on").isNotEqualTo(sample);
    assertThat(lookup(".hud-phase").queryAs(Label.class).getText()).isEqualTo("Connected");
    assertThat(lookup(".demo-badge").queryAs(Label.class).isVisible()).isTrue();
  }

  @Test
  void theSidePanelBreaksTheLastSecondDownByStageToTheScreen() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lookup(".stages").queryAs(Label.class).getText().contains("wait for pulse"));

    String text = lookup(".stages").queryAs(Label.class).getText();
    assertThat(text).contains("encode", "jitter buffer", "decode", "convert", "measured");
    assertThat(text).contains("capture → shown");
    assertThat(text).doesNotContain("NaN");
  }

  /** Luma-ish samples along the FrameStamp row: it changes with every frame. */
  private int[] stampRow() throws Exception {
    return org.testfx.util.WaitForAsyncUtils.asyncFx(
            () -> {
              Image image = app.videoView().imageView().getImage();
              int[] row = new int[64];
              for (int i = 0; i < row.length; i++) {
                row[i] = image.getPixelReader().getArgb((int) (i * image.getWidth() / 64 + 2), 8);
              }
              return row;
            })
        .get();
  }

  @Test
  void armingAndThrottleMoveTheCarAndEscapeStopsIt() {
    clickOn(app.videoView());
    type(KeyCode.ENTER);
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.ARMED);

    press(KeyCode.W);
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> car.status().speedMps() > 0.3);
    } finally {
      release(KeyCode.W);
    }
    type(KeyCode.ESCAPE);

    await().atMost(Duration.ofSeconds(2)).until(() -> car.status().state() == CarState.ESTOP);
    assertThat(car.status().output().throttle()).isZero();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> "E-STOP".equals(lookup(".hud-state").queryAs(Label.class).getText()));
    assertThat(lookup(".hud-state-line").queryAs(Label.class).getText())
        .isEqualTo("E-STOP latched · click Clear E-STOP, then Enter to arm");
    clickOn("Clear E-STOP");
    await().atMost(Duration.ofSeconds(2)).until(() -> car.status().state() == CarState.DISARMED);
  }

  /**
   * Headless Monocle does not move window focus between stages, so this drives the view model's
   * focus-lost path (what the window's focused listener calls) against the real car.
   */
  @Test
  void losingFocusDisarmsTheCar() {
    interact(() -> model().toggleArm());
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.ARMED);
    model().keyboard().press(dev.rcdrive.station.input.KeyboardInput.Key.THROTTLE);

    interact(() -> model().focusLost());

    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.DISARMED);
    assertThat(car.status().output().throttle()).isZero();
    assertThat(model().armedProperty().get()).isFalse();
    assertThat(model().hud().messageProperty().get()).isEqualTo("Disarmed: the window lost focus");
    interact(() -> model().dismissMessage());
  }

  @Test
  void connectFormRefusesAMalformedUrlAndShowsATokenRefusal() {
    TextField serverField =
        lookup(".text-field").match(n -> !(n instanceof PasswordField)).queryAs(TextField.class);
    PasswordField token = lookup(".password-field").queryAs(PasswordField.class);
    clickOn(serverField).write("http://nowhere");
    clickOn(token).write("anything");
    clickOn(
        (Button)
            lookup(".button")
                .match(n -> n instanceof Button b && "Connect".equals(b.getText()))
                .query());

    assertThat(model().hud().messageProperty().get())
        .startsWith("The server URL must look like wss://host:port");
    assertThat(model().hud().connectedProperty().get()).as("the demo link is untouched").isTrue();

    interact(() -> serverField.setText(demo.url()));
    interact(() -> token.setText("wrong-token"));
    clickOn(
        (Button)
            lookup(".button")
                .match(n -> n instanceof Button b && "Connect".equals(b.getText()))
                .query());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> model().hud().messageProperty().get().startsWith("The server refused the token"));
    Label shown = lookup(".hud-message").queryAs(Label.class);
    assertThat(shown.isVisible()).isTrue();

    // Back to the demo car for the other tests.
    interact(() -> model().connect(demo.url(), "t", "demo", true));
    await().atMost(Duration.ofSeconds(10)).until(() -> model().hud().connectedProperty().get());
  }

  @Test
  void f12SavesASnapshotOfTheVideoWithoutTheStampRows(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
    System.setProperty("rcdrive.snapshotDir", folder.toString());
    try {
      clickOn(app.videoView());
      type(KeyCode.F12);

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> model().hud().messageProperty().get().startsWith("Saved "));
      java.nio.file.Path file;
      try (var files = java.nio.file.Files.list(folder)) {
        file = files.findFirst().orElseThrow();
      }
      assertThat(model().hud().messageProperty().get()).isEqualTo("Saved " + file);
      var png = javax.imageio.ImageIO.read(file.toFile());
      assertThat(png.getWidth()).isEqualTo(640);
      assertThat(png.getHeight())
          .isEqualTo(360 - dev.rcdrive.station.video.VideoView.HIDDEN_STAMP_ROWS); // stamped
    } finally {
      System.clearProperty("rcdrive.snapshotDir");
      interact(() -> model().dismissMessage());
    }
  }

  @Test
  void controllerSettingsOpenTheControllerPageInAWindowOfItsOwn() {
    Button open =
        (Button)
            lookup(".button")
                .match(n -> n instanceof Button b && "Controller settings…".equals(b.getText()))
                .query();
    interact(open::fire);

    javafx.stage.Window window =
        listTargetWindows().stream()
            .filter(
                w ->
                    w instanceof javafx.stage.Stage s
                        && "rcdrive · controller".equals(s.getTitle()))
            .findFirst()
            .orElseThrow();
    assertThat(window.isShowing()).isTrue();
    assertThat(
            from(window.getScene().getRoot())
                .lookup(
                    (java.util.function.Predicate<javafx.scene.Node>)
                        n -> n instanceof dev.rcdrive.station.gamepad.page.ControllerPage)
                .tryQuery())
        .isPresent();
    interact(window::hide);
  }

  @Test
  void escapeInFullscreenIsOnlyTheEStopAndF11LeavesFullscreen() {
    interact(() -> app.stage().setFullScreen(true));
    clickOn(app.videoView());

    type(KeyCode.ESCAPE);

    await().atMost(Duration.ofSeconds(2)).until(() -> car.status().state() == CarState.ESTOP);
    assertThat(app.stage().isFullScreen()).as("Esc did not leave fullscreen").isTrue();
    assertThat(app.stage().getFullScreenExitKeyCombination())
        .isEqualTo(javafx.scene.input.KeyCombination.NO_MATCH);
    assertThat(app.stage().getFullScreenExitHint()).contains("F11").doesNotContain("ESC");
    type(KeyCode.F11);
    assertThat(app.stage().isFullScreen()).isFalse();
    interact(() -> model().clearEmergencyStop());
    await().atMost(Duration.ofSeconds(2)).until(() -> car.status().state() == CarState.DISARMED);
    interact(() -> model().dismissMessage());
  }

  @Test
  void f1ShowsEveryKeyAndF1HidesIt() {
    clickOn(app.videoView());
    type(KeyCode.F1);
    Label help = lookup(".key-help").queryAs(Label.class);
    assertThat(help.isVisible()).isTrue();
    assertThat(help.getText()).contains("Esc   E-STOP").contains("F11").contains("Enter");
    type(KeyCode.F1);
    assertThat(help.isVisible()).isFalse();
  }

  @Test
  void afterLeavingNothingStaleStaysArmingIsRefusedAndTheDemoIsOneClickAway() {
    clickOn(
        (Button)
            lookup(".button")
                .match(n -> n instanceof Button b && "Leave".equals(b.getText()))
                .query());

    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> app.videoView().imageView().getImage() == null);
    assertThat(lookup(".hud-state").queryAs(Label.class).getText()).isEqualTo("NOT CONNECTED");
    assertThat(lookup(".hud-state-line").queryAs(Label.class).getText())
        .isEqualTo("Not connected · pick a server and car in the side panel, or Back to demo");
    assertThat(model().hud().roundTripProperty().get()).isEqualTo("–");
    assertThat(lookup(".demo-badge").queryAs(Label.class).isVisible()).isFalse();
    clickOn(app.videoView());
    type(KeyCode.ENTER);
    assertThat(model().armedProperty().get()).as("nothing to arm").isFalse();
    assertThat(model().hud().messageProperty().get()).startsWith("Not connected to a car");
    assertThat(
            lookup(".button")
                .match(n -> n instanceof Button b && "Arm (Enter)".equals(b.getText()))
                .tryQuery())
        .isPresent();

    clickOn(
        (Button)
            lookup(".button")
                .match(n -> n instanceof Button b && "Back to demo".equals(b.getText()))
                .query());

    long before = app.videoView().framesShown();
    await().atMost(Duration.ofSeconds(15)).until(() -> app.videoView().framesShown() > before + 5);
    assertThat(model().hud().connectedProperty().get()).isTrue();
    assertThat(model().demoOfferedProperty().get()).isFalse();
    assertThat(model().events().lines()).anyMatch(l -> l.endsWith("Left the car"));
    interact(() -> model().dismissMessage());
  }

  @Test
  void atTheSmallestWindowWithEStopLatchedEveryToolbarButtonIsOnScreen() {
    double width = app.stage().getWidth();
    double height = app.stage().getHeight();
    try {
      interact(
          () -> {
            app.stage().setWidth(StationApp.MIN_WIDTH);
            app.stage().setHeight(StationApp.MIN_HEIGHT);
            model().emergencyStop();
          });
      org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
      double sceneWidth = app.stage().getScene().getWidth();
      List<Button> buttons =
          lookup(".station-toolbar .button").queryAllAs(Button.class).stream()
              .filter(javafx.scene.Node::isManaged)
              .toList();

      assertThat(buttons)
          .extracting(Button::getText)
          .contains("Arm (Enter)")
          .anyMatch(t -> t.startsWith("E-STOP"))
          .contains("Clear E-STOP", "Leave", "Fullscreen (F11)");
      for (Button b : buttons) {
        javafx.geometry.Bounds inScene = b.localToScene(b.getBoundsInLocal());
        assertThat(inScene.getMaxX()).as(b.getText()).isLessThanOrEqualTo(sceneWidth);
        assertThat(b.getWidth()).as(b.getText()).isGreaterThanOrEqualTo(b.prefWidth(-1) - 0.5);
      }
      interact(() -> model().clearEmergencyStop());
      org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
      Label badge = lookup(".hud-state").queryAs(Label.class);
      assertThat(badge.getText()).isEqualTo("DISARMED"); // the longest while connected
      assertThat(badge.getWidth())
          .as("the state badge is never cut short")
          .isGreaterThanOrEqualTo(badge.prefWidth(-1) - 0.5);
    } finally {
      interact(
          () -> {
            model().clearEmergencyStop();
            model().dismissMessage();
            app.stage().setWidth(width);
            app.stage().setHeight(height);
          });
    }
  }

  @Test
  void at1280By720TheHudCornersAndTheBadgeDoNotOverlap() {
    interact(
        () -> {
          app.stage().setWidth(1280);
          app.stage().setHeight(720);
        });
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.Node linkBox = lookup(".hud-phase").queryAs(Label.class).getParent().getParent();
    javafx.scene.Node carBox = lookup(".hud-state").queryAs(Label.class).getParent();

    javafx.geometry.Bounds link = linkBox.localToScene(linkBox.getBoundsInLocal());
    javafx.geometry.Bounds badge = carBox.localToScene(carBox.getBoundsInLocal());
    assertThat(link.intersects(badge)).as(link + " vs " + badge).isFalse();
  }
}
