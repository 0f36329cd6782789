package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.agent.output.FakeI2cDevice.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The register writes the datasheet asks for, against a fake that ignores wrong ones. */
class Pca9685Test {

  private final FakeI2cDevice bus = new FakeI2cDevice("i2c-1@0x40");

  @Test
  void startSleepsSetsPrescaleWakesAndRestarts() throws Exception {
    new Pca9685(bus, 50, 25_000_000);

    assertThat(bus.writes)
        .containsExactly(
            new Write(0x00, 0x31), // MODE1: SLEEP | AI | ALLCALL
            new Write(0xFE, 121), // PRE_SCALE = round(25 MHz / (4096 × 50)) − 1
            new Write(0x01, 0x04), // MODE2: OUTDRV (totem pole)
            new Write(0x00, 0x21), // MODE1: awake
            new Write(0x00, 0xA1)); // MODE1: RESTART
    assertThat(bus.registers[0xFE]).isEqualTo(121); // accepted: it was written while asleep
    assertThat(new Pca9685(bus, 50, 25_000_000).responds()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          50,  25000000, 121
          60,  25000000, 101
          100, 25000000, 60
          50,  26000000, 126
          """)
  void prescaleFollowsFrequencyAndOscillator(int hz, int osc, int prescale) {
    assertThat(Pca9685.prescale(hz, osc)).isEqualTo(prescale);
  }

  @Test
  void frequencyOutsideTheChipsRangeIsRefused() {
    assertThatThrownBy(() -> Pca9685.prescale(10, 25_000_000))
        .hasMessageContaining("cannot run at 10 Hz");
    assertThatThrownBy(() -> Pca9685.prescale(2000, 25_000_000))
        .hasMessageContaining("cannot run at 2000 Hz");
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          0,  1500, 0x06, 307
          1,  1000, 0x0A, 205
          15, 2000, 0x42, 410
          """)
  void pulseMicrosBecomeOnZeroAndOffCounts(int channel, int micros, int register, int counts)
      throws Exception {
    Pca9685 chip = new Pca9685(bus, 50, 25_000_000);
    bus.writes.clear();

    chip.channel(channel).pulseMicros(micros);

    assertThat(bus.writes)
        .containsExactly(
            new Write(register, 0),
            new Write(register + 1, 0),
            new Write(register + 2, counts & 0xFF),
            new Write(register + 3, counts >> 8));
    assertThat(bus.offCounts(channel)).isEqualTo(counts);
  }

  @Test
  void zeroHighTimeIsFullyOff() throws Exception {
    Pca9685 chip = new Pca9685(bus, 50, 25_000_000);

    chip.channel(3).highNanos(0);

    assertThat(bus.offCounts(3)).isEqualTo(-1);
  }

  @Test
  void periodIsTheRoundedPrescalersPeriod() throws Exception {
    Pca9685 chip = new Pca9685(bus, 50, 25_000_000);

    // 4096 × 122 / 25 MHz = 19.988 ms, not exactly 20 ms
    assertThat(chip.periodNanos()).isEqualTo(19_988_480);
  }

  @Test
  void channelOutsideSixteenIsRefused() throws Exception {
    Pca9685 chip = new Pca9685(bus, 50, 25_000_000);

    assertThatThrownBy(() -> chip.channel(16)).hasMessage("PCA9685 channel must be 0-15, got 16");
  }

  @Test
  void aChipThatDoesNotAnswerFailsAtStart() {
    bus.failForever = true;

    assertThatThrownBy(() -> new Pca9685(bus, 50, 25_000_000))
        .hasMessageContaining("Remote I/O error");
  }
}
