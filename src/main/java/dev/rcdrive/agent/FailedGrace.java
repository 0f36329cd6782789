package dev.rcdrive.agent;

/**
 * The grace a failed link gets for the driver's ICE restart, counted from its <em>latest</em>
 * failure: a link that failed, recovered for a moment and failed again gets its full grace again.
 * Each failure is numbered; the timer set for it may close the link only if no later one came.
 * Thread-safe.
 */
final class FailedGrace {
  private long latest;
  private boolean failedNow;

  /** The link failed: returns this failure's number, for its timer. */
  synchronized long failed() {
    failedNow = true;
    return ++latest;
  }

  /** The link is in another state now (connecting again, connected). */
  synchronized void recovered() {
    failedNow = false;
  }

  /**
   * When failure {@code number}'s grace ran out: close only if it is still the latest, unhealed.
   */
  synchronized boolean expired(long number) {
    return failedNow && number == latest;
  }
}
