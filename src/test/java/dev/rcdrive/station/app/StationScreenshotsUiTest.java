package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.input.KeyboardInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Pictures of the real station window in each state a driver must read at a glance (docs/
 * screenshots, the README's), taken on request: {@code -Drcdrive.screenshots=docs/screenshots}.
 * Each state is reached for real (a real simulated car over real WebRTC) and checked before its
 * picture is taken.
 */
@Tag("ui")
class StationScreenshotsUiTest extends FxRobot {

  @Test
  void eachStateAsTheDriverSeesIt() throws Exception {
    String dir = System.getProperty("rcdrive.screenshots");
    assumeTrue(dir != null, "pictures only on request: -Drcdrive.screenshots=DIR");
    Path out = Path.of(dir);
    Files.createDirectories(out);
    try (RtcEngine engine = RtcEngine.create()) {
      SignalingServer server =
          dev.rcdrive.testing.LoopbackWorld.server(
              List.of(new SignalingConfig.Car("demo", "Demo car", "k")),
              List.of(new SignalingConfig.Driver("you", "t")));
      CarAgent car =
          dev.rcdrive.testing.LoopbackWorld.simCar(server, engine, "demo", "k", 1280, 720, 30);
      StationContext.Target demo =
          new StationContext.Target(server.uri().toString(), "t", "demo", true);
      StationApp.useContext(new StationContext(engine, demo, null));
      FxToolkit.registerPrimaryStage();
      StationApp app = (StationApp) FxToolkit.setupApplication(StationApp.class);
      try {
        StationViewModel model = app.model();
        interact(
            () -> {
              app.stage().setX(0);
              app.stage().setY(0);
              app.stage().setWidth(1280);
              app.stage().setHeight(720);
            });
        await().atMost(Duration.ofSeconds(20)).until(() -> app.videoView().framesShown() > 30);

        // Driving: armed, throttle held.
        interact(model::toggleArm);
        model.keyboard().press(KeyboardInput.Key.THROTTLE);
        await().atMost(Duration.ofSeconds(5)).until(() -> car.status().speedMps() > 1.0);
        awaitBadge("ARMED");
        shoot(app, out.resolve("driving.png"));
        shoot(app, out.resolve("../../assets/screenshot.png").normalize());
        model.keyboard().release(KeyboardInput.Key.THROTTLE);

        // E-STOP.
        interact(model::emergencyStop);
        awaitBadge("E-STOP");
        shoot(app, out.resolve("estop.png"));
        interact(model::clearEmergencyStop);
        interact(model::dismissMessage);

        // FAILSAFE with the car's reason: this station stops its frames (the drive controller
        // leaves the link, its last frame sent), then armed frames go straight to the link and
        // stop, as a station that stalls mid-drive would.
        dev.rcdrive.station.link.DriverSession session = model.session();
        Runnable lastFrame = model.drive().leave();
        lastFrame.run();
        for (int i = 0; i < 25; i++) {
          session.sendControl(
              new dev.rcdrive.protocol.ControlFrame(
                      50_000_000L + i, System.nanoTime() / 1000, 0, 0, 0, true, false, 0)
                  .encode());
          Thread.sleep(20); // paces the frames, as the control loop would
        }
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> car.status().state() == CarState.FAILSAFE);
        awaitBadge("FAILSAFE");
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> line().startsWith("FAILSAFE: no control frame for 250 ms"));
        shoot(app, out.resolve("failsafe.png"));
        interact(() -> model.drive().attach(session::sendControl));

        // Not connected after Leave, with the way back to the demo and the event log.
        interact(model::leave);
        awaitBadge("NOT CONNECTED");
        shoot(app, out.resolve("left.png"));

        // Signaling unreachable: a server that is not there.
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
          port = s.getLocalPort();
        }
        interact(() -> model.connect("ws://127.0.0.1:" + port, "t", "demo", false));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> model.hud().detailProperty().get().startsWith("nothing answers"));
        shoot(app, out.resolve("signaling-unreachable.png"));

        // The car's link lost while driving it: the car stops answering.
        interact(model::backToDemo);
        await().atMost(Duration.ofSeconds(15)).until(() -> model.hud().connectedProperty().get());
        await().atMost(Duration.ofSeconds(5)).until(() -> app.videoView().framesShown() > 5);
        interact(model::dismissMessage);
        interact(model::toggleArm); // lost while armed: the alarm's red frame flashes
        awaitBadge("ARMED");
        car.close();
        // First the car falls silent (its telemetry stops), a second later the link is lost.
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> "NOT RESPONDING".equals(badge()));
        shoot(app, out.resolve("car-not-responding.png"));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> List.of("NO LINK", "CAR OFFLINE").contains(badge()));
        javafx.scene.Node alarm = lookup("#alarm-frame").query();
        await().atMost(Duration.ofSeconds(5)).until(alarm::isVisible);
        shoot(app, out.resolve("car-link-lost.png"));

        // The controller page with no controller.
        interact(
            () ->
                lookup(".button")
                    .match(
                        n ->
                            n instanceof javafx.scene.control.Button b
                                && "Controller settings…".equals(b.getText()))
                    .queryAs(javafx.scene.control.Button.class)
                    .fire());
        javafx.stage.Window page =
            listTargetWindows().stream()
                .filter(
                    w -> w instanceof javafx.stage.Stage s && s.getTitle().contains("controller"))
                .findFirst()
                .orElseThrow();
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        shootWindow(page, out.resolve("no-controller.png"));
        interact(page::hide);
      } finally {
        FxToolkit.cleanupApplication(app);
        server.close();
      }
    }
  }

  private String badge() {
    return lookup(".hud-state").queryAs(Label.class).getText();
  }

  private String line() {
    return lookup(".hud-state-line").queryAs(Label.class).getText();
  }

  private void awaitBadge(String text) {
    await().atMost(Duration.ofSeconds(10)).until(() -> text.equals(badge()));
  }

  private void shoot(StationApp app, Path file) throws Exception {
    shootWindow(app.stage(), file);
  }

  private void shootWindow(javafx.stage.Window window, Path file) throws Exception {
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    WritableImage image =
        org.testfx.util.WaitForAsyncUtils.asyncFx(() -> window.getScene().snapshot(null)).get();
    Files.createDirectories(file.getParent());
    try {
      int w = (int) image.getWidth();
      int h = (int) image.getHeight();
      java.awt.image.BufferedImage png =
          new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        image
            .getPixelReader()
            .getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
        png.setRGB(0, y, w, 1, row, 0, w);
      }
      javax.imageio.ImageIO.write(png, "png", file.toFile());
    } catch (IOException e) {
      throw new IOException("cannot write " + file, e);
    }
    assertThat(Files.size(file)).isPositive();
  }
}
