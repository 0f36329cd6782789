package dev.rcdrive.station.drive;

import dev.rcdrive.protocol.StateReason;

/**
 * The car's reasons ({@link StateReason}) in the driver's words: what happened and, where the
 * driver can do something about it, what. The same words as the browser driver page's ({@code
 * driver-page/app.js}, {@code CAUSE_TEXT}).
 */
public final class CarWords {

  private CarWords() {}

  /** Why the car failed safe, as a clause: "no control frame for 250 ms (…)". */
  public static String failsafe(StateReason reason) {
    if (reason == null) {
      return "it gave no reason: an older car";
    }
    String detail = oneLine(reason.detail());
    return switch (reason.cause()) {
      case CONTROL_TIMEOUT ->
          "no control frame for "
              + reason.millis()
              + " ms: the link stalled or this station stopped sending";
      case LINK_LOST -> "its link to this station was lost" + quoted(detail);
      case CONTROL_CHANNEL_CLOSED -> "its control channel closed";
      case LINK_ERROR -> "a link error" + quoted(detail);
      case OUTPUT_ERROR ->
          "a motor or steering output failed" + quoted(detail) + "; check the car's wiring";
      case INTERNAL_ERROR -> "the car's software hit an error" + quoted(detail);
      case SHUTTING_DOWN -> "the car's agent is shutting down";
      case NEW_DRIVER -> "a new driver session began";
      default -> detail.isEmpty() ? "it gave no reason" : detail;
    };
  }

  private static String quoted(String detail) {
    return detail.isEmpty() ? "" : " (" + detail + ")";
  }

  /** Control characters out: the car's words go on one line of the screen. */
  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
  }
}
