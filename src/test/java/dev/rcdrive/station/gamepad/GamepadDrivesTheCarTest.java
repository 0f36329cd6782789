package dev.rcdrive.station.gamepad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.app.StationServices;
import dev.rcdrive.station.app.StationViewModel;
import dev.rcdrive.station.gamepad.device.FakePad;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.testing.LoopbackWorld;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import net.java.games.input.Controller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A controller wired into the station's view model drives a simulated car over a real link: its A
 * button arms, its trigger moves the car, and pulling its cable stops the car and disarms the
 * station. JInput's real classes with a fake controller (there is no /dev/input here).
 */
@Tag("ui")
class GamepadDrivesTheCarTest {

  private final List<Controller> plugged = new CopyOnWriteArrayList<>();
  private RtcEngine engine;
  private SignalingServer server;
  private CarAgent car;
  private StationViewModel model;
  private ScheduledExecutorService pulses;

  @BeforeEach
  void start() throws Exception {
    FxToolkit.registerPrimaryStage();
    engine = RtcEngine.create();
    server =
        LoopbackWorld.server(
            List.of(new SignalingConfig.Car("demo", "Demo car", "k")),
            List.of(new SignalingConfig.Driver("you", "t")));
    car = LoopbackWorld.simCar(server, engine, "demo", "k", 320, 180, 15);
    JInputGamepads gamepads =
        new JInputGamepads(() -> List.copyOf(plugged), new JInputGamepads.Options(250, 100), null);
    model =
        WaitForAsyncUtils.asyncFx(
                () ->
                    new StationViewModel(
                        () -> engine, new LatestFrame(), StationServices.forUser(gamepads)))
            .get();
    // The window's pulse, without a window.
    pulses = Executors.newSingleThreadScheduledExecutor();
    pulses.scheduleAtFixedRate(
        () -> Platform.runLater(() -> model.tick(System.nanoTime())), 0, 8, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    pulses.shutdownNow();
    WaitForAsyncUtils.asyncFx(model::shutdown).get(10, TimeUnit.SECONDS);
    car.close();
    server.close();
    engine.close();
  }

  private <T> T fx(java.util.concurrent.Callable<T> call) throws Exception {
    return WaitForAsyncUtils.asyncFx(call).get(5, TimeUnit.SECONDS);
  }

  @Test
  void aButtonArmsTheTriggerDrivesAndUnpluggingStopsTheCar() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    plugged.add(pad);
    fx(() -> model.connect(server.uri().toString(), "t", "demo", true));
    await() // a deadline for getting connected, not a latency claim: a busy machine is slow here
        .atMost(Duration.ofSeconds(40))
        .until(() -> fx(() -> model.hud().connectedProperty().get()));
    await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                fx(() -> model.hud().inputNameProperty().get()).equals("Microsoft X-Box 360 pad"));

    pad.set("A", 1f); // press …
    await().atMost(Duration.ofSeconds(3)).until(() -> fx(() -> model.armedProperty().get()));
    pad.set("A", 0f); // … and release
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.ARMED);

    pad.set("rz", 1f); // right trigger: full throttle
    await().atMost(Duration.ofSeconds(5)).until(() -> car.status().speedMps() > 0.3);

    pad.unplug();
    plugged.remove(pad);

    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.DISARMED);
    assertThat(car.status().output().throttle()).isZero();
    assertThat(fx(() -> model.armedProperty().get())).as("the station disarmed").isFalse();
    assertThat(fx(() -> model.hud().messageProperty().get())).containsIgnoringCase("disconnected");
    assertThat(fx(() -> model.hud().padStatusProperty().get()))
        .containsIgnoringCase("disconnected");
  }

  @Test
  void theBButtonIsAnEmergencyStop() throws Exception {
    FakePad pad = FakePad.of("Microsoft X-Box 360 pad", FakePad.Layout.EVDEV_XBOX);
    plugged.add(pad);
    fx(() -> model.connect(server.uri().toString(), "t", "demo", true));
    await() // a deadline for getting connected, not a latency claim: a busy machine is slow here
        .atMost(Duration.ofSeconds(40))
        .until(() -> fx(() -> model.hud().connectedProperty().get()));
    await().atMost(Duration.ofSeconds(3)).until(() -> fx(() -> model.gamepad().active()));

    pad.set("B", 1f);

    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().state() == CarState.ESTOP);
    assertThat(fx(() -> model.estopProperty().get())).isTrue();
  }
}
