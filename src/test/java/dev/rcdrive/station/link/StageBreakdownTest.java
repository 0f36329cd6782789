package dev.rcdrive.station.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.rtc.VideoCounters;
import org.junit.jupiter.api.Test;

/** The breakdown's arithmetic on canned counters: one second of 30 frames, then the next. */
class StageBreakdownTest {

  private static final double MS = 1e-3;

  /** Receiver counters after {@code frames} frames: 11 ms in the buffer, 1.5 ms decoding each. */
  private static VideoCounters receiver(long frames) {
    return new VideoCounters(
        0,
        0,
        0,
        0,
        frames,
        frames * 1.5 * MS,
        frames,
        frames * 11 * MS,
        frames * 12 * MS,
        0,
        frames * 13 * MS,
        frames * 0.4 * MS,
        frames);
  }

  /** Car counters: 1.2 ms capture → encoder, 3 ms encode, 4 packets a frame waiting 0.25 ms. */
  private static SenderStatsFrame sender(long frames) {
    return new SenderStatsFrame(
        frames, frames * 1200, frames, frames * 3000, frames * 4, frames * 4 * 250);
  }

  private static Tally.Snapshot tally(long count, double meanMillis) {
    return new Tally.Snapshot(count, Math.round(count * meanMillis * 1e6));
  }

  private static StageBreakdown.Sample probeSample(long frames, double captureToDecodedMean) {
    return new StageBreakdown.Sample(
        receiver(frames),
        sender(frames),
        0.4,
        tally(frames, captureToDecodedMean),
        Tally.Snapshot.NONE,
        Tally.Snapshot.NONE,
        Tally.Snapshot.NONE);
  }

  @Test
  void differencesOfTwoSamplesGiveTheMeanOfEachStagePerFrame() {
    StageBreakdown.Stages stages =
        StageBreakdown.between(probeSample(300, 20), probeSample(330, 20));

    assertThat(stages.endPoint()).isEqualTo("decoded");
    assertThat(stages.frames()).isEqualTo(30);
    assertThat(stages.captureToEncoderMs()).isCloseTo(1.2, within(1e-9));
    assertThat(stages.encodeMs()).isCloseTo(3.0, within(1e-9));
    assertThat(stages.pacerMs()).isCloseTo(0.25, within(1e-9));
    assertThat(stages.networkMs()).isCloseTo(0.2, within(1e-9));
    assertThat(stages.jitterBufferMs()).isCloseTo(11.0, within(1e-9));
    assertThat(stages.jitterBufferTargetMs()).isCloseTo(12.0, within(1e-9));
    assertThat(stages.decodeMs()).isCloseTo(1.5, within(1e-9));
    assertThat(stages.assemblyMs()).isCloseTo(0.4, within(1e-9));
    assertThat(stages.receiverMs()).isCloseTo(13.0, within(1e-9));
    assertThat(stages.convertMs()).isNaN();
    assertThat(stages.sumMs()).isCloseTo(1.2 + 3 + 0.25 + 0.2 + 11 + 1.5, within(1e-9));
    assertThat(stages.endToEndMs()).isCloseTo(20.0, within(1e-6));
    assertThat(stages.unaccountedMs()).isCloseTo(20 - 17.15, within(1e-6));
  }

  @Test
  void onlyTheIntervalCountsNotTheTotalsSinceTheStart() {
    // 300 frames at 20 ms, then 30 frames at 26 ms: the interval's mean is 26, not 20.5.
    StageBreakdown.Sample before = probeSample(300, 20);
    StageBreakdown.Sample after =
        new StageBreakdown.Sample(
            receiver(330),
            sender(330),
            0.4,
            new Tally.Snapshot(330, before.captureToDecoded().sumNanos() + 30 * 26_000_000L),
            Tally.Snapshot.NONE,
            Tally.Snapshot.NONE,
            Tally.Snapshot.NONE);

    assertThat(StageBreakdown.between(before, after).endToEndMs()).isCloseTo(26, within(1e-9));
  }

  @Test
  void theStationEndsAtTheScreenWithConversionAndThePulseWait() {
    StageBreakdown.Sample before =
        probeSample(300, 20).withScreen(tally(300, 0.3), tally(300, 4.3), tally(300, 24.3));
    StageBreakdown.Sample after =
        probeSample(330, 20).withScreen(tally(330, 0.3), tally(330, 4.3), tally(330, 24.3));

    StageBreakdown.Stages stages = StageBreakdown.between(before, after);

    assertThat(stages.endPoint()).isEqualTo("shown");
    assertThat(stages.convertMs()).isCloseTo(0.3, within(1e-6));
    assertThat(stages.pulseWaitMs()).isCloseTo(4.0, within(1e-6));
    assertThat(stages.sumMs()).isCloseTo(17.15 + 4.3, within(1e-6));
    assertThat(stages.endToEndMs()).isCloseTo(24.3, within(1e-6));
    assertThat(stages.asMap()).containsKeys("convertMs", "pulseWaitMs");
  }

  @Test
  void aCarWithoutCountersLeavesItsStagesUnknownAndUnaccounted() {
    StageBreakdown.Sample before = probeSample(300, 20);
    StageBreakdown.Sample after = probeSample(330, 20);
    StageBreakdown.Stages stages =
        StageBreakdown.between(
            new StageBreakdown.Sample(
                before.receiver(),
                null,
                0.4,
                before.captureToDecoded(),
                Tally.Snapshot.NONE,
                Tally.Snapshot.NONE,
                Tally.Snapshot.NONE),
            new StageBreakdown.Sample(
                after.receiver(),
                null,
                0.4,
                after.captureToDecoded(),
                Tally.Snapshot.NONE,
                Tally.Snapshot.NONE,
                Tally.Snapshot.NONE));

    assertThat(stages.captureToEncoderMs()).isNaN();
    assertThat(stages.encodeMs()).isNaN();
    assertThat(stages.sumMs()).isCloseTo(0.2 + 11 + 1.5, within(1e-9));
    assertThat(stages.asMap()).containsEntry("encodeMs", null).containsKey("unaccountedMs");
  }

  @Test
  void countersThatRestartedOnANewLinkAreNotUsed() {
    StageBreakdown.Sample before = probeSample(300, 20);
    StageBreakdown.Sample after =
        new StageBreakdown.Sample(
            receiver(10),
            sender(10),
            0.4,
            tally(310, 20),
            Tally.Snapshot.NONE,
            Tally.Snapshot.NONE,
            Tally.Snapshot.NONE);

    StageBreakdown.Stages stages = StageBreakdown.between(before, after);

    assertThat(stages.encodeMs()).isNaN();
    assertThat(stages.jitterBufferMs()).isNaN();
    assertThat(stages.decodeMs()).isNaN();
  }

  @Test
  void noNewFrameMeansNoFigures() {
    StageBreakdown.Stages stages =
        StageBreakdown.between(probeSample(300, 20), probeSample(300, 20));

    assertThat(stages.frames()).isZero();
    assertThat(stages.endToEndMs()).isNaN();
    assertThat(stages.asMap()).containsEntry("endToEndMs", null);
  }
}
