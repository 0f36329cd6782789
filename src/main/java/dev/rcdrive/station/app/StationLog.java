package dev.rcdrive.station.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.dirs.ProjectDirectories;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The station's log file: a desktop app started from a menu has no terminal, so its log also goes
 * to {@code station.log} in the per-user data folder ({@code ~/.local/share/rcdrive/logs} on Linux;
 * {@code -Drcdrive.logDir} overrides it), three files of 5 MB at most.
 */
public final class StationLog {

  private StationLog() {}

  /** The folder the log file goes to. */
  public static Path folder() {
    String override = System.getProperty("rcdrive.logDir");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return Path.of(ProjectDirectories.from("dev", "rcdrive", "rcdrive").dataLocalDir, "logs");
  }

  /**
   * Adds the file to what logback writes, each line by {@code encoder}; returns it, or null when it
   * cannot be written.
   */
  public static Path toFile(Encoder<ILoggingEvent> encoder) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    Path file = folder().resolve("station.log");
    encoder.setContext(context);
    encoder.start();

    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName("STATION_FILE_WRITER");
    appender.setFile(file.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(folder().resolve("station.%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(2);
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf("5MB"));
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      return null; // logback said why on the console (e.g. a folder it may not write)
    }
    // As the console: asynchronous and never blocking, so a slow disk cannot stall a thread that
    // logs while it drives.
    ch.qos.logback.classic.AsyncAppender async = new ch.qos.logback.classic.AsyncAppender();
    async.setContext(context);
    async.setName("STATION_FILE");
    async.setQueueSize(4096);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(appender);
    async.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);
    return file;
  }
}
