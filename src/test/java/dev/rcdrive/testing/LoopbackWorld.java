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
    return CarAssembly.start(
        new AgentConfig(
            server.uri().toString(),
            carId,
            key,
            new AgentConfig.Camera(AgentConfig.CameraKind.SIM, width, height, fps),
            AgentConfig.ActuatorKind.SIM,
            250,
            null,
            null),
        engine);
  }
}
