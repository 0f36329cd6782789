package dev.rcdrive.agent.telemetry;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a Pi can tell about itself, each reading optional: CPU temperature from {@code
 * /sys/class/thermal}, under-voltage and throttling from {@code vcgencmd get_throttled}, battery
 * voltage from an INA219, cellular signal quality from ModemManager's {@code mmcli}. Slow (it runs
 * commands): call it from its own thread, never the control thread.
 */
public final class PiSensors implements AutoCloseable {

  /** One reading of everything; NaN / -1 for what is not available. */
  public record Reading(double cpuTempC, long throttled, double batteryVolts, int signalPercent) {
    public static final Reading NONE = new Reading(Double.NaN, -1, Double.NaN, -1);
  }

  public static final Path THERMAL = Path.of("/sys/class/thermal");
  private static final Pattern THROTTLED = Pattern.compile("throttled=0x([0-9a-fA-F]+)");
  private static final Pattern MODEM =
      Pattern.compile("/org/freedesktop/ModemManager1/Modem/(\\d+)");
  private static final Pattern SIGNAL =
      Pattern.compile("modem\\.generic\\.signal-quality\\.value\\s*:\\s*(\\d+)");

  private final Path thermal;
  private final Commands commands;
  private final boolean pi;
  private final I2cDevice ina219;

  /**
   * @param pi read temperature, throttling and modem (false: only the INA219, if any)
   * @param ina219 the battery sensor, or null
   */
  public PiSensors(Path thermal, Commands commands, boolean pi, I2cDevice ina219) {
    this.thermal = thermal;
    this.commands = commands;
    this.pi = pi;
    this.ina219 = ina219;
  }

  public Reading read() {
    return new Reading(
        pi ? cpuTempC() : Double.NaN,
        pi ? throttled() : -1,
        batteryVolts(),
        pi ? signalPercent() : -1);
  }

  /**
   * The zone whose {@code type} is the SoC's ("cpu-thermal" on a Pi, "x86_pkg_temp" on a PC), else
   * the first zone; millidegrees in {@code temp}.
   */
  public double cpuTempC() {
    if (!Files.isDirectory(thermal)) {
      return Double.NaN;
    }
    try (Stream<Path> zones = Files.list(thermal)) {
      List<Path> all =
          zones
              .filter(p -> p.getFileName().toString().startsWith("thermal_zone"))
              .sorted()
              .toList();
      Path chosen = null;
      for (Path zone : all) {
        String type = readTrimmed(zone.resolve("type")).orElse("");
        if (type.equals("cpu-thermal") || type.equals("x86_pkg_temp") || type.equals("soc")) {
          chosen = zone;
          break;
        }
      }
      if (chosen == null && !all.isEmpty()) {
        chosen = all.get(0);
      }
      if (chosen == null) {
        return Double.NaN;
      }
      return readTrimmed(chosen.resolve("temp"))
          .map(t -> Long.parseLong(t) / 1000.0)
          .orElse(Double.NaN);
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** {@code vcgencmd get_throttled} → "throttled=0x50005"; -1 without vcgencmd. */
  public long throttled() {
    return commands
        .run(List.of("vcgencmd", "get_throttled"))
        .map(THROTTLED::matcher)
        .filter(Matcher::find)
        .map(m -> Long.parseLong(m.group(1), 16))
        .filter(v -> v >= 0 && v < 0xFFFF_FFFFL)
        .orElse(-1L);
  }

  /** The first modem's signal quality (percent); -1 without ModemManager or a modem. */
  public int signalPercent() {
    Optional<String> modem =
        commands
            .run(List.of("mmcli", "--list-modems"))
            .map(MODEM::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1));
    if (modem.isEmpty()) {
      return -1;
    }
    return commands
        .run(List.of("mmcli", "--modem", modem.get(), "--output-keyvalue"))
        .map(SIGNAL::matcher)
        .filter(Matcher::find)
        .map(m -> Integer.parseInt(m.group(1)))
        .filter(v -> v >= 0 && v <= 100)
        .orElse(-1);
  }

  /**
   * INA219 bus voltage: register 0x02, bits 15..3 in 4 mV steps (datasheet: "Bus Voltage
   * Register"); NaN without the sensor or when it does not answer.
   */
  public double batteryVolts() {
    if (ina219 == null) {
      return Double.NaN;
    }
    try {
      byte[] raw = new byte[2];
      ina219.read(0x02, raw);
      int value = (raw[0] & 0xFF) << 8 | (raw[1] & 0xFF);
      if ((value & 0x01) != 0) {
        return Double.NaN; // OVF: the reading overflowed, it means nothing
      }
      return (value >> 3) * 0.004;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static Optional<String> readTrimmed(Path file) {
    try {
      return Optional.of(Files.readString(file).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (ina219 != null) {
      ina219.close();
    }
  }
}
