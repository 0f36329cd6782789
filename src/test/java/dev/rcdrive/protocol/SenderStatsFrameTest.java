package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SenderStatsFrameTest {

  @Provide
  Arbitrary<SenderStatsFrame> frames() {
    Arbitrary<Long> count = Arbitraries.longs().between(0, Long.MAX_VALUE);
    return Combinators.combine(count, count, count, count, count, count).as(SenderStatsFrame::new);
  }

  @Property(tries = 2000)
  void encodeThenDecodeGivesTheSameFrame(@ForAll("frames") SenderStatsFrame frame) {
    byte[] bytes = frame.encode();

    assertThat(bytes).hasSize(SenderStatsFrame.SIZE);
    assertThat(SenderStatsFrame.decode(bytes)).isEqualTo(Decoded.ok(frame));
  }

  @Property(tries = 500)
  void truncatedFramesAreRejected(
      @ForAll("frames") SenderStatsFrame frame, @ForAll @IntRange(min = 0, max = 60) int length) {
    assertThat(SenderStatsFrame.decode(Arrays.copyOf(frame.encode(), length)).isOk())
        .isEqualTo(length == SenderStatsFrame.SIZE);
  }

  @Test
  void documentedExampleBytes() {
    // docs/protocol.md 4.4: 30 frames pushed (1.2 ms each), 30 encoded (3 ms each), 120 packets
    // sent (no pacer wait).
    SenderStatsFrame frame = new SenderStatsFrame(30, 36_000, 30, 90_000, 120, 0);

    assertThat(HexFormat.of().formatHex(frame.encode()))
        .isEqualTo(
            "0153"
                + "000000000000001e"
                + "0000000000008ca0"
                + "000000000000001e"
                + "0000000000015f90"
                + "0000000000000078"
                + "0000000000000000");
  }

  @Test
  void negativeCountersAreRefusedOnBothSides() {
    assertThatThrownBy(() -> new SenderStatsFrame(1, -1, 1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("captureToPushMicros");
    byte[] bytes = new SenderStatsFrame(1, 1, 1, 1, 1, 1).encode();
    bytes[2] = (byte) 0x80; // framesPushed's sign bit

    assertThat(SenderStatsFrame.decode(bytes).isOk()).isFalse();
  }

  @Test
  void aHealthFrameIsNotTakenForOne() {
    byte[] health = new HealthFrame(HealthFrame.Camera.RUNNING, 0, Double.NaN, -1, -1).encode();

    assertThat(SenderStatsFrame.isSenderStats(java.nio.ByteBuffer.wrap(health))).isFalse();
    assertThat(SenderStatsFrame.decode(health).isOk()).isFalse();
  }
}
