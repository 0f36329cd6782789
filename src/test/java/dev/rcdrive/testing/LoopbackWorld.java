package dev.rcdrive.testing;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.util.List;

/**
 * A signaling server on an ephemeral loopback port and simulated cars on it: what the station's
 * tests drive against. Each test names its own cars and drivers, so what it expects stays readable
 * where it is asserted.
 */
public final class LoopbackWorld {

  private LoopbackWorld() {}

  /**
   * The station's demo as its tests meet it: car "demo" ("Demo car", key "k") on a server that lets
   * driver "you" in with token {@link #DEMO_TOKEN}. Closing it ends the car, then the server.
   */
  public record Demo(SignalingServer server, CarAgent car) implements AutoCloseable {
    public static final String DEMO_TOKEN = "t";

    public String url() {
      return server.uri().toString();
    }

    @Override
    public void close() {
      car.close();
      server.close();
    }
  }

  /** {@link Demo} with a simulated camera of that size and rate. */
  public static Demo demo(RtcEngine engine, int width, int height, int fps) throws Exception {
    SignalingServer server =
        server(
            List.of(new SignalingConfig.Car("demo", "Demo car", "k")),
            List.of(new SignalingConfig.Driver("you", Demo.DEMO_TOKEN)));
    return new Demo(server, simCar(server, engine, "demo", "k", width, height, fps));
  }

  /** A server with these cars and drivers, no ICE servers, default limits. */
  public static SignalingServer server(
      List<SignalingConfig.Car> cars, List<SignalingConfig.Driver> drivers) throws Exception {
    return SignalingServer.start(
        new SignalingConfig("127.0.0.1", 0, null, cars, drivers, List.of(), null));
  }

  /** A simulated car with its simulated camera at that size and rate, and a 250 ms failsafe. */
  public static CarAgent simCar(
      SignalingServer server,
      RtcEngine engine,
      String carId,
      String key,
      int width,
      int height,
      int fps) {
    return simCar(server, engine, carId, key, width, height, fps, AgentConfig.Encoder.SOFTWARE);
  }

  /** As {@link #simCar(SignalingServer, RtcEngine, String, String, int, int, int)}, on a path. */
  public static CarAgent simCar(
      SignalingServer server,
      RtcEngine engine,
      String carId,
      String key,
      int width,
      int height,
      int fps,
      AgentConfig.Encoder encoder) {
    return registered(
        CarAssembly.start(simCarConfig(server, carId, key, width, height, fps, encoder), engine));
  }

  /**
   * The config of {@link #simCar}: its simulated camera at that size and rate on that video path,
   * the simulated actuator, a 250 ms failsafe.
   */
  public static AgentConfig simCarConfig(
      SignalingServer server,
      String carId,
      String key,
      int width,
      int height,
      int fps,
      AgentConfig.Encoder encoder) {
    return new AgentConfig(
        server.uri().toString(),
        carId,
        key,
        new AgentConfig.Camera(AgentConfig.CameraKind.SIM, width, height, fps).withEncoder(encoder),
        AgentConfig.ActuatorKind.SIM,
        250,
        null,
        null);
  }

  /** The car once registered with the server, before a test's driver asks (else: "offline"). */
  private static CarAgent registered(CarAgent car) {
    try {
      car.registered().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      car.close();
      throw new IllegalStateException("car " + car.carId() + " was not registered", e);
    }
    return car;
  }
}
