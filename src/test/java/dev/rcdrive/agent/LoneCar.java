package dev.rcdrive.agent;

/** A car for tests of the agent alone: its signaling server never answers, so no driver comes. */
final class LoneCar {

  private LoneCar() {}

  /** A 64×64 test-pattern camera at 5 fps, the simulated actuator, a 250 ms failsafe. */
  static AgentConfig config(String carId) {
    return new AgentConfig(
        "ws://127.0.0.1:9", // nothing listens: the client retries, the car ticks on
        carId,
        "k",
        new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 64, 64, 5),
        AgentConfig.ActuatorKind.SIM,
        250,
        null,
        null);
  }
}
