package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The station's log file, for a desktop app that has no terminal. */
class StationLogTest {

  @Test
  void logLinesGoToTheFileInTheConfiguredFolder(@TempDir Path folder) throws Exception {
    String before = System.getProperty("rcdrive.logDir");
    System.setProperty("rcdrive.logDir", folder.resolve("logs").toString());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      Path file = StationLog.toFile(new dev.rcdrive.cli.LogLineEncoder(true));
      assertThat(file).isEqualTo(folder.resolve("logs").resolve("station.log"));

      LoggerFactory.getLogger(StationLogTest.class).warn("a line for the file");
      context
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .getAppender("STATION_FILE")
          .stop(); // flushes and closes

      assertThat(Files.readString(file))
          .matches(
              "(?s)\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} WARN  \\[[^]]+\\]"
                  + " StationLogTest: a line for the file\\R.*");
    } finally {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender("STATION_FILE");
      if (before == null) {
        System.clearProperty("rcdrive.logDir");
      } else {
        System.setProperty("rcdrive.logDir", before);
      }
    }
  }
}
