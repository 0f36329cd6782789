package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryFrameTest {

  @Property(tries = 5000)
  void encodeThenDecodeGivesTheSameFrame(@ForAll("frames") TelemetryFrame frame) {
    byte[] bytes = frame.encode();

    assertThat(bytes).hasSize(TelemetryFrame.SIZE);
    assertThat(TelemetryFrame.decode(bytes)).isEqualTo(Decoded.ok(frame));
  }

  @Property(tries = 5000)
  void randomBytesNeverThrowAndNeverYieldOutOfRangeValues(@ForAll @Size(max = 64) byte[] bytes) {
    assertInRangeIfAccepted(TelemetryFrame.decode(bytes));
  }

  @Property(tries = 5000)
  void bitFlippedFramesNeverThrowAndNeverYieldOutOfRangeValues(
      @ForAll("frames") TelemetryFrame frame,
      @ForAll @IntRange(min = 0, max = TelemetryFrame.SIZE * 8 - 1) int bit) {
    byte[] bytes = frame.encode();
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));

    assertInRangeIfAccepted(TelemetryFrame.decode(bytes));
  }

  @Property(tries = 2000)
  void truncatedFramesAreRejected(
      @ForAll("frames") TelemetryFrame frame, @ForAll @IntRange(min = 0, max = 60) int length) {
    Decoded<TelemetryFrame> decoded = TelemetryFrame.decode(Arrays.copyOf(frame.encode(), length));

    assertThat(decoded.isOk()).isEqualTo(length == TelemetryFrame.SIZE);
  }

  @Test
  void absentBatteryTravelsAsAllOnes() {
    TelemetryFrame frame =
        new TelemetryFrame(1, 0, 0, 0, 10, 0, 0, CarState.DISARMED, 0, Double.NaN, 0);
    byte[] bytes = frame.encode();

    assertThat(ByteBuffer.wrap(bytes).getShort(37)).isEqualTo((short) 0xFFFF);
    TelemetryFrame decoded = TelemetryFrame.decode(bytes).orElseThrow();
    assertThat(decoded.hasBattery()).isFalse();
    assertThat(decoded.hasEcho()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      textBlock =
          """
          version 9,          0,  9,      unsupported telemetry frame version 9
          control kind,       1,  67,     not a telemetry frame (kind 67)
          steering 10001,     30, 10001,  applied steering out of range: 10001
          throttle -10001,    32, -10001, applied throttle out of range: -10001
          state 4,            34, 4,      unknown car state 4
          speed minimum,      35, -32768, speed out of range: -32768
          """)
  void rejectsEachOutOfRangeField(String name, int offset, int value, String reason) {
    TelemetryFrame frame =
        new TelemetryFrame(5, 4, 100, 20, 200, 0.5, 0.5, CarState.ARMED, 1.5, 7.4, 0);
    ByteBuffer bytes = ByteBuffer.wrap(frame.encode());
    if (offset < 2 || offset == 34) {
      bytes.put(offset, (byte) value);
    } else {
      bytes.putShort(offset, (short) value);
    }

    assertThat(TelemetryFrame.decode(bytes.array()).reasonOrNull()).isEqualTo(reason);
  }

  @Test
  void everyCarStateHasAStableCode() {
    assertThat(Arrays.stream(CarState.values()).map(CarState::code)).containsExactly(0, 1, 2, 3);
    assertThat(CarState.fromCode(99)).isNull();
  }

  private static void assertInRangeIfAccepted(Decoded<TelemetryFrame> decoded) {
    if (decoded instanceof Decoded.Ok<TelemetryFrame> ok) {
      TelemetryFrame f = ok.value();
      assertThat(f.appliedSteering()).isBetween(-1.0, 1.0);
      assertThat(f.appliedThrottle()).isBetween(-1.0, 1.0);
      assertThat(f.state()).isNotNull();
      assertThat(f.carMicros()).isNotNegative();
      assertThat(f.echoSentMicros()).isNotNegative();
      assertThat(Math.abs(f.speedMps())).isLessThanOrEqualTo(327.67);
      if (f.hasBattery()) {
        assertThat(f.batteryVolts()).isBetween(0.0, 65.534);
      }
      assertThat(TelemetryFrame.decode(f.encode())).isEqualTo(decoded);
    } else {
      assertThat(decoded.reasonOrNull()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<TelemetryFrame> frames() {
    Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    Arbitrary<Long> time = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Double> axis = Arbitraries.doubles().between(-1, 1);
    Arbitrary<Double> battery =
        Arbitraries.oneOf(
            Arbitraries.just(Double.NaN), Arbitraries.doubles().between(0, 65.534).ofScale(3));
    return Builders.withBuilder(FrameBuilder::new)
        .use(u32)
        .in((b, v) -> b.with(0, v))
        .use(u32)
        .in((b, v) -> b.with(1, v))
        .use(time)
        .in((b, v) -> b.with(2, v))
        .use(u32)
        .in((b, v) -> b.with(3, v))
        .use(time)
        .in((b, v) -> b.with(4, v))
        .use(axis)
        .in((b, v) -> b.with(5, v))
        .use(axis)
        .in((b, v) -> b.with(6, v))
        .use(Arbitraries.of(CarState.class))
        .in((b, v) -> b.with(7, v))
        .use(Arbitraries.doubles().between(-327.67, 327.67))
        .in((b, v) -> b.with(8, v))
        .use(battery)
        .in((b, v) -> b.with(9, v))
        .use(u32)
        .in((b, v) -> b.with(10, v))
        .build(FrameBuilder::build);
  }

  /** Eleven components are more than jqwik's combinators take at once. */
  private static final class FrameBuilder {
    private final Object[] values = new Object[11];

    FrameBuilder with(int index, Object value) {
      values[index] = value;
      return this;
    }

    TelemetryFrame build() {
      return new TelemetryFrame(
          (Long) values[0],
          (Long) values[1],
          (Long) values[2],
          (Long) values[3],
          (Long) values[4],
          (Double) values[5],
          (Double) values[6],
          (CarState) values[7],
          (Double) values[8],
          (Double) values[9],
          (Long) values[10]);
    }
  }
}
