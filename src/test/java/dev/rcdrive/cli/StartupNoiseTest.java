package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** JavaFX's two start-up lines go; every other line, and a last line without newline, stays. */
class StartupNoiseTest {

  @Test
  void onlyTheTwoJavaFxLinesAreDropped() {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    PrintStream target = new PrintStream(seen, true, StandardCharsets.UTF_8);
    StartupNoise.LineFilter filter = new StartupNoise.LineFilter(target);
    PrintStream err = new PrintStream(filter, true, StandardCharsets.UTF_8);

    err.println("Setting PULSE_DURATION to 240 hz");
    err.println("12:00:00.000 INFO  [main] Demo: car started");
    err.print("WARNING: Unsupported JavaFX configuration: classes were loaded from 'unnamed'\n");
    err.println("Unsupported JavaFX configuration: classes were loaded from 'unnamed module @1'");
    err.print("Exception in thread \"main\" java.lang.Error: °C"); // no newline yet
    err.close();

    assertThat(seen.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "12:00:00.000 INFO  [main] Demo: car started\n"
                + "WARNING: Unsupported JavaFX configuration: classes were loaded from 'unnamed'\n"
                + "Exception in thread \"main\" java.lang.Error: °C");
  }

  @Test
  void javaFxsLoggerLosesTheWarningButKeepsTheRest() {
    Logger javafx = Logger.getLogger("javafx");
    List<String> published = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            published.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    javafx.addHandler(handler);
    PrintStream stderr = StartupNoise.quiet();
    try {
      javafx.warning("Unsupported JavaFX configuration: classes were loaded from 'unnamed module'");
      javafx.warning("CSS error parsing app.css");
    } finally {
      StartupNoise.restore(stderr);
      javafx.removeHandler(handler);
    }

    assertThat(published).containsExactly("CSS error parsing app.css");
    assertThat(System.err).isSameAs(stderr);
  }
}
