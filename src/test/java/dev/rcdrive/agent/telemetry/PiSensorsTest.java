package dev.rcdrive.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiSensorsTest {

  @TempDir Path thermal;

  /** Canned outputs, as the real commands print them on a Pi with a modem. */
  private static Commands commands(Map<String, String> outputs) {
    return command -> Optional.ofNullable(outputs.get(String.join(" ", command)));
  }

  private static final Commands NONE = command -> Optional.empty();

  private void zone(int index, String type, String millidegrees) throws IOException {
    Path zone = Files.createDirectories(thermal.resolve("thermal_zone" + index));
    Files.writeString(zone.resolve("type"), type + "\n");
    Files.writeString(zone.resolve("temp"), millidegrees + "\n");
  }

  @Test
  void cpuTemperatureComesFromTheCpuZone() throws Exception {
    zone(0, "acpitz", "27800");
    zone(1, "cpu-thermal", "61540");

    assertThat(new PiSensors(thermal, NONE, true, null).cpuTempC()).isEqualTo(61.54);
  }

  @Test
  void firstZoneWhenNoneIsNamedCpu() throws Exception {
    zone(0, "acpitz", "27800");

    assertThat(new PiSensors(thermal, NONE, true, null).cpuTempC()).isEqualTo(27.8);
  }

  @Test
  void noThermalTreeMeansNoTemperature() {
    PiSensors sensors = new PiSensors(thermal.resolve("absent"), NONE, true, null);

    assertThat(sensors.read()).isEqualTo(PiSensors.Reading.NONE);
  }

  @Test
  void throttledFlagsAreParsed() {
    PiSensors sensors =
        new PiSensors(
            thermal, commands(Map.of("vcgencmd get_throttled", "throttled=0x50005\n")), true, null);

    assertThat(sensors.throttled()).isEqualTo(0x50005);
  }

  @Test
  void garbageFromVcgencmdIsAbsentNotZero() {
    PiSensors sensors =
        new PiSensors(
            thermal,
            commands(Map.of("vcgencmd get_throttled", "error=1 error_msg=...")),
            true,
            null);

    assertThat(sensors.throttled()).isEqualTo(-1);
  }

  @Test
  void modemSignalQualityFromMmcli() {
    PiSensors sensors =
        new PiSensors(
            thermal,
            commands(
                Map.of(
                    "mmcli --list-modems",
                    "    /org/freedesktop/ModemManager1/Modem/3 [Quectel] EC25\n",
                    "mmcli --modem 3 --output-keyvalue",
                    "modem.generic.state                  : connected\n"
                        + "modem.generic.signal-quality.value   : 67\n"
                        + "modem.generic.signal-quality.recent  : yes\n")),
            true,
            null);

    assertThat(sensors.signalPercent()).isEqualTo(67);
  }

  @Test
  void noModemMeansNoSignal() {
    PiSensors sensors =
        new PiSensors(
            thermal, commands(Map.of("mmcli --list-modems", "No modems were found\n")), true, null);

    assertThat(sensors.signalPercent()).isEqualTo(-1);
  }

  /** An INA219 whose bus voltage register holds {@code raw}. */
  private static I2cDevice ina219(int raw, boolean fail) {
    return new I2cDevice() {
      @Override
      public void write(int register, int value) {}

      @Override
      public void write(int register, byte[] values) {}

      @Override
      public int read(int register) throws IOException {
        throw new IOException("not used");
      }

      @Override
      public void read(int register, byte[] into) throws IOException {
        if (fail) {
          throw new IOException("Remote I/O error");
        }
        assertThat(register).isEqualTo(0x02);
        into[0] = (byte) (raw >> 8);
        into[1] = (byte) raw;
      }

      @Override
      public String describe() {
        return "ina219";
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void batteryVoltsFromTheIna219BusRegister() {
    // 7.4 V = 1850 steps of 4 mV, shifted left by 3, CNVR bit (1) set
    int raw = 1850 << 3 | 0b10;

    assertThat(new PiSensors(thermal, NONE, false, ina219(raw, false)).batteryVolts())
        .isEqualTo(7.4, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void anOverflowedOrSilentIna219IsAbsent() {
    assertThat(new PiSensors(thermal, NONE, false, ina219(1850 << 3 | 1, false)).batteryVolts())
        .isNaN();
    assertThat(new PiSensors(thermal, NONE, false, ina219(0, true)).batteryVolts()).isNaN();
  }

  @Test
  void piReadingsOffLeavesOnlyTheBattery() throws Exception {
    zone(0, "cpu-thermal", "50000");
    PiSensors sensors =
        new PiSensors(
            thermal,
            commands(Map.of("vcgencmd get_throttled", "throttled=0x0\n")),
            false,
            ina219(1000 << 3, false));

    assertThat(sensors.read()).isEqualTo(new PiSensors.Reading(Double.NaN, -1, 4.0, -1));
  }

  @Test
  void aCommandThatIsNotInstalledIsAbsent() {
    Commands system = Commands.system();

    assertThat(system.run(List.of("rcdrive-no-such-command-here"))).isEmpty();
  }
}
