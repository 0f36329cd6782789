package dev.rcdrive.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Stand-ins for the tools the neutral step runs on a Pi, as shell scripts in a directory put first
 * on the PATH: {@code i2cset -y BUS ADDR REG VALUE} writes one byte into the register file {@code
 * $RCDRIVE_FAKE_I2C/i2c-BUS-ADDR} (a {@link RegisterFile}, the same file a {@link FileI2cDevice}
 * serves to the agent), and libgpiod's {@code gpiofind}/{@code gpioset} (1.x, or 2.x without
 * gpiofind) write a line's level to {@code $RCDRIVE_FAKE_GPIO/<bcm>}. Like the real tools they fail
 * (exit 1, a message on stderr) when the device is not there.
 */
public final class FakeOutputTools {

  private FakeOutputTools() {}

  /** Writes the tools into {@code dir}; {@code libgpiod2}: the 2.x syntax, no gpiofind. */
  public static Path install(Path dir, boolean libgpiod2) throws IOException {
    Files.createDirectories(dir);
    // One process per call, like the real tool (perl is on every Debian: perl-base).
    tool(
        dir.resolve("i2cset"),
        """
        #!/usr/bin/perl
        my ($y, $bus, $addr, $reg, $value) = @ARGV;
        die "i2cset: fake needs -y\\n" unless $y eq "-y";
        my $f = "$ENV{RCDRIVE_FAKE_I2C}/i2c-$bus-$addr";
        open(my $fh, "+<", $f) or do { print STDERR "Error: Could not open file /dev/i2c-$bus\\n"; exit 1 };
        binmode $fh;
        seek($fh, oct($reg), 0);
        print $fh chr(oct($value));
        close($fh);
        """);
    if (libgpiod2) {
      tool(
          dir.resolve("gpioset"),
          """
          #!/bin/sh
          [ "$1" = -t0 ] || { echo "gpioset: this fake is libgpiod 2.x: -t0 NAME=VALUE" >&2; exit 2; }
          line=${2%=*}; value=${2#*=}
          echo "$value" > "$RCDRIVE_FAKE_GPIO/${line#GPIO}"
          """);
    } else {
      tool(
          dir.resolve("gpiofind"),
          """
          #!/bin/sh
          echo "gpiochip0 ${1#GPIO}"
          """);
      tool(
          dir.resolve("gpioset"),
          """
          #!/bin/sh
          [ "$1" = gpiochip0 ] || { echo "gpioset: no chip $1" >&2; exit 1; }
          echo "${2#*=}" > "$RCDRIVE_FAKE_GPIO/${2%=*}"
          """);
    }
    return dir;
  }

  /** The environment a process needs to find the tools and the fake devices. */
  public static Map<String, String> environment(Path tools, Path i2cDir, Path gpioDir) {
    return Map.of(
        "PATH", tools + ":" + System.getenv("PATH"),
        "RCDRIVE_FAKE_I2C", i2cDir.toString(),
        "RCDRIVE_FAKE_GPIO", gpioDir.toString());
  }

  private static void tool(Path file, String script) throws IOException {
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
