package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLoggingTest {

  @Test
  void logbackTakesItsSetupFromRcdriveAsynchronousToStandardError() {
    LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = running.getLogger(Logger.ROOT_LOGGER_NAME);
    // The root may carry a test's own appender too; ours is there by name.
    assertThat(root.getAppender("ASYNC")).isInstanceOf(AsyncAppender.class);
    AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC");
    assertThat(async.isNeverBlock()).as("a slow terminal never stalls a thread that logs").isTrue();
    assertThat(async.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<?>) async.getAppender("CONSOLE")).getTarget())
        .isEqualTo("System.err");
  }

  @Test
  void javaWebSocketNeverLogsBelowInfoWhateverTheLevel() {
    Configured configured = configureWith("rcdrive.log", "trace");
    LoggerContext context = configured.context();
    assertThat(configured.status()).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
    assertThat(context.getLogger("org.java_websocket").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("org.java_websocket.drafts.Draft_6455").isTraceEnabled())
        .as("credentials in TRACE frames")
        .isFalse();
    context.stop();
  }

  @Test
  void theLevelComesFromRcdriveLogAndIsInfoWhenUnsetOrUnknown() {
    assertThat(ConsoleLogging.level(null)).isEqualTo(Level.INFO);
    assertThat(ConsoleLogging.level(" ")).isEqualTo(Level.INFO);
    assertThat(ConsoleLogging.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(ConsoleLogging.level("WARN")).isEqualTo(Level.WARN);
    assertThat(ConsoleLogging.level("loud")).isEqualTo(Level.INFO);
  }

  @Test
  void aConfigurationFileOfOnesOwnIsLeftToLogback() {
    Configured configured = configureWith("logback.configurationFile", "/tmp/mine.xml");
    assertThat(configured.status()).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(configured.context().getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC"))
        .isNull();
    configured.context().stop();
  }

  private record Configured(LoggerContext context, ExecutionStatus status) {}

  /** ConsoleLogging on a fresh context with a system property set for the call. */
  private static Configured configureWith(String property, String value) {
    LoggerContext context = new LoggerContext();
    String before = System.getProperty(property);
    System.setProperty(property, value);
    try {
      ConsoleLogging logging = new ConsoleLogging();
      logging.setContext(context);
      return new Configured(context, logging.configure(context));
    } finally {
      restore(property, before);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
