package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
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

class ControlFrameTest {

  @Property(tries = 5000)
  void encodeThenDecodeGivesTheSameFrame(@ForAll("frames") ControlFrame frame) {
    byte[] bytes = frame.encode();

    assertThat(bytes).hasSize(ControlFrame.SIZE);
    assertThat(ControlFrame.decode(bytes)).isEqualTo(Decoded.ok(frame));
  }

  @Property(tries = 5000)
  void randomBytesNeverThrowAndNeverYieldOutOfRangeValues(@ForAll @Size(max = 64) byte[] bytes) {
    assertInRangeIfAccepted(ControlFrame.decode(bytes));
  }

  @Property(tries = 5000)
  void bitFlippedFramesNeverThrowAndNeverYieldOutOfRangeValues(
      @ForAll("frames") ControlFrame frame,
      @ForAll @IntRange(min = 0, max = ControlFrame.SIZE * 8 - 1) int bit) {
    byte[] bytes = frame.encode();
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));

    assertInRangeIfAccepted(ControlFrame.decode(bytes));
  }

  @Property(tries = 2000)
  void truncatedOrExtendedFramesAreRejected(
      @ForAll("frames") ControlFrame frame, @ForAll @IntRange(min = 0, max = 40) int length) {
    byte[] bytes = java.util.Arrays.copyOf(frame.encode(), length);

    Decoded<ControlFrame> decoded = ControlFrame.decode(bytes);

    assertThat(decoded.isOk()).isEqualTo(length == ControlFrame.SIZE);
  }

  @Test
  void decodesOnlyTheBufferRemainingBytesAndLeavesItsPositionAlone() {
    ControlFrame frame = new ControlFrame(7, 1234, 0.5, -0.25, 0.1, true, false, 3);
    ByteBuffer buffer = ByteBuffer.allocate(ControlFrame.SIZE + 4);
    buffer.putInt(0xCAFE).put(frame.encode()).flip();
    buffer.position(4);

    assertThat(ControlFrame.decode(buffer).orElseThrow()).isEqualTo(frame);
    assertThat(buffer.position()).isEqualTo(4);
  }

  /** The example in docs/protocol.md §4.4, byte for byte. */
  @Test
  void encodesTheDocumentedExample() {
    ControlFrame frame = new ControlFrame(1, 1_000_000, 0.5, 0.25, 0, true, false, 0);

    assertThat(java.util.HexFormat.of().formatHex(frame.encode()))
        .isEqualTo(
            "0143" + "00000001" + "00000000000f4240" + "1388" + "09c4" + "0000" + "01" + "0000");
  }

  @Test
  void nullBytesAreRejectedNotThrown() {
    assertThat(ControlFrame.decode((ByteBuffer) null).reasonOrNull()).isEqualTo("no bytes");
    assertThat(ControlFrame.decode((byte[]) null).reasonOrNull()).isEqualTo("no bytes");
    assertThat(TelemetryFrame.decode((byte[]) null).reasonOrNull()).isEqualTo("no bytes");
  }

  @Test
  void valuesAreQuantizedToTheWireResolution() {
    ControlFrame frame = new ControlFrame(1, 0, 0.123456, 0.99999, 0.00004, false, false, 0);

    assertThat(frame.steering()).isEqualTo(0.1235);
    assertThat(frame.throttle()).isEqualTo(1.0);
    assertThat(frame.brake()).isEqualTo(0.0);
  }

  /** Offsets and values that break one rule each; docs/protocol.md gives the layout. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      textBlock =
          """
          version 2,            0,  2,      unsupported control frame version 2
          telemetry kind,       1,  84,     not a control frame (kind 84)
          steering 10001,       14, 10001,  steering out of range: 10001
          steering -10001,      14, -10001, steering out of range: -10001
          throttle 12000,       16, 12000,  throttle out of range: 12000
          brake 10001,          18, 10001,  brake out of range: 10001
          negative brake,       18, -1,     brake out of range: 65535
          unknown flag,         20, 4,      unknown flag bits: 0x4
          """)
  void rejectsEachOutOfRangeField(String name, int offset, int value, String reason) {
    ByteBuffer bytes = ByteBuffer.wrap(ControlFrame.neutral(1, 1).encode());
    if (offset < 2 || offset == 20) {
      bytes.put(offset, (byte) value);
    } else {
      bytes.putShort(offset, (short) value);
    }

    assertThat(ControlFrame.decode(bytes.array()).reasonOrNull()).isEqualTo(reason);
  }

  @Test
  void negativeSendTimeIsRejected() {
    ByteBuffer bytes = ByteBuffer.wrap(ControlFrame.neutral(1, 1).encode());
    bytes.putLong(6, -5);

    assertThat(ControlFrame.decode(bytes.array()).reasonOrNull()).isEqualTo("negative send time");
  }

  @Test
  void sequenceNumbersUseAllThirtyTwoBits() {
    ControlFrame frame = ControlFrame.neutral(0xFFFF_FFFFL, 9);

    assertThat(ControlFrame.decode(frame.encode()).orElseThrow().seq()).isEqualTo(0xFFFF_FFFFL);
  }

  private static void assertInRangeIfAccepted(Decoded<ControlFrame> decoded) {
    if (decoded instanceof Decoded.Ok<ControlFrame> ok) {
      ControlFrame f = ok.value();
      assertThat(f.steering()).isBetween(-1.0, 1.0);
      assertThat(f.throttle()).isBetween(-1.0, 1.0);
      assertThat(f.brake()).isBetween(0.0, 1.0);
      assertThat(f.seq()).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(f.sentMicros()).isNotNegative();
      assertThat(f.buttons()).isBetween(0, 0xFFFF);
      assertThat(ControlFrame.decode(f.encode())).isEqualTo(decoded);
    } else {
      assertThat(decoded.reasonOrNull()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<ControlFrame> frames() {
    Arbitrary<Double> signed = Arbitraries.doubles().between(-1, 1);
    return Combinators.combine(
            Arbitraries.longs().between(0, 0xFFFF_FFFFL),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            signed,
            signed,
            Arbitraries.doubles().between(0, 1),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 0xFFFF))
        .as(ControlFrame::new);
  }
}
