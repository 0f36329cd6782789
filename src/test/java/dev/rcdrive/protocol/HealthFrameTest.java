package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthFrameTest {

  @Provide
  Arbitrary<HealthFrame> frames() {
    return Combinators.combine(
            Arbitraries.of(HealthFrame.Camera.class),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.oneOf(
                Arbitraries.just(Double.NaN),
                Arbitraries.integers().between(-400, 1200).map(t -> t / 10.0)),
            Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 0xFFFF_FFFEL)),
            Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, 100)))
        .as(HealthFrame::new);
  }

  @Property(tries = 3000)
  void encodeThenDecodeGivesTheSameFrame(@ForAll("frames") HealthFrame frame) {
    byte[] bytes = frame.encode();

    assertThat(bytes).hasSize(HealthFrame.SIZE);
    assertThat(HealthFrame.decode(bytes)).isEqualTo(Decoded.ok(frame));
  }

  @Property(tries = 3000)
  void randomBytesNeverThrow(@ForAll @Size(max = 20) byte[] bytes) {
    Decoded<HealthFrame> decoded = HealthFrame.decode(bytes);
    if (decoded.isOk()) {
      HealthFrame frame = decoded.orElseThrow();
      assertThat(frame.signalPercent()).isBetween(-1, 100);
    }
  }

  @Property(tries = 1000)
  void truncatedFramesAreRejected(
      @ForAll("frames") HealthFrame frame, @ForAll @IntRange(min = 0, max = 20) int length) {
    assertThat(HealthFrame.decode(Arrays.copyOf(frame.encode(), length)).isOk())
        .isEqualTo(length == HealthFrame.SIZE);
  }

  @Test
  void documentedExampleBytes() {
    HealthFrame frame = new HealthFrame(HealthFrame.Camera.RESTARTING, 3, 61.5, 0x50005L, 72);

    assertThat(HexFormat.of().formatHex(frame.encode())).isEqualTo("014802000302670005000548");
  }

  @Test
  void absentValuesTravelAsTheirMarkers() {
    HealthFrame frame = new HealthFrame(HealthFrame.Camera.RUNNING, 0, Double.NaN, -1, -1);

    assertThat(HexFormat.of().formatHex(frame.encode())).isEqualTo("01480100007fffffffffffff");
    HealthFrame decoded = HealthFrame.decode(frame.encode()).orElseThrow();
    assertThat(decoded.hasCpuTemp() || decoded.hasThrottled() || decoded.hasSignal()).isFalse();
  }

  @Test
  void aStationThatOnlyKnowsTelemetryFramesDropsIt() {
    byte[] health = new HealthFrame(HealthFrame.Camera.RUNNING, 0, 50, 0, 50).encode();

    assertThat(TelemetryFrame.decode(health).isOk()).isFalse();
    assertThat(HealthFrame.isHealth(ByteBuffer.wrap(health))).isTrue();
    assertThat(HealthFrame.isHealth(ByteBuffer.wrap(new byte[TelemetryFrame.SIZE]))).isFalse();
  }

  /** Found by DecoderFuzzTest: a temperature the record refuses made the decoder throw. */
  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
      0148021200d2ffff01630202, -1152.1 degrees
      014801000075310000000048, 3000.1 degrees
      0148010000f5550000000048, -273.1 degrees
      """)
  void temperatureOutsideTheRecordsRangeIsRejectedNotThrown(String hex, String what) {
    Decoded<HealthFrame> decoded = HealthFrame.decode(java.util.HexFormat.of().parseHex(hex));

    assertThat(decoded.reasonOrNull()).as(what).contains("temperature");
  }
}
