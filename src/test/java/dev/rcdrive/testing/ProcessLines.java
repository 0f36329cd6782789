package dev.rcdrive.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waiting for a line in a child process's output: a server's address, an agent's "READY". */
public final class ProcessLines {

  private ProcessLines() {}

  /**
   * The first group of the first line that matches, or null when the output ends first. Throws a
   * TimeoutException after {@code timeout}: a test fails, never hangs, when nothing comes.
   */
  public static String first(Process process, Pattern pattern, Duration timeout) throws Exception {
    return first(process, pattern, timeout, matchedAt -> {});
  }

  /** As {@link #first(Process, Pattern, Duration)}, telling {@code matchedAt} its nanoTime. */
  public static String first(
      Process process, Pattern pattern, Duration timeout, LongConsumer matchedAt) throws Exception {
    String line = line(process, pattern, timeout, matchedAt);
    if (line == null) {
      return null;
    }
    Matcher matcher = pattern.matcher(line);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** The whole first line that matches, or null when the output ends first. */
  public static String line(
      Process process, Pattern pattern, Duration timeout, LongConsumer matchedAt) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (pattern.matcher(line).find()) {
                    matchedAt.accept(System.nanoTime());
                    return line;
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              return null;
            })
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
