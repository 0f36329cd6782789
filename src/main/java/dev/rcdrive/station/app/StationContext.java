package dev.rcdrive.station.app;

import dev.rcdrive.rtc.RtcEngine;

/**
 * What the station starts with, handed over by whoever launches it (the CLI): the process's WebRTC
 * engine, what to connect to first (the demo car, or a profile), and what to close on exit.
 *
 * @param autoConnect connect to this at start, or null to wait for the user
 * @param onExit closes what the launcher started (the demo's server and car); runs off the FX
 *     thread
 * @param selfTestFrames above 0: close the window once this many frames were shown, and report
 */
public record StationContext(
    RtcEngine engine, Target autoConnect, Runnable onExit, int selfTestFrames) {

  public StationContext(RtcEngine engine, Target autoConnect, Runnable onExit) {
    this(engine, autoConnect, onExit, 0);
  }

  /** A car to drive: where, with which token, and whether it is the built-in demo. */
  public record Target(String serverUrl, String token, String carId, boolean demo) {
    @Override
    public String toString() {
      return "Target[" + serverUrl + ", car " + carId + (demo ? ", demo" : "") + "]";
    }
  }
}
