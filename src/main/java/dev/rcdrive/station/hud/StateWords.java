package dev.rcdrive.station.hud;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.station.drive.CarWords;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.link.LinkStatus;

/**
 * The one line under the state badge: why the car is not driving and what the driver does next (FRC
 * Driver Station and QGroundControl do the same), from the newest drive and link snapshots. While
 * the car drives it says how to stop.
 */
final class StateWords {

  private StateWords() {}

  /**
   * What the badge says: the car's own state while connected and answering, else where the link
   * stands.
   *
   * @param drive the drive controller's newest state (null before any)
   */
  static String badge(LinkStatus link, boolean connecting, DriveState drive) {
    if (link == null) {
      return connecting ? "CONNECTING" : "NOT CONNECTED";
    }
    return switch (link.phase()) {
      case CONNECTED ->
          link.carState() == null
              ? "WAITING"
              : silent(drive) ? "NOT RESPONDING" : shown(link.carState());
      case CAR_OFFLINE -> "CAR OFFLINE";
      case RECONNECTING -> neverReachedTheCar(link) ? "CONNECTING" : "NO LINK";
      case FAILED, CLOSED -> "NOT CONNECTED";
      default -> "CONNECTING";
    };
  }

  /** The car said something once but its newest report is too old to be its state now. */
  private static boolean silent(DriveState drive) {
    return drive != null && drive.car().state() != null && !drive.car().responding();
  }

  /** Still on the way to the server: no path to a car was ever found on this connection. */
  private static boolean neverReachedTheCar(LinkStatus link) {
    return link.localCandidate().isEmpty() && link.framesReceived() == 0 && link.carState() == null;
  }

  /** The car's state as the station spells it ("E-STOP", the way the toolbar does). */
  static String shown(CarState state) {
    return state == CarState.ESTOP ? "E-STOP" : state.name();
  }

  /**
   * @param drive the drive controller's newest state
   * @param link the link's newest snapshot, null when not connected to any
   * @param connecting a connection is being opened
   * @param detail the link's detail in the user's words ({@link LinkWords})
   * @param demoAvailable a "Back to demo" is offered
   */
  static String line(
      DriveState drive, LinkStatus link, boolean connecting, String detail, boolean demoAvailable) {
    if (link == null) {
      return connecting
          ? "Connecting · wait, or Leave"
          : "Not connected · pick a server and car in the side panel"
              + (demoAvailable ? ", or Back to demo" : "");
    }
    return switch (link.phase()) {
      case FAILED -> "Not connected: " + detail + " · fix it, then Connect again";
      case CLOSED -> "The link closed · pick the car again in the side panel";
      case RECONNECTING ->
          neverReachedTheCar(link)
              ? "Cannot reach the server: " + detail + " · check it, or Leave"
              : "Link lost: " + detail + " · the car stops by itself; wait, or Leave";
      case CAR_OFFLINE ->
          "Car offline: the server lists it offline · the link comes back by itself when the car"
              + " does; or Leave";
      case CONNECTED -> connected(drive, link);
      default -> "Connecting: " + HudModel.phaseName(link.phase()) + " · wait, or Leave";
    };
  }

  private static String connected(DriveState drive, LinkStatus link) {
    CarState car = link.carState();
    if (drive.mode() == DriveState.Mode.ESTOP || car == CarState.ESTOP) {
      return "E-STOP latched · click Clear E-STOP, then Enter to arm";
    }
    if (car == CarState.FAILSAFE) {
      return "FAILSAFE: "
          + CarWords.failsafe(link.currentCarReason())
          + (drive.armRequested()
              ? " · press Enter to disarm, Enter again to arm"
              : " · press Enter to arm");
    }
    if (car != null && silent(drive)) {
      return "Car not responding: no report for over "
          + DriveController.CAR_SILENT_MILLIS
          + " ms · it stops by itself; wait, or Leave";
    }
    if (car == null) {
      return "Waiting for the car's first report · wait; Leave if it does not come";
    }
    return switch (drive.mode()) {
      case ARMED -> "Driving · Esc: E-STOP, Enter: disarm";
      case ARMING, DISARMED -> drive.reason();
      case ESTOP -> throw new AssertionError("handled above");
    };
  }
}
