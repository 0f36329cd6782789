package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.testing.LoopbackWorld;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the driver reads when a car cannot be driven, from a real signaling server: each refusal a
 * sentence in the message line, never a stack trace, and the window's state left consistent.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StationViewModelTest {

  private RtcEngine engine;
  private SignalingServer server;
  private CarAgent car;

  @BeforeAll
  void start() throws Exception {
    FxToolkit.registerPrimaryStage(); // the model posts its results to the FX thread
    engine = RtcEngine.create();
    server =
        LoopbackWorld.server(
            List.of(
                new SignalingConfig.Car("buggy", "Buggy", "k1"),
                new SignalingConfig.Car("ghost", "Ghost car", "k2")),
            List.of(
                new SignalingConfig.Driver("alice", "ta"),
                new SignalingConfig.Driver("bob", "tb")));
    car = LoopbackWorld.simCar(server, engine, "buggy", "k1", 320, 180, 15);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().onlineCars() == 1);
  }

  @AfterAll
  void stop() {
    car.close();
    server.close();
    engine.close();
  }

  private StationViewModel model() throws Exception {
    return WaitForAsyncUtils.asyncFx(
            () -> new StationViewModel(() -> engine, new LatestFrame(), StationServices.forUser()))
        .get();
  }

  private static String messageOf(StationViewModel model) throws Exception {
    return WaitForAsyncUtils.asyncFx(() -> model.hud().messageProperty().get())
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void anOfflineCarIsNamedAsOffline() throws Exception {
    StationViewModel model = model();
    WaitForAsyncUtils.asyncFx(() -> model.connect(server.uri().toString(), "tb", "ghost", false))
        .get();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !messageOf(model).isEmpty());
      assertThat(messageOf(model)).isEqualTo("Ghost car is offline");
      assertThat(WaitForAsyncUtils.asyncFx(() -> model.hud().connectingProperty().get()).get())
          .isFalse();
    } finally {
      WaitForAsyncUtils.asyncFx(model::leave).get();
    }
  }

  @Test
  void aBusyCarNamesWhoDrivesIt() throws Exception {
    DriverSession alice =
        DriverSession.open(engine, server.uri(), "ta", LinkOptions.defaults(), frame -> {});
    try {
      alice.ready().get(10, TimeUnit.SECONDS);
      alice.drive("buggy").get(10, TimeUnit.SECONDS);
      StationViewModel model = model();
      WaitForAsyncUtils.asyncFx(() -> model.connect(server.uri().toString(), "tb", "buggy", false))
          .get();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> !messageOf(model).isEmpty());
        assertThat(messageOf(model)).isEqualTo("Buggy is being driven by alice");
        assertThat(WaitForAsyncUtils.asyncFx(() -> model.hud().connectedProperty().get()).get())
            .isFalse();
      } finally {
        WaitForAsyncUtils.asyncFx(model::leave).get();
      }
    } finally {
      alice.close();
    }
  }

  @Test
  void anUnknownCarIsNamed() throws Exception {
    StationViewModel model = model();
    WaitForAsyncUtils.asyncFx(() -> model.connect(server.uri().toString(), "tb", "nope", false))
        .get();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !messageOf(model).isEmpty());
      assertThat(messageOf(model)).isEqualTo("no car 'nope' on this server");
    } finally {
      WaitForAsyncUtils.asyncFx(model::leave).get();
    }
  }
}
