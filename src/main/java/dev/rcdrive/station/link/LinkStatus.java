package dev.rcdrive.station.link;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.protocol.TelemetryFrame;

/**
 * Everything the driver needs to see about the link, as one immutable snapshot (the HUD and {@code
 * rcdrive probe} read it). Figures not known yet are NaN, -1 or null.
 *
 * @param phase where the connection stands
 * @param detail why, in words (an error, a close reason)
 * @param localCandidate host, srflx, prflx or relay ("" before connected)
 * @param remoteCandidate the same for the car's side
 * @param controlRttMs last control round trip (control frame → car → telemetry echo)
 * @param videoFps frames per second received, over the last second
 * @param width last frame's width
 * @param height last frame's height
 * @param bitrateKbps video bitrate over the last second
 * @param lossPercent video packet loss since the start
 * @param jitterMs video interarrival jitter
 * @param glassToGlassMs last frame's capture → decoded age (when the camera stamps frames)
 * @param framesReceived decoded frames since the start
 * @param carState the car's state from its newest telemetry (null before any)
 * @param telemetry the newest telemetry frame (null before any)
 * @param health the car's newest health report: camera state, Pi sensors (null before any, and from
 *     cars that send none)
 * @param signalingUp whether the signaling server is connected now (a running link does not need
 *     it, but nothing can be restarted or renegotiated while it is down)
 * @param carReason why the car is in its state, in its own word (null before any, and from cars
 *     that predate the reason frame); it explains {@code carState} only when its state is the same
 */
public record LinkStatus(
    Phase phase,
    String detail,
    String localCandidate,
    String remoteCandidate,
    double controlRttMs,
    double videoFps,
    int width,
    int height,
    double bitrateKbps,
    double lossPercent,
    double jitterMs,
    double glassToGlassMs,
    long framesReceived,
    CarState carState,
    TelemetryFrame telemetry,
    HealthFrame health,
    boolean signalingUp,
    StateReason carReason) {

  /** Stages of a drive, in order; RECONNECTING and FAILED may come at any point. */
  public enum Phase {
    SIGNALING,
    WAITING_FOR_CAR,
    NEGOTIATING,
    CHECKING,
    CONNECTED,
    RECONNECTING,
    /** The server lists the car offline: the link waits for it to come back (no ICE restarts). */
    CAR_OFFLINE,
    FAILED,
    CLOSED
  }

  public static LinkStatus initial() {
    return new LinkStatus(
        Phase.SIGNALING,
        "connecting to signaling",
        "",
        "",
        Double.NaN,
        Double.NaN,
        -1,
        -1,
        Double.NaN,
        0,
        Double.NaN,
        Double.NaN,
        0,
        null,
        null,
        null,
        false,
        null);
  }

  LinkStatus with(Phase newPhase, String newDetail) {
    return copy(newPhase, newDetail, health, signalingUp, carReason);
  }

  LinkStatus withHealth(HealthFrame newHealth) {
    return copy(phase, detail, newHealth, signalingUp, carReason);
  }

  LinkStatus withSignaling(boolean up) {
    return copy(phase, detail, health, up, carReason);
  }

  /** The same, with the car's state forgotten: it described a link that is gone. */
  LinkStatus withoutCar() {
    return new LinkStatus(
        phase,
        detail,
        localCandidate,
        remoteCandidate,
        Double.NaN,
        videoFps,
        width,
        height,
        bitrateKbps,
        lossPercent,
        jitterMs,
        glassToGlassMs,
        framesReceived,
        null,
        null,
        health,
        signalingUp,
        null);
  }

  LinkStatus withCarReason(StateReason newReason) {
    return copy(phase, detail, health, signalingUp, newReason);
  }

  /** The car's reason for the state telemetry reports now, or null when it gave none for it. */
  public StateReason currentCarReason() {
    return carReason != null && carState != null && carReason.state() == carState
        ? carReason
        : null;
  }

  private LinkStatus copy(
      Phase newPhase,
      String newDetail,
      HealthFrame newHealth,
      boolean newSignalingUp,
      StateReason newReason) {
    return new LinkStatus(
        newPhase,
        newDetail,
        localCandidate,
        remoteCandidate,
        controlRttMs,
        videoFps,
        width,
        height,
        bitrateKbps,
        lossPercent,
        jitterMs,
        glassToGlassMs,
        framesReceived,
        carState,
        telemetry,
        newHealth,
        newSignalingUp,
        newReason);
  }
}
