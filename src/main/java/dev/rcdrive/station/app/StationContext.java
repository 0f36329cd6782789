package dev.rcdrive.station.app;

import dev.rcdrive.rtc.RtcEngine;
import java.util.concurrent.CompletableFuture;

/**
 * What the station starts with, handed over by whoever launches it (the CLI): the process's WebRTC
 * engine, what to connect to first (the demo car, or a profile), and what to close on exit.
 *
 * <p>The engine and the first target may still be on their way when the window opens: the CLI
 * starts WebRTC and the demo's server and car while JavaFX starts, which takes about a second off
 * the time to the first video frame.
 *
 * @param engine the WebRTC engine, once loaded
 * @param autoConnect connect to this once known, or a null value to wait for the user
 * @param onWindowShown runs on the FX thread once the window is on screen (the demo's car then
 *     draws at its full rate); must not block
 * @param onExit closes what the launcher started (the demo's server and car); runs off the FX
 *     thread
 * @param selfTestFrames above 0: close the window once this many frames were shown, and report
 */
public record StationContext(
    CompletableFuture<RtcEngine> engine,
    CompletableFuture<Target> autoConnect,
    Runnable onWindowShown,
    Runnable onExit,
    int selfTestFrames) {

  /** With everything ready (tests). */
  public StationContext(RtcEngine engine, Target autoConnect, Runnable onExit) {
    this(
        CompletableFuture.completedFuture(engine),
        CompletableFuture.completedFuture(autoConnect),
        () -> {},
        onExit,
        0);
  }

  /** A car to drive: where, with which token, and whether it is the built-in demo. */
  public record Target(String serverUrl, String token, String carId, boolean demo) {
    @Override
    public String toString() {
      return "Target[" + serverUrl + ", car " + carId + (demo ? ", demo" : "") + "]";
    }
  }
}
