package dev.rcdrive.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU contention on demand: N shell busy loops, each in a session of its own ({@code setsid}), so
 * the kernel schedules each as a separate group, as it does another user's build; not threads of
 * this JVM, which the scheduler would weigh inside this process's own share. Each is bounded by
 * {@code timeout} and destroyed by {@link #close()} (by its own process handle).
 */
final class BusyProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();

  BusyProcesses(int count, int maxSeconds) throws IOException {
    for (int i = 0; i < count; i++) {
      processes.add(
          new ProcessBuilder(
                  "setsid",
                  "timeout",
                  String.valueOf(maxSeconds),
                  "sh",
                  "-c",
                  "while :; do :; done")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
