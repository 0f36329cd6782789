package dev.rcdrive.station.drive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.station.drive.DriveState.Input;
import dev.rcdrive.station.drive.DriveState.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every station safety rule as steps → the state and the frame they leave, on a virtual clock and a
 * manual control loop: no FX, no sleeps, no threads (except where threads are the point).
 */
class DriveControllerTest {

  private static final long MS = 1_000_000L;

  private long now = 1_000 * MS;
  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();
  private final List<ControlLoop> loops = new ArrayList<>();
  private final DriveController drive =
      new DriveController(
          () -> now,
          (source, channel) -> {
            ControlLoop loop = ControlLoop.manual(source, channel);
            loops.add(loop);
            return loop;
          });

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  private ControlFrame last() {
    return sent.isEmpty() ? null : sent.get(sent.size() - 1);
  }

  /** The loop's period: time passes, then a heartbeat goes out. */
  private void after(long millis) {
    now += millis * MS;
    loops.get(loops.size() - 1).heartbeat();
  }

  /**
   * Runs steps separated by ";": {@code arm}, {@code estop}, {@code clear}, {@code blur} (focus
   * lost), {@code keys D} (the keyboard's drive value, −1…1), {@code brake} (Space), {@code plug},
   * {@code pad T R} (controller throttle, brake/reverse), {@code pad-arm}, {@code pad-estop},
   * {@code unplug}, {@code wait MS} (time passes, a heartbeat), {@code beat} (a heartbeat), {@code
   * heard S} (telemetry with car state S arrives), {@code car S} (the car reports state S, and if
   * FAILSAFE, the frame timeout as its reason), {@code link L} (the link is now L).
   */
  private void run(String steps) {
    for (String step : steps.split(";")) {
      String[] w = step.strip().split("\\s+");
      switch (w[0]) {
        case "" -> {}
        case "arm" -> drive.toggleArm();
        case "estop" -> drive.emergencyStop();
        case "clear" -> drive.clearEmergencyStop();
        case "blur" -> drive.focusLost();
        case "keys" -> drive.keyboard(Axes.signed(0, Double.parseDouble(w[1]), 0));
        case "brake" -> drive.keyboard(new Axes(0, 0, 0, 1));
        case "plug" -> drive.controllerConnected("Pad");
        case "pad" ->
            drive.controller(new Axes(0, Double.parseDouble(w[1]), Double.parseDouble(w[2]), 0));
        case "pad-arm" -> drive.controllerToggleArm();
        case "pad-estop" -> drive.controllerEmergencyStop();
        case "unplug" -> drive.controllerLost("Pad");
        case "car" -> {
          CarState state = CarState.valueOf(w[1]);
          drive.carHeard(state, new StateReason(state, StateReason.Cause.CONTROL_TIMEOUT, 250, ""));
        }
        case "wait" -> after(Long.parseLong(w[1]));
        case "beat" -> after(0);
        case "heard" -> drive.carHeard(CarState.valueOf(w[1]));
        case "link" -> drive.linkChanged(DriveState.Link.valueOf(w[1]));
        default -> throw new IllegalArgumentException("no step " + step);
      }
    }
  }

  /** "neutral", "estop" (neutral, E-STOP set) or "armed D" (armed, throttle D). */
  private static String describe(ControlFrame f) {
    if (f == null) {
      return "none";
    }
    if (f.armed()) {
      return "armed " + f.throttle();
    }
    assertThat(f.throttle()).isZero();
    assertThat(f.steering()).isZero();
    assertThat(f.brake()).isZero();
    return f.estop() ? "estop" : "neutral";
  }

  @ParameterizedTest(name = "{0} → {1}, {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # steps                                               | mode     | last frame | notice
          beat                                                  | DISARMED | neutral    |
          keys 1; beat                                          | DISARMED | neutral    |
          arm; keys 0.5                                         | ARMED    | armed 0.5  |
          arm; keys -1                                          | ARMED    | armed -1.0 |
          arm; keys 0.5; arm                                    | DISARMED | neutral    |
          arm; keys 1; estop                                    | ESTOP    | estop      |
          arm; keys 1; estop; arm; keys 1; beat                 | ESTOP    | estop      | Clear the E-STOP first
          arm; keys 1; estop; clear; keys 1; beat               | DISARMED | neutral    |
          arm; estop; clear; arm; keys 1                        | ARMED    | armed 1.0  |
          plug; pad 1 0; pad-arm; beat                          | ARMING   | neutral    |
          plug; pad 0 1; pad-arm; beat                          | ARMING   | neutral    |
          plug; pad 1 0; arm; beat                              | ARMING   | neutral    |
          plug; pad 1 0; pad-arm; pad 0 0; pad 1 0              | ARMED    | armed 1.0  |
          plug; pad-arm; pad 0.5 0                              | ARMED    | armed 0.5  |
          plug; pad-arm; pad 0 1                                | ARMED    | armed -1.0 |
          plug; pad-arm; pad 1 0; pad-estop                     | ESTOP    | estop      |
          plug; pad-arm; pad 1 0; pad-arm                       | DISARMED | neutral    |
          arm; keys 1; wait 400                                 | ARMED    | armed 1.0  |
          arm; keys 1; wait 400; wait 200                       | DISARMED | neutral    | no input for half a second
          arm; keys 1; wait 600; keys 1; wait 20                | DISARMED | neutral    | no input for half a second
          arm; keys 1; wait 600; keys 1; arm; keys 1            | ARMED    | armed 1.0  | no input for half a second
          arm; keys 1; wait 300; keys 1; wait 300; keys 1; wait 300 | ARMED | armed 1.0 |
          plug; pad-arm; pad 1 0; wait 300; keys 0; wait 300    | DISARMED | neutral    | no input for half a second
          plug; pad-arm; pad 1 0; wait 300; pad 1 0; wait 300   | ARMED    | armed 1.0  |
          estop; wait 600                                       | ESTOP    | estop      |
          plug; pad-arm; pad 1 0; unplug                        | DISARMED | neutral    | Controller disconnected: Pad. Disarmed; plug it in and arm again
          plug; pad-arm; pad 1 0; unplug; keys 1; beat          | DISARMED | neutral    | Controller disconnected
          plug; pad-arm; pad 1 0; unplug; arm; keys 0.4         | ARMED    | armed 0.4  | Controller disconnected
          plug; unplug                                          | DISARMED | neutral    |
          arm; keys 1; plug                                     | DISARMED | neutral    | Disarmed: Pad is connected. Arm again to drive with it
          plug; keys 1; pad-arm; pad 0.3 0                      | ARMED    | armed 0.3  |
          pad 1 0; arm; keys 0.2                                | ARMED    | armed 0.2  |
          arm; keys 1; blur                                     | DISARMED | neutral    | Disarmed: the window lost focus
          beat; blur                                            | DISARMED | neutral    |
          plug; pad-arm; pad 1 0; blur                          | DISARMED | neutral    | Disarmed: the window lost focus
          arm; keys 1; brake                                    | ARMED    | armed 0.0  |
          arm; keys 1; car ARMED; car FAILSAFE                  | DISARMED | neutral    | the car failed safe (no control frame for 250 ms
          arm; keys 1; car FAILSAFE                             | ARMED    | armed 1.0  |
          arm; keys 1; wait 200; keys 1; wait 200; car FAILSAFE | DISARMED | neutral    | Arm again to drive
          car FAILSAFE; arm; keys 0.5                           | ARMED    | armed 0.5  |
          arm; car ARMED; car FAILSAFE; arm; keys 0.5           | ARMED    | armed 0.5  | the car failed safe
          arm; car ARMED; car DISARMED; keys 0.5                | ARMED    | armed 0.5  |
          """)
  void rule(String steps, Mode mode, String frame, String notice) {
    drive.attach(this::record);

    run(steps);

    assertThat(drive.state().mode()).isEqualTo(mode);
    assertThat(describe(last())).isEqualTo(frame);
    if (notice == null) {
      assertThat(drive.state().notice()).isEqualTo(DriveState.Notice.NONE);
    } else {
      assertThat(drive.state().notice().text()).contains(notice);
    }
  }

  /** The car's word and the link: telemetry age (the 300 ms rule), link loss, a car offline. */
  @ParameterizedTest(name = "{0} → {1}, {2}, car {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # steps                                                  | mode     | last frame | car       | notice
          link UP; heard DISARMED; arm; keys 1                     | ARMED    | armed 1.0  | DISARMED  |
          link UP; heard ARMED; wait 200                           | DISARMED | neutral    | ARMED     |
          link UP; heard ARMED; wait 200; wait 200                 | DISARMED | neutral    | silent    |
          link UP; heard DISARMED; wait 400; arm; keys 1; beat     | DISARMED | neutral    | silent    | The car is not responding
          link UP; heard DISARMED; wait 400; heard DISARMED; arm; keys 1 | ARMED | armed 1.0 | DISARMED |
          link UP; heard ARMED; arm; keys 1; wait 200; keys 1; wait 200 | ARMED | armed 1.0 | silent    |
          link UP; heard ARMED; arm; keys 1; wait 400; keys 1; wait 400; keys 1; wait 400 | DISARMED | neutral | silent | Disarmed: the car stopped answering
          link UP; heard ARMED; arm; keys 1; wait 200; heard ARMED; keys 1; wait 200; heard ARMED; keys 1; wait 200 | ARMED | armed 1.0 | ARMED |
          link UP; heard ARMED; arm; keys 1; link INTERRUPTED      | DISARMED | neutral    | none      | Disarmed: the link to the car is down
          link UP; heard ARMED; arm; keys 1; link CAR_OFFLINE      | DISARMED | neutral    | none      | Disarmed: the link to the car is down
          link UP; heard ARMED; arm; keys 1; link FAILED           | DISARMED | neutral    | none      | Disarmed: the link to the car is down
          link UP; arm; keys 1; link INTERRUPTED; link UP; keys 1; beat | DISARMED | neutral | none    | Disarmed: the link to the car is down
          link UP; arm; link INTERRUPTED; link UP; arm; keys 1     | ARMED    | armed 1.0  | none      | Disarmed: the link to the car is down
          link CONNECTING; arm; keys 1; beat                       | DISARMED | neutral    | none      | The car is not connected
          link CAR_OFFLINE; arm; keys 1; beat                      | DISARMED | neutral    | none      | The car is not connected
          link INTERRUPTED; arm; keys 1; beat                      | DISARMED | neutral    | none      | The car is not connected
          """)
  void carAndLinkRule(String steps, Mode mode, String frame, String car, String notice) {
    drive.attach(this::record);

    run(steps);

    DriveState state = drive.state();
    assertThat(state.mode()).isEqualTo(mode);
    assertThat(describe(last())).isEqualTo(frame);
    switch (car) {
      case "none" -> assertThat(state.car()).isEqualTo(DriveState.Car.UNKNOWN);
      case "silent" -> {
        assertThat(state.car().responding()).as("responding").isFalse();
        assertThat(state.car().current()).isNull();
      }
      default -> {
        assertThat(state.car().responding()).as("responding").isTrue();
        assertThat(state.car().current()).isEqualTo(CarState.valueOf(car));
      }
    }
    if (notice == null) {
      assertThat(state.notice()).isEqualTo(DriveState.Notice.NONE);
    } else {
      assertThat(state.notice().text()).contains(notice);
    }
  }

  @Test
  void leavingForgetsTheCarAndTheLink() {
    drive.attach(this::record);
    run("link UP; heard ARMED");
    drive.leave().run();
    assertThat(drive.state().car()).isEqualTo(DriveState.Car.UNKNOWN);
    assertThat(drive.state().link()).isEqualTo(DriveState.Link.NONE);
  }

  @Test
  void brakeAloneIsABrakeFrame() {
    drive.attach(this::record);
    run("arm; brake");

    assertThat(last().armed()).isTrue();
    assertThat(last().brake()).isEqualTo(1.0);
    assertThat(last().throttle()).isZero();
  }

  @Test
  void eachModeSaysWhyAndWhatNext() {
    drive.attach(this::record);
    assertThat(drive.state().reason()).startsWith("Disarmed: arm to drive");
    run("plug; pad 1 0; pad-arm");
    assertThat(drive.state().reason()).isEqualTo("Release throttle and brake to arm");
    run("pad 0 0");
    assertThat(drive.state().reason()).isEmpty();
    run("pad-estop");
    assertThat(drive.state().reason()).contains("Clear E-STOP");
    run("clear; arm; blur");
    assertThat(drive.state().reason()).isEqualTo("Disarmed: the window lost focus");
  }

  @Test
  void theSameEventTwiceIsTwoNotices() {
    drive.attach(this::record);
    run("arm; keys 1; blur");
    long first = drive.state().notice().number();
    run("arm; keys 1; blur");

    assertThat(drive.state().notice().number()).isEqualTo(first + 1);
  }

  @Test
  void anUnplugSendsOneNeutralFrameAtOnceEvenWhenNothingChanged() {
    drive.attach(this::record);
    run("plug; pad 1 0; beat");
    int before = sent.size();

    run("unplug");

    assertThat(sent).hasSize(before + 1);
    assertThat(describe(last())).isEqualTo("neutral");
    assertThat(drive.state().input()).isEqualTo(Input.KEYBOARD);
    assertThat(drive.state().inputName()).isEqualTo("Keyboard");
  }

  @Test
  void aChangeIsSentAtOnceAndSameAxesSendNothingNew() {
    drive.attach(this::record);
    run("arm; keys 0.5");
    int before = sent.size();

    run("keys 0.5; keys 0.5");
    assertThat(sent).hasSize(before);
    run("keys 0.6");
    assertThat(sent).hasSize(before + 1);
  }

  @Test
  void leavingSendsTheLastFrameWithItsEstopAndClearsTheStationsOwn() {
    drive.attach(this::record);
    run("arm; keys 1; estop");
    ControlLoop loop = loops.get(0);

    Runnable lastFrame = drive.leave();
    // Until that frame goes, the left loop's heartbeats still say E-STOP, whatever happens here.
    run("arm; keys 1");
    loop.heartbeat();
    assertThat(describe(last())).isEqualTo("estop");
    lastFrame.run();

    assertThat(describe(last())).isEqualTo("estop");
    int count = sent.size();
    loop.heartbeat();
    run("keys 0.3; arm; blur");
    assertThat(sent).hasSize(count);
    assertThat(drive.state().attached()).isFalse();
    assertThat(drive.state().mode()).isNotEqualTo(Mode.ESTOP);
  }

  @Test
  void theNextCarGetsFramesOfItsOwnAfterLeaving() {
    drive.attach(this::record);
    run("arm; keys 1");
    drive.leave().run();
    List<ControlFrame> second = new ArrayList<>();

    drive.attach(bytes -> second.add(ControlFrame.decode(bytes).orElseThrow()));
    run("keys 1; beat");

    assertThat(second).hasSize(1);
    assertThat(second.get(0).armed()).as("leaving disarmed").isFalse();
    assertThat(second.get(0).seq()).isEqualTo(1);
  }

  @Test
  void closingSendsTheLastFrameAndNeverAnythingAfter() {
    drive.attach(this::record);
    run("arm; keys 1");

    drive.close();

    assertThat(describe(last())).isEqualTo("neutral");
    int count = sent.size();
    loops.get(0).heartbeat();
    run("keys 1; arm; plug; pad 1 0; pad-arm; unplug");
    drive.attach(this::record);
    assertThat(sent).hasSize(count);
    assertThat(loops).hasSize(1);
  }

  @Test
  void withoutACarArmingIsRefusedWithTheReasonAndNothingIsSent() {
    run("arm; keys 1");

    assertThat(sent).isEmpty();
    assertThat(drive.state().mode()).isEqualTo(Mode.DISARMED);
    assertThat(drive.state().attached()).isFalse();
    assertThat(drive.state().notice().text()).startsWith("Not connected to a car: nothing to arm");
  }

  @Test
  void afterLeavingNothingTheOldCarSaidRemains() {
    drive.attach(this::record);
    drive.carHeard(CarState.ARMED);

    drive.leave().run();

    assertThat(drive.state().car()).isEqualTo(DriveState.Car.UNKNOWN);
    run("arm");
    assertThat(drive.state().mode()).isEqualTo(Mode.DISARMED);
  }

  @Test
  void theCarsReasonIsKeptOnlyForTheStateItExplains() {
    StateReason timeout =
        new StateReason(CarState.FAILSAFE, StateReason.Cause.CONTROL_TIMEOUT, 250, "");

    drive.carHeard(CarState.FAILSAFE, timeout);
    assertThat(drive.state().car().reason()).isEqualTo(timeout);

    drive.carHeard(CarState.DISARMED, timeout); // a reason frame still about the failsafe
    assertThat(drive.state().car().reason()).isNull();
  }

  @Test
  void attachingTwiceIsRefused() {
    drive.attach(this::record);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> drive.attach(this::record))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theCarsWordIsStampedWithTheClock() {
    now = 5_000 * MS;
    drive.carHeard(CarState.ARMED);

    assertThat(drive.state().car().state()).isEqualTo(CarState.ARMED);
    assertThat(drive.state().car().heardAtNanos()).isEqualTo(5_000 * MS);
  }

  @Test
  void theGaugesSeeTheInputEvenWhileDisarmed() {
    run("keys 0.7");

    assertThat(drive.state().axes().drive()).isEqualTo(0.7);
    assertThat(drive.state().mode()).isEqualTo(Mode.DISARMED);
  }

  /**
   * The pad thread's send is held inside the sender (its frame composed while armed) while the
   * window loses the focus on another thread: the disarm's frame waits for the send order and goes
   * after it, and nothing armed follows.
   */
  @Test
  void aSendInFlightCannotBeOvertakenByADisarmNorFollowIt() throws Exception {
    CountDownLatch inSender = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    drive.attach(
        bytes -> {
          if (Thread.currentThread().getName().equals("pad") && inSender.getCount() > 0) {
            inSender.countDown();
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return record(bytes);
        });
    run("plug; pad 0 0; pad-arm");
    Thread pad = new Thread(() -> drive.controller(new Axes(0, 1, 0, 0)), "pad");
    pad.start();
    assertThat(inSender.await(5, TimeUnit.SECONDS)).isTrue();
    Thread fx = new Thread(drive::focusLost, "fx");
    fx.start();
    while (fx.getState() != Thread.State.BLOCKED && fx.isAlive()) {
      Thread.onSpinWait(); // until it waits for the send order held by the pad thread
    }

    release.countDown();
    pad.join(5_000);
    fx.join(5_000);
    Thread again = new Thread(() -> drive.controller(new Axes(0, 1, 0, 0)), "pad");
    again.start();
    again.join(5_000);

    assertThat(sent).extracting(DriveControllerTest::describe).endsWith("armed 1.0", "neutral");
    assertThat(drive.state().mode()).isEqualTo(Mode.DISARMED);
  }
}
