package dev.rcdrive.station.hud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.drive.DriveState.Car;
import dev.rcdrive.station.drive.DriveState.Link;
import dev.rcdrive.station.drive.DriveState.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the frame flashes, for how long, and what stops it: transitions on a virtual clock. */
class AlarmTest {

  private static final long MS = 1_000_000L;

  private static DriveState state(Mode mode, Link link, CarState car, boolean responding) {
    return new DriveState(
        mode,
        "",
        DriveState.Input.KEYBOARD,
        "Keyboard",
        Axes.NEUTRAL,
        link != Link.NONE,
        DriveState.Notice.NONE,
        car == null ? Car.UNKNOWN : new Car(car, 0, responding),
        link);
  }

  private static final DriveState DRIVING = state(Mode.ARMED, Link.UP, CarState.ARMED, true);

  @ParameterizedTest(name = "armed, then {0} / link {1} / car {2} responding={3}: cause {4}")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          DISARMED, INTERRUPTED, -,        true,  link lost
          DISARMED, FAILED,      -,        true,  link lost
          DISARMED, CAR_OFFLINE, -,        true,  link lost
          DISARMED, CONNECTING,  -,        true,  link lost
          DISARMED, UP,          FAILSAFE, true,  car failed safe
          DISARMED, UP,          ARMED,    false, car not responding
          DISARMED, UP,          DISARMED, true,  -
          DISARMED, NONE,        -,        true,  -
          ESTOP,    UP,          FAILSAFE, true,  -
          ESTOP,    INTERRUPTED, -,        true,  -
          """)
  void onlyAStopTheDriverDidNotChooseSetsItOff(
      Mode mode, Link link, CarState car, boolean responding, String cause) {
    Alarm alarm = new Alarm();

    alarm.drive(DRIVING, state(mode, link, car, responding), 1_000 * MS);

    assertThat(alarm.cause()).isEqualTo(cause);
    assertThat(alarm.lit(1_000 * MS)).isEqualTo(cause != null);
  }

  @Test
  void aDisarmedDriverIsNotAlarmedByALinkThatDrops() {
    Alarm alarm = new Alarm();
    DriveState waiting = state(Mode.DISARMED, Link.UP, CarState.DISARMED, true);

    alarm.drive(waiting, state(Mode.DISARMED, Link.INTERRUPTED, null, true), 0);

    assertThat(alarm.cause()).isNull();
  }

  @Test
  void itFlashesTwiceASecondAndEndsByItself() {
    Alarm alarm = new Alarm();
    long start = 5_000 * MS;
    alarm.drive(DRIVING, state(Mode.DISARMED, Link.INTERRUPTED, null, true), start);

    assertThat(alarm.lit(start)).isTrue();
    assertThat(alarm.lit(start + 249 * MS)).isTrue();
    assertThat(alarm.lit(start + 250 * MS)).isFalse();
    assertThat(alarm.lit(start + 499 * MS)).isFalse();
    assertThat(alarm.lit(start + 500 * MS)).isTrue();
    assertThat(alarm.lit(start + Alarm.FLASH_NANOS - 1)).isFalse(); // 5.999 s: an off half
    assertThat(alarm.lit(start + Alarm.FLASH_NANOS - 300 * MS)).isTrue();
    assertThat(alarm.lit(start + Alarm.FLASH_NANOS)).isFalse();
    assertThat(alarm.cause()).isNull();
    assertThat(alarm.lit(start + Alarm.FLASH_NANOS + 500 * MS)).as("over: stays dark").isFalse();
  }

  @Test
  void armingAgainStopsItAtOnce() {
    Alarm alarm = new Alarm();
    DriveState failed = state(Mode.DISARMED, Link.UP, CarState.FAILSAFE, true);
    alarm.drive(DRIVING, failed, 0);

    alarm.drive(failed, state(Mode.ARMING, Link.UP, CarState.DISARMED, true), 100 * MS);

    assertThat(alarm.lit(100 * MS)).isFalse();
    assertThat(alarm.cause()).isNull();
  }

  @Test
  void theHudLightsTheFrameOnItsPulse() {
    HudModel hud = new HudModel();
    hud.show(DRIVING, "", "", 0);
    hud.show(state(Mode.DISARMED, Link.INTERRUPTED, null, true), "", "", 10 * MS);

    hud.pulse(20 * MS);
    assertThat(hud.alarmLitProperty().get()).isTrue();
    hud.pulse(300 * MS);
    assertThat(hud.alarmLitProperty().get()).isFalse();
    hud.pulse(600 * MS);
    assertThat(hud.alarmLitProperty().get()).isTrue();
    hud.pulse(10 * MS + Alarm.FLASH_NANOS);
    assertThat(hud.alarmLitProperty().get()).isFalse();
  }
}
