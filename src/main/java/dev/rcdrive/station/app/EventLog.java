package dev.rcdrive.station.app;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.station.drive.CarWords;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.link.LinkStatus;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What happened, with the time, for the side panel's Events (as a flight log): connected, relayed,
 * the car's failsafe and its reason, E-STOP, the controller, signaling lost and back, and every
 * message the driver was shown. Keeps the newest {@link #LIMIT}. FX thread only.
 */
public final class EventLog {

  static final int LIMIT = 200;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Clock clock;
  private final ObservableList<String> lines = FXCollections.observableArrayList();
  private final ObservableList<String> view = FXCollections.unmodifiableObservableList(lines);

  EventLog(Clock clock) {
    this.clock = clock;
  }

  /** "HH:mm:ss what", oldest first. */
  public ObservableList<String> lines() {
    return view;
  }

  public void add(String what) {
    if (what == null || what.isBlank()) {
      return;
    }
    String line = LocalTime.now(clock).format(TIME) + "  " + what.strip();
    if (!lines.isEmpty() && lines.get(lines.size() - 1).endsWith("  " + what.strip())) {
      return; // the same words again at once add nothing
    }
    lines.add(line);
    if (lines.size() > LIMIT) {
      lines.remove(0, lines.size() - LIMIT);
    }
  }

  /** The link's new snapshot against the one before (null: the first of this connection). */
  void linkChanged(LinkStatus before, LinkStatus now, String detailInWords) {
    if (before == null || before.phase() != now.phase()) {
      switch (now.phase()) {
        case CONNECTED ->
            add(
                before != null && before.phase() == LinkStatus.Phase.RECONNECTING
                    ? "Link back"
                    : "Connected to the car");
        case RECONNECTING -> add("Link lost: " + detailInWords);
        case FAILED -> add("Connection failed: " + detailInWords);
        case CLOSED -> add("The link closed");
        default -> {}
      }
    }
    boolean relay = "relay".equals(now.localCandidate()) || "relay".equals(now.remoteCandidate());
    boolean wasRelay =
        before != null
            && ("relay".equals(before.localCandidate())
                || "relay".equals(before.remoteCandidate()));
    if (relay && !wasRelay) {
      add("Video and control go through the TURN relay (no direct path)");
    }
    CarState car = now.carState();
    if (car != null && (before == null || before.carState() != car)) {
      add(
          car == CarState.FAILSAFE
              ? "Car FAILSAFE: " + CarWords.failsafe(now.currentCarReason())
              : "Car " + (car == CarState.ESTOP ? "E-STOP" : car.name()));
    }
  }

  /** The drive's new state against the one before. */
  void driveChanged(DriveState before, DriveState now) {
    if (before == null) {
      return;
    }
    if (now.mode() == DriveState.Mode.ESTOP && before.mode() != DriveState.Mode.ESTOP) {
      add("E-STOP");
    }
    if (now.notice().number() != before.notice().number()) {
      add(now.notice().text());
    }
    if (!now.inputName().equals(before.inputName())) {
      add("Input: " + now.inputName());
    }
  }
}
