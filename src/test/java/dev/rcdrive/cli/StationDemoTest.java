package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.rtc.RtcEngine;
import org.junit.jupiter.api.Test;

/** The built-in demo that {@code rcdrive station} starts when no car is given. */
class StationDemoTest {

  @Test
  void theDemoCarDrawsFewPicturesUntilTheStationsWindowIsOnScreenThenAll() throws Exception {
    try (RtcEngine engine = RtcEngine.create();
        StationCommand.Demo demo = StationCommand.Demo.start(engine)) {
      assertThat(demo.target().demo()).isTrue();
      assertThat(demo.cameraFps()).isEqualTo(StationCommand.Demo.FPS_WHILE_THE_WINDOW_OPENS);

      demo.windowShown();

      assertThat(demo.cameraFps()).isEqualTo(StationCommand.Demo.FPS).isEqualTo(30);
    }
  }
}
