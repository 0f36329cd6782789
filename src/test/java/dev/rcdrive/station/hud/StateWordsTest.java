package dev.rcdrive.station.hud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.link.LinkStatus;
import org.junit.jupiter.api.Test;

/** Every state the station can be in has a badge and a line that says why and what next. */
class StateWordsTest {

  private final HudModel hud = new HudModel();

  static LinkStatus link(LinkStatus.Phase phase, String detail, CarState car, StateReason why) {
    LinkStatus s = LinkStatus.initial();
    return new LinkStatus(
        phase, detail, "host", "host", 12, 30, 640, 360, 2000, 0, 1, 40, 100, car, null, null, true,
        why);
  }

  private static DriveState drive(DriveState.Mode mode, String reason) {
    DriveState d = DriveState.INITIAL;
    return new DriveState(
        mode, reason, d.input(), d.inputName(), d.axes(), true, d.notice(), d.car(), d.link());
  }

  /** Disarmed on an up link, with what the car last said. */
  private static DriveState heard(DriveState.Car car) {
    DriveState d = drive(DriveState.Mode.DISARMED, "Disarmed");
    return new DriveState(
        d.mode(),
        d.reason(),
        d.input(),
        d.inputName(),
        d.axes(),
        true,
        d.notice(),
        car,
        DriveState.Link.UP);
  }

  private String[] shown(LinkStatus link, DriveState drive) {
    hud.show(drive, "", "", 0);
    if (link != null) {
      hud.show(link);
    }
    return new String[] {hud.carStateProperty().get(), hud.stateLineProperty().get()};
  }

  @Test
  void aPictureThatStoppedIsVeiledAndItsLatencyBlanked() {
    long s = 1_000_000_000L;
    hud.show(link(LinkStatus.Phase.CONNECTED, "", CarState.DISARMED, null));
    hud.pulse(5 * s);
    assertThat(hud.videoFrozenProperty().get()).as("no picture yet: nothing to veil").isFalse();

    hud.frameShown(5 * s);
    hud.pulse(5 * s + HudModel.FROZEN_NANOS - 1);
    assertThat(hud.videoFrozenProperty().get()).isFalse();
    assertThat(hud.glassToGlassProperty().get()).isEqualTo("40.0 ms");

    hud.pulse(5 * s + HudModel.FROZEN_NANOS);
    assertThat(hud.videoFrozenProperty().get()).isTrue();
    assertThat(hud.glassToGlassProperty().get()).isEqualTo("–");
    hud.show(link(LinkStatus.Phase.CONNECTED, "", CarState.DISARMED, null)); // stats still come
    assertThat(hud.glassToGlassProperty().get()).isEqualTo("–");

    hud.frameShown(7 * s);
    assertThat(hud.videoFrozenProperty().get()).as("video is back").isFalse();
    hud.pulse(9 * s);
    hud.notConnected();
    assertThat(hud.videoFrozenProperty().get()).as("left: the picture is gone").isFalse();
    hud.pulse(20 * s);
    assertThat(hud.videoFrozenProperty().get()).isFalse();
  }

  @Test
  void failsafeSaysTheCarsReasonAndHowToArmAgain() {
    StateReason timeout =
        new StateReason(CarState.FAILSAFE, StateReason.Cause.CONTROL_TIMEOUT, 250, "");
    String[] armed =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.FAILSAFE, timeout),
            drive(DriveState.Mode.ARMED, ""));
    String[] disarmed =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.FAILSAFE, timeout),
            drive(DriveState.Mode.DISARMED, "Disarmed"));

    assertThat(armed[0]).isEqualTo("FAILSAFE");
    assertThat(armed[1])
        .isEqualTo(
            "FAILSAFE: no control frame for 250 ms: the link stalled or this station stopped"
                + " sending · press Enter to disarm, Enter again to arm");
    assertThat(disarmed[1]).endsWith("· press Enter to arm");
  }

  @Test
  void aCarThatFellSilentIsNotShownArmedButNotResponding() {
    DriveState silent = heard(new DriveState.Car(CarState.ARMED, 0, false));
    DriveState answering = heard(new DriveState.Car(CarState.ARMED, 0, true));
    LinkStatus armed = link(LinkStatus.Phase.CONNECTED, "", CarState.ARMED, null);

    String[] s = shown(armed, silent);
    assertThat(s[0]).isEqualTo("NOT RESPONDING");
    assertThat(s[1]).startsWith("Car not responding: no report for over 300 ms").contains("Leave");
    assertThat(shown(armed, answering)[0]).isEqualTo("ARMED");
  }

  @Test
  void aCarTheServerListsOfflineIsCalledOfflineWithWhatHappensNext() {
    String[] s =
        shown(
            link(LinkStatus.Phase.CAR_OFFLINE, "", null, null),
            drive(DriveState.Mode.DISARMED, "Disarmed"));

    assertThat(s[0]).isEqualTo("CAR OFFLINE");
    assertThat(s[1]).startsWith("Car offline: the server lists it offline").contains("Leave");
  }

  @Test
  void aFailsafeFromAnOlderCarSaysItGaveNoReason() {
    String[] s =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.FAILSAFE, null),
            drive(DriveState.Mode.DISARMED, "Disarmed"));

    assertThat(s[1]).startsWith("FAILSAFE: it gave no reason: an older car · press Enter");
  }

  @Test
  void eStopIsSpelledAsOnTheToolbarAndSaysHowToClearIt() {
    String[] s =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.ESTOP, null),
            drive(DriveState.Mode.ESTOP, "E-STOP"));

    assertThat(s[0]).isEqualTo("E-STOP");
    assertThat(s[1]).isEqualTo("E-STOP latched · click Clear E-STOP, then Enter to arm");
  }

  @Test
  void aLostLinkIsNotShownAsTheCarsLastState() {
    String[] s =
        shown(
            link(LinkStatus.Phase.RECONNECTING, "link interrupted", CarState.ARMED, null),
            drive(DriveState.Mode.ARMED, ""));

    assertThat(s[0]).isEqualTo("NO LINK");
    assertThat(s[1])
        .isEqualTo("Link lost: link interrupted · the car stops by itself; wait, or Leave");
  }

  @Test
  void aServerNeverReachedIsNotALostCar() {
    LinkStatus unreachable =
        new LinkStatus(
            LinkStatus.Phase.RECONNECTING,
            "Connection refused; retrying in 800 ms",
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
    hud.signaling("ws://h:1", "h", 0);
    String[] s = shown(unreachable, drive(DriveState.Mode.DISARMED, "Disarmed"));

    assertThat(s[0]).isEqualTo("CONNECTING");
    assertThat(s[1])
        .isEqualTo(
            "Cannot reach the server: nothing answers at ws://h:1: check the address and port, and"
                + " that the server runs (trying again in 1 s) · check it, or Leave");
  }

  @Test
  void drivingSaysHowToStop() {
    String[] s =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.ARMED, null),
            drive(DriveState.Mode.ARMED, ""));

    assertThat(s[0]).isEqualTo("ARMED");
    assertThat(s[1]).isEqualTo("Driving · Esc: E-STOP, Enter: disarm");
  }

  @Test
  void disarmedAndWaitingCarsSayWhatNext() {
    String[] disarmed =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", CarState.DISARMED, null),
            drive(DriveState.Mode.DISARMED, "Disarmed: arm to drive (Enter)"));
    String[] waiting =
        shown(
            link(LinkStatus.Phase.CONNECTED, "", null, null),
            drive(DriveState.Mode.DISARMED, "Disarmed: arm to drive (Enter)"));

    assertThat(disarmed[1]).isEqualTo("Disarmed: arm to drive (Enter)");
    assertThat(waiting[0]).isEqualTo("WAITING");
    assertThat(waiting[1]).startsWith("Waiting for the car's first report · ");
  }

  @Test
  void afterLeavingNothingOfTheLastLinkStaysAndTheDemoIsOffered() {
    shown(
        link(LinkStatus.Phase.CONNECTED, "", CarState.ARMED, null),
        drive(DriveState.Mode.ARMED, ""));
    hud.demoAvailable(true);

    hud.notConnected();

    assertThat(hud.carStateProperty().get()).isEqualTo("NOT CONNECTED");
    assertThat(hud.stateLineProperty().get())
        .isEqualTo("Not connected · pick a server and car in the side panel, or Back to demo");
    assertThat(hud.roundTripProperty().get()).isEqualTo("–");
    assertThat(hud.videoProperty().get()).isEqualTo("–");
    assertThat(hud.speedProperty().get()).isEqualTo("–");
    assertThat(hud.detailProperty().get()).isEmpty();
  }

  @Test
  void aFailedConnectionSaysWhatToCheck() {
    hud.signaling("wss://example.org:8443", "example.org", 0);
    String[] s =
        shown(
            link(LinkStatus.Phase.FAILED, "code -1", null, null),
            drive(DriveState.Mode.DISARMED, "Disarmed"));

    assertThat(s[0]).isEqualTo("NOT CONNECTED");
    assertThat(s[1])
        .startsWith(
            "Not connected: the secure (wss://) connection to wss://example.org:8443 did"
                + " not open: if the server is plain, use ws://")
        .endsWith("· fix it, then Connect again");
    assertThat(hud.messageProperty().get()).startsWith("the secure (wss://) connection");
  }

  @Test
  void reverseHasAMinusSign() {
    assertThat(HudModel.speedText(-1.0)).isEqualTo("\u22123.6 km/h (reverse)");
    assertThat(HudModel.speedText(1.0)).isEqualTo("3.6 km/h");
    assertThat(HudModel.speedText(-0.001)).isEqualTo("0.0 km/h");
  }

  @Test
  void goodNewsGoesAwayByItselfAndBadNewsStays() {
    hud.tellGood("Saved /tmp/x.png", 0);
    assertThat(hud.messageIsGoodProperty().get()).isTrue();
    hud.pulse(HudModel.GOOD_MESSAGE_NANOS - 1);
    assertThat(hud.messageProperty().get()).isEqualTo("Saved /tmp/x.png");
    hud.pulse(HudModel.GOOD_MESSAGE_NANOS);
    assertThat(hud.messageProperty().get()).isEmpty();

    hud.tell("Could not save");
    hud.pulse(Long.MAX_VALUE / 2);
    assertThat(hud.messageProperty().get()).isEqualTo("Could not save");
    assertThat(hud.messageIsGoodProperty().get()).isFalse();
  }
}
