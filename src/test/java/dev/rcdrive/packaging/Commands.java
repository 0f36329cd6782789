package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the packaging scripts and tools the package tests check, with a deadline. */
final class Commands {

  record Result(int exit, String out) {}

  private Commands() {}

  /**
   * Runs {@code command} (stderr into stdout) with {@code env} as name/value pairs; a command not
   * ended within the timeout is killed, with its children, and fails the test.
   */
  static Result run(List<String> command, long timeoutSeconds, String... env)
      throws IOException, InterruptedException {
    return runIn(null, command, timeoutSeconds, env);
  }

  /** {@link #run} in the folder {@code dir} (null: this process's). */
  static Result runIn(Path dir, List<String> command, long timeoutSeconds, String... env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    for (int i = 0; i + 1 < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    Process process = builder.start();
    // Read on another thread so a process that never ends cannot hang the test past its timeout.
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "";
              }
            });
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String out = output.getNow("");
    assertThat(ended).as(command + " ended within " + timeoutSeconds + " s\n" + out).isTrue();
    return new Result(process.exitValue(), output.join());
  }

  static boolean onPath(String tool) throws IOException, InterruptedException {
    return run(List.of("sh", "-c", "command -v " + tool), 10).exit() == 0;
  }
}
