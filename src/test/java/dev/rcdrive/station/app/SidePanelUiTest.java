package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.rtc.RtcEngine;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The side panel is built after the window's first video frame (its first showing held the frame
 * back); with no video at all it comes by itself shortly after the window. (With video:
 * StationAppUiTest.)
 */
@Tag("ui")
class SidePanelUiTest extends FxRobot {

  @Test
  void withoutVideoThePanelComesByItself() throws Exception {
    String nobody;
    try (ServerSocket closed = new ServerSocket(0)) {
      nobody = "ws://127.0.0.1:" + closed.getLocalPort() + "/"; // nothing listens there after this
    }
    try (RtcEngine engine = RtcEngine.create()) {
      StationApp.useContext(
          new StationContext(engine, new StationContext.Target(nobody, "t", "demo", false), null));
      FxToolkit.registerPrimaryStage();
      StationApp app = (StationApp) FxToolkit.setupApplication(StationApp.class);
      try {
        await().atMost(Duration.ofSeconds(10)).until(app::sidePanelShown);
        assertThat(app.videoView().framesShown()).isZero();
        assertThat(lookup(".side-panel").tryQuery()).isPresent();
      } finally {
        FxToolkit.cleanupApplication(app);
      }
    }
  }
}
