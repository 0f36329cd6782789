package dev.rcdrive.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import java.util.TimeZone;

/**
 * One log line, {@code 12:34:56.789 INFO [thread] Logger: message}, with the date in front for a
 * file, and an exception's stack trace below it: what logback's pattern {@code %d{HH:mm:ss.SSS}
 * %-5level [%thread] %logger{0}: %msg%n} wrote, by hand. The pattern layout parsed its pattern and
 * defined two dozen lambdas (outside the class-data archive) in every process, on the main thread
 * before anything else could start.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final String NEWLINE = System.lineSeparator();

  private final boolean withDate;
  private final Charset charset = Charset.defaultCharset();
  private final TimeZone zone = TimeZone.getDefault(); // getDefault() clones it at every call

  /**
   * @param withDate {@code yyyy-MM-dd } before the time (a file outlives a day)
   */
  public LogLineEncoder(boolean withDate) {
    this.withDate = withDate;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return line(event).getBytes(charset);
  }

  String line(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    long millis = event.getTimeStamp();
    long local = millis + zone.getOffset(millis);
    if (withDate) {
      java.time.LocalDate day = java.time.LocalDate.ofEpochDay(Math.floorDiv(local, 86_400_000L));
      line.append(day).append(' '); // ISO: yyyy-MM-dd
    }
    long ofDay = Math.floorMod(local, 86_400_000L);
    digits(line, ofDay / 3_600_000, 2).append(':');
    digits(line, ofDay / 60_000 % 60, 2).append(':');
    digits(line, ofDay / 1000 % 60, 2).append('.');
    digits(line, ofDay % 1000, 3).append(' ');
    String level = event.getLevel().toString();
    line.append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
    line.append(" [").append(event.getThreadName()).append("] ");
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ");
    line.append(event.getFormattedMessage()).append(NEWLINE);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)); // ends with its own line break
    }
    return line.toString();
  }

  /** {@code value} (not negative) with leading zeros to {@code width} digits. */
  private static StringBuilder digits(StringBuilder line, long value, int width) {
    for (long limit = 10; width > 1; width--, limit *= 10) {
      if (value < limit) {
        line.append('0');
      }
    }
    return line.append(value);
  }
}
