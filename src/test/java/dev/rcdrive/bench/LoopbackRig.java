package dev.rcdrive.bench;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.SimActuator;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.testing.Coturn;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * rcdrive's own pieces on 127.0.0.1, wired as in production: a real {@link SignalingServer} on an
 * ephemeral port (with a coturn's REST secret when given one) and real {@link CarAgent}s with the
 * simulated car, so a driver in the same JVM can drive one.
 */
final class LoopbackRig implements AutoCloseable {

  static final String CAR = "bench-car";
  static final String CAR_KEY = "bench-car-key";
  static final String DRIVER_TOKEN = "bench-driver-token";

  /**
   * The car's camera.
   *
   * @param scene what it shows, one of {@link Scenes#NAMES}; the arena moves as the car drives
   */
  record Camera(String scene, int width, int height, int fps) {
    String describe() {
      return scene + " " + width + "x" + height + "@" + fps;
    }

    /** The agent config's camera type for the scene. */
    AgentConfig.CameraKind agentType() {
      return scene.equals("bars") ? AgentConfig.CameraKind.TEST : AgentConfig.CameraKind.SIM;
    }
  }

  private final SignalingServer server;

  private LoopbackRig(SignalingServer server) {
    this.server = server;
  }

  /** A signaling server; with {@code turn}, its welcome hands out minted TURN credentials. */
  static LoopbackRig start(Coturn turn) throws Exception {
    return turn == null ? start(null, null) : start(turn.url(), turn.secret());
  }

  /**
   * A signaling server handing out a TURN URL with credentials minted from {@code secret}: a
   * coturn's own URL, or that of a proxy in front of it (the soak's impaired link).
   */
  static LoopbackRig start(String turnUrl, String secret) throws Exception {
    List<SignalingConfig.IceServerConfig> ice =
        turnUrl == null
            ? List.of()
            : List.of(
                new SignalingConfig.IceServerConfig(List.of(turnUrl), null, null, secret, 600L));
    SignalingServer server =
        SignalingServer.start(
            new SignalingConfig(
                "127.0.0.1",
                0,
                null,
                List.of(new SignalingConfig.Car(CAR, "Bench car", CAR_KEY)),
                List.of(new SignalingConfig.Driver("bench driver", DRIVER_TOKEN)),
                ice,
                null));
    return new LoopbackRig(server);
  }

  URI uri() {
    return server.uri();
  }

  /** Cars whose lock a driver holds now. */
  int drivenCars() {
    return server.stats().drivenCars();
  }

  /**
   * Starts the car agent as {@code CarAssembly.start(config, engine)} would (simulated car, its
   * camera; for the "noisy" scene, with noise added), the camera wrapped to log each frame's
   * capture and push times when {@code log} is given. Waits until the server has it online.
   */
  CarAgent startCar(
      RtcEngine engine,
      Camera camera,
      int maxBitrateKbps,
      int maxFramerate,
      Integer startBitrateKbps,
      boolean relayOnly,
      FrameLog log)
      throws TimeoutException {
    AgentConfig config =
        new AgentConfig(
            server.uri().toString(),
            CAR,
            CAR_KEY,
            new AgentConfig.Camera(
                camera.agentType(), camera.width(), camera.height(), camera.fps()),
            AgentConfig.ActuatorKind.SIM,
            250,
            null,
            new AgentConfig.Video(maxBitrateKbps, maxFramerate, startBitrateKbps),
            relayOnly);
    CarModel model = new CarModel(CarModel.Spec.buggy());
    RenderedCamera.Painter painter =
        Scenes.painter(camera.scene(), model.spec().arenaHalfSizeM(), model::pose);
    CameraSource source =
        new RenderedCamera(
            camera.agentType().word(), camera.width(), camera.height(), camera.fps(), painter);
    CarAgent agent =
        CarAgent.start(
            config,
            engine,
            new SimActuator(model),
            log == null ? source : new TimedCamera(source, log));
    awaitOnlineCars(1, Duration.ofSeconds(10));
    return agent;
  }

  void awaitOnlineCars(int count, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (server.stats().onlineCars() != count) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the server did not see " + count + " car(s) online");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
