package dev.rcdrive.station.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The loop's own job: when frames go out, on which thread, numbered how, and which one is last. */
class ControlLoopTest {

  private final List<ControlFrame> sent = new CopyOnWriteArrayList<>();
  private final AtomicReference<DriveIntent> intent = new AtomicReference<>(DriveIntent.NEUTRAL);

  private boolean record(byte[] bytes) {
    sent.add(ControlFrame.decode(bytes).orElseThrow());
    return true;
  }

  @Test
  void changeIsSentAtOnceNotAtTheNextHeartbeat() {
    // A one-hour heartbeat: any frame after the first one can only come from the change.
    try (ControlLoop loop = ControlLoop.start(intent::get, this::record, 3_600_000, true)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      intent.set(new DriveIntent(0.5, 0.25, 0, true, false, 0));
      loop.changed();

      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 2);
      ControlFrame frame = sent.get(1);
      assertThat(frame.steering()).isEqualTo(0.5);
      assertThat(frame.throttle()).isEqualTo(0.25);
      assertThat(frame.armed()).isTrue();
    }
  }

  @Test
  void unchangedIntentWaitsForTheHeartbeat() {
    try (ControlLoop loop = ControlLoop.start(intent::get, this::record, 3_600_000, true)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      loop.changed();
      loop.changedHere();

      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> sent.size() == 1);
    }
  }

  @Test
  void changedHereSendsOnTheCallersThread() {
    List<String> threads = new CopyOnWriteArrayList<>();
    try (ControlLoop loop =
        ControlLoop.start(
            intent::get,
            bytes -> {
              threads.add(Thread.currentThread().getName());
              return record(bytes);
            },
            3_600_000,
            true)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      intent.set(new DriveIntent(0, 0.5, 0, true, false, 0));
      loop.changedHere();
      assertThat(sent).hasSize(2); // already sent when the call returns
      assertThat(threads.get(1)).isEqualTo(Thread.currentThread().getName());
      loop.changedHere(); // unchanged: no frame
      assertThat(sent).hasSize(2);
      assertThat(sent.get(1).seq()).isEqualTo(sent.get(0).seq() + 1);
    }
  }

  @Test
  void eachFrameCarriesWhatTheSourceSaysWhenItIsSent() {
    try (ControlLoop loop = ControlLoop.manual(intent::get, this::record)) {
      intent.set(new DriveIntent(0, 1, 0, true, false, 0));
      intent.set(DriveIntent.NEUTRAL); // changed twice before anything was sent

      loop.heartbeat();

      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).armed()).isFalse();
    }
  }

  @Test
  void closingLeavesTheNeutralFrameLastEvenWhileAnInputThreadSends() throws Exception {
    ControlLoop loop = ControlLoop.start(intent::get, this::record);
    Thread input =
        new Thread(
            () -> {
              for (int i = 0; i < 200_000 && !Thread.currentThread().isInterrupted(); i++) {
                intent.set(new DriveIntent(0, (i % 2 == 0) ? 1 : 0.9, 0, true, false, 0));
                loop.changedHere();
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
    try (ControlLoop loop = ControlLoop.start(intent::get, this::record, 3_600_000, false)) {
      await().atMost(Duration.ofSeconds(2)).until(() -> sent.size() == 1);

      intent.set(new DriveIntent(0.5, 0.25, 0, true, false, 0));
      loop.changed();
      loop.changedHere();

      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> sent.size() == 1);
    }
  }

  @Test
  void heartbeatKeepsTheCarsWatchdogFed() {
    try (ControlLoop loop = ControlLoop.start(intent::get, this::record)) {
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
    ControlLoop loop = ControlLoop.start(intent::get, this::record);
    intent.set(new DriveIntent(0, 1, 0, true, false, 0));
    loop.changed();
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
  void leavingKeepsAnEmergencyStopLatchedAndNothingIsSentAfter() {
    ControlLoop loop = ControlLoop.start(intent::get, this::record);
    intent.set(DriveIntent.NEUTRAL.withEstop(true));
    loop.changed();
    await().atMost(Duration.ofSeconds(2)).until(() -> sent.stream().anyMatch(ControlFrame::estop));

    loop.close();
    int count = sent.size();
    intent.set(new DriveIntent(0, 1, 0, true, false, 0)); // a pad thread still polling
    loop.changedHere();
    loop.changed();
    loop.heartbeat();

    ControlFrame last = sent.get(count - 1);
    assertThat(last.estop()).isTrue();
    assertThat(last.armed()).isFalse();
    await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(1))
        .until(() -> sent.size() == count);
  }
}
