package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The three data-channel decoders against a seeded stream of hostile bytes: valid frames with
 * random values in every field, valid frames with flipped bits and bytes, random bytes behind a
 * valid header, wholly random bytes and every length from 0 to 64. No input may throw, and an
 * accepted frame must hold only in-range values and encode back to exactly the bytes it came from
 * (so nothing is silently reinterpreted).
 *
 * <p>The suite tries {@value #DEFAULT_INPUTS} inputs per decoder. The millions run
 * (docs/security.md records its figures): {@code ./mvnw -B test -Dtest=DecoderFuzzTest
 * -Drcdrive.fuzz.inputs=10000000 -Drcdrive.fuzz.seed=N}. Plain seeded mutation rather than a
 * coverage-guided fuzzer: each decoder is one straight-line path of range checks behind a two-byte
 * header, and starting from valid frames reaches every check at once.
 */
class DecoderFuzzTest {

  static final int DEFAULT_INPUTS = 300_000;

  private static final int INPUTS = Integer.getInteger("rcdrive.fuzz.inputs", DEFAULT_INPUTS);
  private static final long SEED = Long.getLong("rcdrive.fuzz.seed", 20261124L);

  /** Accepted and rejected counts, printed for the record. */
  private record Tally(String name, long accepted, long rejected) {
    @Override
    public String toString() {
      return name
          + ": "
          + (accepted + rejected)
          + " inputs, "
          + accepted
          + " accepted, "
          + rejected
          + " rejected, 0 exceptions (seed "
          + SEED
          + ")";
    }
  }

  private static <T> Tally fuzz(
      String name,
      int size,
      byte version,
      byte kind,
      Function<ByteBuffer, Decoded<T>> decode,
      Function<T, byte[]> encode,
      Consumer<T> inRange) {
    SplittableRandom random = new SplittableRandom(SEED ^ kind);
    long accepted = 0;
    long rejected = 0;
    for (int i = 0; i < INPUTS; i++) {
      byte[] bytes = input(random, size, version, kind);
      ByteBuffer buffer = wrapped(random, bytes);
      Decoded<T> decoded;
      try {
        decoded = decode.apply(buffer);
      } catch (RuntimeException e) {
        throw new AssertionError(
            name + " threw on input " + i + ": " + java.util.HexFormat.of().formatHex(bytes), e);
      }
      if (decoded instanceof Decoded.Ok<T> ok) {
        accepted++;
        inRange.accept(ok.value());
        assertThat(encode.apply(ok.value()))
            .as("%s input %d re-encodes to its own bytes", name, i)
            .isEqualTo(bytes);
      } else {
        rejected++;
        assertThat(decoded.reasonOrNull()).isNotBlank();
      }
    }
    Tally tally = new Tally(name, accepted, rejected);
    System.out.println("decoder fuzz " + tally);
    return tally;
  }

  private static byte[] input(SplittableRandom random, int size, byte version, byte kind) {
    int strategy = random.nextInt(10);
    if (strategy == 0) {
      byte[] any = new byte[random.nextInt(65)];
      random.nextBytes(any);
      return any;
    }
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    if (strategy == 1) {
      return bytes; // random bytes of the right size: the header almost never matches
    }
    bytes[0] = version;
    bytes[1] = kind;
    if (strategy >= 6) {
      return bytes; // random values behind a valid header
    }
    // Near-valid: small values in each field (most checks pass), then a few flips.
    for (int i = 2; i < size; i++) {
      bytes[i] = random.nextInt(3) == 0 ? bytes[i] : (byte) random.nextInt(-2, 3);
    }
    int flips = random.nextInt(4);
    for (int f = 0; f < flips; f++) {
      int bit = random.nextInt(size * 8);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return bytes;
  }

  /** Sometimes inside a bigger buffer at an offset: decoders must read only what remains. */
  private static ByteBuffer wrapped(SplittableRandom random, byte[] bytes) {
    if (random.nextBoolean()) {
      return ByteBuffer.wrap(bytes);
    }
    int before = random.nextInt(1, 8);
    byte[] bigger = new byte[before + bytes.length + random.nextInt(8)];
    random.nextBytes(bigger);
    System.arraycopy(bytes, 0, bigger, before, bytes.length);
    return ByteBuffer.wrap(bigger, before, bytes.length);
  }

  private static void axis(double value, double min) {
    assertThat(value).isFinite().isBetween(min, 1.0);
  }

  private static void u32(long value) {
    assertThat(value).isBetween(0L, 0xFFFF_FFFFL);
  }

  @Test
  void controlFramesNeverThrowAndAcceptOnlyInRangeValues() {
    Tally tally =
        fuzz(
            "ControlFrame",
            ControlFrame.SIZE,
            ControlFrame.VERSION,
            ControlFrame.KIND,
            ControlFrame::decode,
            ControlFrame::encode,
            frame -> {
              u32(frame.seq());
              assertThat(frame.sentMicros()).isNotNegative();
              axis(frame.steering(), -1);
              axis(frame.throttle(), -1);
              axis(frame.brake(), 0);
              assertThat(frame.buttons()).isBetween(0, 0xFFFF);
            });

    assertThat(tally.accepted()).isGreaterThan(INPUTS / 100);
    assertThat(tally.rejected()).isGreaterThan(INPUTS / 100);
  }

  @Test
  void telemetryFramesNeverThrowAndAcceptOnlyInRangeValues() {
    Tally tally =
        fuzz(
            "TelemetryFrame",
            TelemetryFrame.SIZE,
            TelemetryFrame.VERSION,
            TelemetryFrame.KIND,
            TelemetryFrame::decode,
            TelemetryFrame::encode,
            frame -> {
              u32(frame.seq());
              u32(frame.echoSeq());
              u32(frame.echoHoldMicros());
              u32(frame.rejectedFrames());
              assertThat(frame.echoSentMicros()).isNotNegative();
              assertThat(frame.carMicros()).isNotNegative();
              axis(frame.appliedSteering(), -1);
              axis(frame.appliedThrottle(), -1);
              assertThat(frame.state()).isNotNull();
              assertThat(frame.speedMps()).isFinite().isBetween(-327.67, 327.67);
              if (frame.hasBattery()) {
                assertThat(frame.batteryVolts()).isFinite().isBetween(0.0, 65.534);
              }
            });

    assertThat(tally.accepted()).isGreaterThan(INPUTS / 100);
    assertThat(tally.rejected()).isGreaterThan(INPUTS / 100);
  }

  @Test
  void healthFramesNeverThrowAndAcceptOnlyInRangeValues() {
    Tally tally =
        fuzz(
            "HealthFrame",
            HealthFrame.SIZE,
            HealthFrame.VERSION,
            HealthFrame.KIND,
            HealthFrame::decode,
            HealthFrame::encode,
            frame -> {
              assertThat(frame.camera()).isNotNull();
              assertThat(frame.cameraRestarts()).isBetween(0, 0xFFFF);
              if (frame.hasCpuTemp()) {
                assertThat(frame.cpuTempC()).isFinite().isBetween(-273.0, 3000.0);
              }
              if (frame.hasThrottled()) {
                assertThat(frame.throttled()).isBetween(0L, 0xFFFF_FFFEL);
              }
              if (frame.hasSignal()) {
                assertThat(frame.signalPercent()).isBetween(0, 100);
              }
            });

    assertThat(tally.accepted()).isGreaterThan(INPUTS / 100);
    assertThat(tally.rejected()).isGreaterThan(INPUTS / 100);
  }

  @Test
  void stateReasonsNeverThrowAndAcceptOnlyWellFormedFrames() {
    // Two detail bytes behind the header: the near-valid inputs often carry the matching length.
    Tally tally =
        fuzz(
            "StateReason",
            StateReason.HEADER + 2,
            StateReason.VERSION,
            StateReason.KIND,
            StateReason::decode,
            StateReason::encode,
            frame -> {
              assertThat(frame.state()).isNotNull();
              assertThat(frame.cause()).isNotNull();
              assertThat(frame.millis()).isBetween(0, 0xFFFF);
              assertThat(frame.detail().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .hasSizeLessThanOrEqualTo(StateReason.MAX_DETAIL_BYTES);
            });

    assertThat(tally.accepted()).isGreaterThan(INPUTS / 1000);
    assertThat(tally.rejected()).isGreaterThan(INPUTS / 100);
  }

  @Test
  void senderStatsFramesNeverThrowAndAcceptOnlyCountsThatAreNotNegative() {
    Tally tally =
        fuzz(
            "SenderStatsFrame",
            SenderStatsFrame.SIZE,
            SenderStatsFrame.VERSION,
            SenderStatsFrame.KIND,
            SenderStatsFrame::decode,
            SenderStatsFrame::encode,
            frame -> {
              assertThat(frame.framesPushed()).isNotNegative();
              assertThat(frame.captureToPushMicros()).isNotNegative();
              assertThat(frame.framesEncoded()).isNotNegative();
              assertThat(frame.encodeMicros()).isNotNegative();
              assertThat(frame.packetsSent()).isNotNegative();
              assertThat(frame.packetSendDelayMicros()).isNotNegative();
            });

    assertThat(tally.accepted()).isGreaterThan(INPUTS / 100);
    assertThat(tally.rejected()).isGreaterThan(INPUTS / 100);
  }
}
