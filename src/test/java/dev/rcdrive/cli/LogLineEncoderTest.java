package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.TimeZone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written line is the one logback's pattern layout wrote for the former pattern. */
class LogLineEncoderTest {

  private static String byPattern(String pattern, LoggingEvent event) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(new LoggerContext());
    layout.setPattern(pattern);
    layout.start();
    return layout.doLayout(event);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Europe/Berlin | 1796622794809 | INFO  | dev.rcdrive.agent.CarAgent | agent-link    | signaling READY | false
          Europe/Berlin | 1796601599999 | WARN  | Short                      | main          | just before midnight {} | false
          UTC           | 1796601600000 | ERROR | a.b.Fail                   | worker-1      | failed          | true
          America/New_York | 1796622794007 | DEBUG | x.Y                     | t             | ünïcode ✓       | false
          Asia/Kolkata  | 1796622794070 | TRACE | x.Y                         | pool-2-thread-3 | half-hour zone | true
          """)
  void eachLineIsWhatThePatternWrote(
      String zone,
      long millis,
      String level,
      String logger,
      String thread,
      String message,
      boolean withException) {
    TimeZone before = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    try {
      LoggingEvent event = new LoggingEvent();
      event.setTimeStamp(millis);
      event.setLevel(Level.toLevel(level));
      event.setLoggerName(logger);
      event.setThreadName(thread);
      event.setMessage(message);
      event.setArgumentArray(new Object[] {"arg"});
      if (withException) {
        event.setThrowableProxy(
            new ch.qos.logback.classic.spi.ThrowableProxy(
                new IllegalStateException("broken", new java.io.IOException("cause"))));
      }

      assertThat(new LogLineEncoder(false).line(event))
          .isEqualTo(byPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n", event));
      assertThat(new LogLineEncoder(true).line(event))
          .isEqualTo(
              byPattern(
                  "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n", event));
    } finally {
      TimeZone.setDefault(before);
    }
  }
}
