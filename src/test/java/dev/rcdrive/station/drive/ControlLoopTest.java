package dev.rcdrive.station.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControlLoopTest {

  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  @Test
  void changeIsSentAtOnceNotAtTheNextHeartbeat() {
    // A one-hour heartbeat: any frame after the first one can only come from the change.
    try (ControlLoop loop = new ControlLoop(this::record, 3_600_000)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      loop.set(new DriveIntent(0.5, 0.25, 0, true, false, 0));

      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 2);
      ControlFrame frame = sent.get(1);
      assertThat(frame.steering()).isEqualTo(0.5);
      assertThat(frame.throttle()).isEqualTo(0.25);
      assertThat(frame.armed()).isTrue();
    }
  }

  @Test
  void unchangedIntentWaitsForTheHeartbeat() throws Exception {
    try (ControlLoop loop = new ControlLoop(this::record, 3_600_000)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      loop.set(DriveIntent.NEUTRAL);

      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> sent.size() == 1);
    }
  }

  @Test
  void setAndSendSendsAChangeOnTheCallersThread() {
    List<String> threads = new CopyOnWriteArrayList<>();
    try (ControlLoop loop =
        new ControlLoop(
            bytes -> {
              threads.add(Thread.currentThread().getName());
              return record(bytes);
            },
            3_600_000)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      loop.setAndSend(new DriveIntent(0, 0.5, 0, true, false, 0));
      assertThat(sent).hasSize(2); // already sent when the call returns
      assertThat(threads.get(1)).isEqualTo(Thread.currentThread().getName());
      loop.setAndSend(new DriveIntent(0, 0.5, 0, true, false, 0)); // unchanged: no frame
      assertThat(sent).hasSize(2);
      assertThat(sent.get(1).seq()).isEqualTo(sent.get(0).seq() + 1);
    }
  }

  @Test
  void closingLeavesTheNeutralFrameLastEvenWhileAnInputThreadSends() throws Exception {
    ControlLoop loop = new ControlLoop(this::record);
    Thread input =
        new Thread(
            () -> {
              for (int i = 0; i < 200_000 && !Thread.currentThread().isInterrupted(); i++) {
                loop.setAndSend(new DriveIntent(0, (i % 2 == 0) ? 1 : 0.9, 0, true, false, 0));
              }
            });
    input.start();
    await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() > 100);

    loop.close();
    int count = sent.size();
    input.interrupt();
    input.join(5_000);

    assertThat(sent).hasSize(count);
    ControlFrame last = sent.get(count - 1);
    assertThat(last.armed()).isFalse();
    assertThat(last.throttle()).isZero();
    for (int i = 1; i < sent.size(); i++) {
      assertThat(sent.get(i).seq()).isEqualTo(sent.get(i - 1).seq() + 1);
    }
  }

  @Test
  void withoutSendOnChangeAChangeWaitsForThePeriod() {
    // The benchmarks' FRC-style baseline: only the period sends.
    try (ControlLoop loop = new ControlLoop(this::record, 3_600_000, false)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      loop.set(new DriveIntent(0.5, 0.25, 0, true, false, 0));

      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> sent.size() == 1);
      assertThat(loop.intent().throttle()).isEqualTo(0.25);
    }
  }

  @Test
  void anIntentNobodyRenewsGoesNeutralAndDisarmed() {
    DriveIntent flooring = new DriveIntent(0, 1, 0, true, false, 0);
    try (ControlLoop loop = new ControlLoop(this::record)) {
      loop.set(flooring); // and then the input freezes

      await()
          .atMost(Duration.ofMillis(ControlLoop.STALE_MILLIS + 1000))
          .until(() -> !sent.get(sent.size() - 1).armed());
      ControlFrame last = sent.get(sent.size() - 1);
      assertThat(last.throttle()).isZero();
      assertThat(sent).anyMatch(f -> f.armed() && f.throttle() == 1.0); // it did drive before
    }
  }

  @Test
  void anIntentRenewedEachPollKeepsDriving() throws Exception {
    DriveIntent driving = new DriveIntent(0, 0.5, 0, true, false, 0);
    try (ControlLoop loop = new ControlLoop(this::record)) {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ControlLoop.STALE_MILLIS * 3);
      while (System.nanoTime() < end) {
        loop.set(driving); // what each FX pulse does
        Thread.sleep(16);
      }

      assertThat(sent.get(sent.size() - 1).armed()).isTrue();
      assertThat(sent.stream().skip(5)).allMatch(ControlFrame::armed);
    }
  }

  @Test
  void heartbeatKeepsTheCarsWatchdogFed() {
    try (ControlLoop loop = new ControlLoop(this::record)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() >= 10);

      for (int i = 1; i < sent.size(); i++) {
        assertThat(sent.get(i).seq()).isEqualTo(sent.get(i - 1).seq() + 1);
      }
      assertThat(sent.get(0).seq()).isEqualTo(1);
      assertThat(loop.framesSent()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void closingSendsOneNeutralDisarmedFrameLast() {
    ControlLoop loop = new ControlLoop(this::record);
    loop.set(new DriveIntent(0, 1, 0, true, false, 0));
    await().atMost(Duration.ofSeconds(2)).until(() -> sent.stream().anyMatch(ControlFrame::armed));

    loop.close();

    ControlFrame last = sent.get(sent.size() - 1);
    assertThat(last.armed()).isFalse();
    assertThat(last.throttle()).isZero();
    int count = sent.size();
    await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(1))
        .until(() -> sent.size() == count);
  }

  @Test
  void intentValuesAreClampedAndNaNIsNeutral() {
    DriveIntent wild = new DriveIntent(7, -3, Double.NaN, true, false, 0x1FFFF);

    assertThat(wild.steering()).isEqualTo(1);
    assertThat(wild.throttle()).isEqualTo(-1);
    assertThat(wild.brake()).isZero();
    assertThat(wild.buttons()).isEqualTo(0xFFFF);
  }

  @Test
  void anInputBackFromAStallDoesNotReArmTheCarUntilTheStationDisarms() {
    DriveIntent driving = new DriveIntent(0, 0.5, 0, true, false, 0);
    try (ControlLoop loop = new ControlLoop(this::record)) {
      loop.set(driving); // then the input stalls past the stale limit
      await()
          .atMost(Duration.ofMillis(ControlLoop.STALE_MILLIS + 1000))
          .until(() -> !sent.get(sent.size() - 1).armed());

      loop.set(driving); // back, still saying "armed": the car must not arm by itself
      int back = sent.size();
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(1))
          .until(() -> sent.stream().skip(back).noneMatch(ControlFrame::armed));

      loop.set(driving.withArmed(false)); // the driver disarms …
      loop.set(driving); // … and arms again: that one drives
      await().atMost(Duration.ofSeconds(1)).until(() -> sent.get(sent.size() - 1).armed());
    }
  }

  @Test
  void aStallKeepsAnEmergencyStopLatched() {
    try (ControlLoop loop = new ControlLoop(this::record)) {
      loop.set(DriveIntent.NEUTRAL.withEstop(true)); // then the input stalls
      await()
          .atMost(Duration.ofMillis(ControlLoop.STALE_MILLIS + 1000))
          .until(() -> sent.size() > 30); // well past the stale limit at 50 Hz

      assertThat(sent.stream().skip(1)).allMatch(ControlFrame::estop);
    }
  }

  @Test
  void leavingKeepsAnEmergencyStopLatchedAndNothingIsSentAfter() {
    ControlLoop loop = new ControlLoop(this::record);
    loop.set(DriveIntent.NEUTRAL.withEstop(true));
    await().atMost(Duration.ofSeconds(2)).until(() -> sent.stream().anyMatch(ControlFrame::estop));

    loop.close();
    int count = sent.size();
    loop.setAndSend(new DriveIntent(0, 1, 0, true, false, 0)); // a pad thread still polling
    loop.set(new DriveIntent(0, 1, 0, true, false, 0));

    ControlFrame last = sent.get(count - 1);
    assertThat(last.estop()).isTrue();
    assertThat(last.armed()).isFalse();
    await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(1))
        .until(() -> sent.size() == count);
  }
}
