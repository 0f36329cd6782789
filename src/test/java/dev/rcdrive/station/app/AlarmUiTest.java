package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.hud.Alarm;
import dev.rcdrive.testing.LoopbackWorld;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real window (headless Monocle) over a real car: the car's link is lost while armed and the
 * red frame flashes, then ends by itself. Its own car, since this one is killed.
 */
@Tag("ui")
class AlarmUiTest extends FxRobot {

  private RtcEngine engine;
  private LoopbackWorld.Demo demo;
  private CarAgent car;
  private StationApp app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      FxToolkit.cleanupApplication(app);
    }
    if (demo != null) {
      demo.close(); // the car is closed already: closing it again does nothing
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void losingTheCarWhileArmedFlashesTheFrameUntilItEndsAndVeilsTheOldPicture() throws Exception {
    engine = RtcEngine.create();
    demo = LoopbackWorld.demo(engine, 320, 240, 30);
    car = demo.car();
    StationApp.useContext(
        new StationContext(engine, new StationContext.Target(demo.url(), "t", "demo", true), null));
    FxToolkit.registerPrimaryStage();
    app = (StationApp) FxToolkit.setupApplication(StationApp.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> app.videoView().framesShown() > 5);
    Node frame = lookup("#alarm-frame").query();
    assertThat(frame.isVisible()).as("quiet while all is well").isFalse();
    Node veil = lookup("#frozen-veil").query();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !veil.isVisible());

    clickOn(app.videoView());
    type(KeyCode.ENTER);
    await().atMost(Duration.ofSeconds(5)).until(() -> car.status().state() == CarState.ARMED);
    long lost = System.nanoTime();
    car.close(); // the car is gone: its link with it

    // It lights, goes dark and lights again (counted on the FX thread, where it changes) …
    AtomicInteger changes = new AtomicInteger();
    interact(() -> frame.visibleProperty().addListener((o, was, lit) -> changes.incrementAndGet()));
    await().atMost(Duration.ofSeconds(15)).until(() -> changes.get() >= 3);
    assertThat(lookup(".hud-state").queryAs(Label.class).getText()).isNotEqualTo("ARMED");
    await().atMost(Duration.ofSeconds(10)).until(veil::isVisible); // the last picture is old now
    // … and ends by itself: dark for longer than any dark half of a flash, after it ran its time.
    await()
        .atMost(Duration.ofNanos(Alarm.FLASH_NANOS).plusSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .during(Duration.ofMillis(700))
        .until(() -> !frame.isVisible() && changes.get() >= 6);
    assertThat(System.nanoTime() - lost).isGreaterThanOrEqualTo(Alarm.FLASH_NANOS);
  }
}
