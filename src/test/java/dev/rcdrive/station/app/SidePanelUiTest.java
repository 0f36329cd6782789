package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.testing.LoopbackWorld;
import java.net.ServerSocket;
import java.time.Duration;
import javafx.scene.control.ScrollPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The side panel is built after the window's first video frame, not before it (its first showing
 * held the frame back): with video it is there as soon as a frame was shown, and without any it
 * comes by itself shortly after the window.
 */
@Tag("ui")
class SidePanelUiTest extends FxRobot {

  private RtcEngine engine;
  private LoopbackWorld.Demo demo;
  private StationApp app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      FxToolkit.cleanupApplication(app);
    }
    if (demo != null) {
      demo.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void withVideoThePanelFollowsTheFirstFrame() throws Exception {
    engine = RtcEngine.create();
    demo = LoopbackWorld.demo(engine, 320, 240, 30);
    StationApp.useContext(
        new StationContext(engine, new StationContext.Target(demo.url(), "t", "demo", true), null));
    FxToolkit.registerPrimaryStage();
    app = (StationApp) FxToolkit.setupApplication(StationApp.class);

    await().atMost(Duration.ofSeconds(20)).until(() -> app.videoView().framesShown() > 0);
    await().atMost(Duration.ofSeconds(5)).until(app::sidePanelShown);
    assertThat(lookup(".side-panel").queryAs(ScrollPane.class).isVisible()).isTrue();
    assertThat(lookup(".side-panel").queryAs(ScrollPane.class).getWidth())
        .isEqualTo(StationApp.SIDE_PANEL_WIDTH);
  }

  @Test
  void withoutVideoThePanelComesByItself() throws Exception {
    engine = RtcEngine.create();
    String nobody;
    try (ServerSocket closed = new ServerSocket(0)) {
      nobody = "ws://127.0.0.1:" + closed.getLocalPort() + "/"; // nothing listens there after this
    }
    StationApp.useContext(
        new StationContext(engine, new StationContext.Target(nobody, "t", "demo", false), null));
    FxToolkit.registerPrimaryStage();
    app = (StationApp) FxToolkit.setupApplication(StationApp.class);

    await().atMost(Duration.ofSeconds(10)).until(app::sidePanelShown);
    assertThat(app.videoView().framesShown()).isZero();
    assertThat(lookup(".side-panel").tryQuery()).isPresent();
  }
}
