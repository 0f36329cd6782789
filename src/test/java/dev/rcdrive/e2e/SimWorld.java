package dev.rcdrive.e2e;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.Limits;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.util.List;

/**
 * What the end-to-end tests share: a signaling server on loopback that knows the simulated car
 * "sim" (key "sim-key") and the drivers alice and bob, and a way to start that car.
 */
final class SimWorld {
  static final String CAR = "sim";
  static final String KEY = "sim-key";

  private SimWorld() {}

  static SignalingServer server(SignalingConfig.Car... moreCars) throws Exception {
    return server(List.of(), moreCars);
  }

  static SignalingServer server(
      List<SignalingConfig.IceServerConfig> iceServers, SignalingConfig.Car... moreCars)
      throws Exception {
    return server(0, iceServers, moreCars);
  }

  static SignalingServer server(
      int port, List<SignalingConfig.IceServerConfig> iceServers, SignalingConfig.Car... moreCars)
      throws Exception {
    List<SignalingConfig.Car> cars = new java.util.ArrayList<>();
    cars.add(new SignalingConfig.Car(CAR, "Sim car", KEY));
    cars.addAll(List.of(moreCars));
    return SignalingServer.start(
        new SignalingConfig(
            "127.0.0.1",
            port,
            null,
            cars,
            List.of(
                new SignalingConfig.Driver("alice", "alice-token"),
                new SignalingConfig.Driver("bob", "bob-token")),
            iceServers,
            null));
  }

  /** The car's config: the given camera, a 250 ms failsafe, the given limits (null: defaults). */
  static AgentConfig car(
      SignalingServer server, AgentConfig.Camera camera, Limits limits, boolean relayOnly) {
    return new AgentConfig(
        server.uri().toString(),
        CAR,
        KEY,
        camera,
        AgentConfig.ActuatorKind.SIM,
        250,
        limits,
        null,
        relayOnly);
  }

  static CarAgent startCar(
      SignalingServer server, dev.rcdrive.rtc.RtcEngine engine, AgentConfig.Camera camera) {
    return CarAssembly.start(car(server, camera, null, false), engine);
  }
}
