package dev.rcdrive.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Two lines JavaFX writes at every start that tell a driver nothing: "Setting PULSE_DURATION to 240
 * hz" (printed by JavaFX itself when {@code javafx.animation.pulse} is set, which the station does
 * for latency) and "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'"
 * (its warning when JavaFX runs from the class path, as our launchers do on purpose: one class path
 * for the station, the agent and the server). Only those two are dropped; every other line passes
 * untouched. The station's command wraps its whole run in it: JavaFX prints the first one from its
 * own thread while it starts.
 */
final class StartupNoise {

  static final List<String> DROPPED =
      List.of("Setting PULSE_DURATION to ", "Unsupported JavaFX configuration");

  /** Held so that the filter outlives garbage collection (JUL keeps loggers weakly). */
  private static final Logger JAVAFX = Logger.getLogger("javafx");

  private StartupNoise() {}

  /** Drops the two lines from JavaFX's logger and from stderr; returns stderr as it was. */
  static PrintStream quiet() {
    Filter previous = JAVAFX.getFilter();
    JAVAFX.setFilter(
        record ->
            (record.getMessage() == null || !isNoise(record.getMessage()))
                && (previous == null || previous.isLoggable(record)));
    PrintStream original = System.err;
    System.setErr(new PrintStream(new LineFilter(original), true, stderrCharset()));
    return original;
  }

  /** Puts stderr back (anything held for want of a newline goes out first). */
  static void restore(PrintStream original) {
    PrintStream filtered = System.err;
    System.setErr(original);
    if (filtered != original) {
      filtered.flush();
      filtered.close(); // writes a partial line out through LineFilter.close
    }
  }

  /** What System.err encodes with on Java 17 (18+ would say {@code PrintStream.charset()}). */
  private static Charset stderrCharset() {
    String name = System.getProperty("sun.stderr.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException unknown) {
      return Charset.defaultCharset();
    }
  }

  static boolean isNoise(String line) {
    return DROPPED.stream().anyMatch(line::startsWith);
  }

  /** Passes whole lines on, except the noise. */
  static final class LineFilter extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineFilter(PrintStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        target.write(line.toByteArray(), 0, line.size());
        line.reset();
      }
      target.flush();
    }

    private void emit() {
      // the two lines are ASCII: any encoding's bytes of them read the same in ISO-8859-1
      if (!isNoise(line.toString(StandardCharsets.ISO_8859_1))) {
        target.write(line.toByteArray(), 0, line.size());
        target.flush();
      }
      line.reset();
    }
  }
}
