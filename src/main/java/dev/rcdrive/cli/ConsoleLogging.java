package dev.rcdrive.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * rcdrive's logging, set up in code (logback finds it through META-INF/services): console only, on
 * standard error, level from {@code -Drcdrive.log} (default info). Asynchronous and never blocking:
 * a slow terminal must not stall the signaling hub or the car's control thread, which log while
 * they work. Secrets are never logged (see Secrets). In code rather than a logback.xml because
 * parsing XML made logback's start cost ~100 ms of every start, the car's and the station's
 * (docs/benchmarks.md, "Start-up, a fourth time"); lines by {@link LogLineEncoder}, not logback's
 * pattern layout, for the same reason. {@code -Dlogback.configurationFile} still takes a file of
 * one's own instead.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file, read by logback
    }
    LogLineEncoder encoder = new LogLineEncoder(false);
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(4096);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(System.getProperty("rcdrive.log")));
    root.addAppender(async);
    // Java-WebSocket logs whole frames at TRACE, hello credentials included: never below INFO,
    // whatever rcdrive.log says (SecretsInLogsTest runs everything else at TRACE).
    context.getLogger("org.java_websocket").setLevel(Level.INFO);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The root level for {@code -Drcdrive.log}: a logback level name, info when unset or unknown. */
  static Level level(String name) {
    return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
  }
}
