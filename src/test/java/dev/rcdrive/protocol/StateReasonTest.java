package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.protocol.StateReason.Cause;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StateReasonTest {

  @Provide
  Arbitrary<StateReason> reasons() {
    return Combinators.combine(
            Arbitraries.of(CarState.class),
            Arbitraries.of(Cause.class),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.strings().ofMaxLength(60))
        .as(StateReason::of);
  }

  @Property(tries = 2000)
  void encodeThenDecodeGivesTheSameReason(@ForAll("reasons") StateReason reason) {
    byte[] bytes = reason.encode();

    assertThat(bytes.length).isBetween(StateReason.HEADER, StateReason.HEADER + 120);
    assertThat(StateReason.decode(bytes)).isEqualTo(Decoded.ok(reason));
  }

  @Property(tries = 500)
  void truncatedOrLongerFramesAreRejected(@ForAll("reasons") StateReason reason) {
    byte[] bytes = reason.encode();

    assertThat(StateReason.decode(Arrays.copyOf(bytes, bytes.length - 1)).isOk()).isFalse();
    assertThat(StateReason.decode(Arrays.copyOf(bytes, bytes.length + 1)).isOk()).isFalse();
  }

  @Test
  void documentedExampleBytes() {
    StateReason timeout = new StateReason(CarState.FAILSAFE, Cause.CONTROL_TIMEOUT, 250, "");

    assertThat(HexFormat.of().formatHex(timeout.encode())).isEqualTo("01520206" + "00fa" + "00");
    assertThat(timeout.text()).isEqualTo("no control frame for 250 ms");
  }

  @Test
  void oldStationsDropItAsAFrameTheyDoNotSpeak() {
    // Whatever its length, a station that knows only telemetry and health frames rejects it.
    for (int length = 0; length <= StateReason.MAX_DETAIL_BYTES; length++) {
      byte[] bytes = StateReason.of(CarState.FAILSAFE, Cause.OTHER, 0, "x".repeat(length)).encode();
      assertThat(TelemetryFrame.decode(bytes).isOk()).isFalse();
      assertThat(HealthFrame.isHealth(ByteBuffer.wrap(bytes))).isFalse();
      assertThat(StateReason.isReason(ByteBuffer.wrap(bytes))).isTrue();
    }
    assertThat(
            StateReason.isReason(
                ByteBuffer.wrap(
                    new HealthFrame(HealthFrame.Camera.RUNNING, 0, Double.NaN, -1, -1).encode())))
        .isFalse();
  }

  @Test
  void aLongOrMultiLineDetailIsCutToOneLineThatFits() {
    StateReason reason =
        StateReason.of(
            CarState.FAILSAFE, Cause.OUTPUT_ERROR, 0, "actuator error:\n" + "é".repeat(200));

    assertThat(reason.detail()).doesNotContain("\n").startsWith("actuator error: é");
    assertThat(reason.detail().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(120);
    assertThatThrownBy(() -> new StateReason(CarState.FAILSAFE, Cause.OTHER, 0, "x".repeat(121)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownCausesAndBadTextAreRejectedNotThrown() {
    byte[] unknownCause = {1, 'R', 2, (byte) 200, 0, 0, 0};
    byte[] notUtf8 = {1, 'R', 2, 0, 0, 0, 2, (byte) 0xC3, (byte) 0x28};
    byte[] unknownState = {1, 'R', 9, 0, 0, 0, 0};

    assertThat(StateReason.decode(unknownCause).reasonOrNull()).contains("unknown reason code");
    assertThat(StateReason.decode(notUtf8).reasonOrNull()).contains("UTF-8");
    assertThat(StateReason.decode(unknownState).reasonOrNull()).contains("unknown car state");
    assertThat(StateReason.decode((byte[]) null).isOk()).isFalse();
  }
}
