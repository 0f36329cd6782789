package dev.rcdrive.agent.telemetry;

import dev.rcdrive.agent.host.SearchPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a status command and returns what it printed; empty when it is absent, fails or hangs. */
@FunctionalInterface
public interface Commands {

  Optional<String> run(List<String> command);

  /** The system's: looks the program up on the PATH first, gives it two seconds. */
  static Commands system() {
    return command -> {
      Optional<Path> program = SearchPath.find(List.of(command.get(0)), SearchPath.system());
      if (program.isEmpty()) {
        return Optional.empty();
      }
      List<String> argv = new ArrayList<>(command);
      argv.set(0, program.get().toString());
      try {
        Process process =
            new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return Optional.empty();
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }
}
