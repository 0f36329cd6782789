package dev.rcdrive.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM child process running one of this package's mains (the car, a driver), inside a namespace
 * or not, with the test's own class path. Its {@code EVT <nanoTime> ...} lines are collected as
 * {@link Event}s; everything else it prints is kept for failure messages.
 */
public final class Child implements AutoCloseable {

  /** One report line: when it happened (the child's System.nanoTime()) and what. */
  public record Event(long nanos, String kind, String text) {}

  private final String name;
  private final Process process;
  private final List<Event> events = new ArrayList<>();
  private final List<String> output = new ArrayList<>();

  private Child(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::read, name + "-out");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args}, wrapped by {@code prefix} (e.g. ip netns exec). */
  public static Child start(String name, List<String> prefix, Class<?> main, List<String> args)
      throws IOException {
    return start(name, prefix, List.of("-Xmx384m"), java.util.Map.of(), main, args);
  }

  /** As {@link #start(String, List, Class, List)}, with JVM options and environment variables. */
  public static Child start(
      String name,
      List<String> prefix,
      List<String> jvmOptions,
      java.util.Map<String, String> env,
      Class<?> main,
      List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-Drcdrive.log=" + System.getProperty("faults.childLog", "warn"),
            "-cp",
            classPath(),
            main.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new Child(name, builder.start());
  }

  /** Writes a line to the child's stdin (its commands). */
  public void tell(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The process itself, to wait for its end and read its exit status. */
  public Process process() {
    return process;
  }

  /** Surefire and failsafe put the real test class path here (java.class.path may be a jar). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (this) {
          if (line.startsWith("EVT ")) {
            String[] parts = line.split(" ", 4);
            events.add(
                new Event(Long.parseLong(parts[1]), parts[2], parts.length > 3 ? parts[3] : ""));
          } else if (output.size() < 2000) {
            output.add(line);
          }
          notifyAll();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the child is gone
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The first event at or after {@code afterNanos} that matches, waiting up to {@code timeout}. */
  public synchronized Event await(
      String kind, Predicate<String> match, long afterNanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int from = 0;
    while (true) {
      for (int i = from; i < events.size(); i++) {
        Event e = events.get(i);
        if (e.nanos() >= afterNanos && e.kind().equals(kind) && match.test(e.text())) {
          return e;
        }
      }
      from = events.size();
      long left = deadline - System.nanoTime();
      if (left <= 0 || !process.isAlive() && from == events.size()) {
        throw new AssertionError(
            name + ": no " + kind + " event matching within " + timeout + describe());
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  /** The newest event of a kind, or null. */
  public synchronized Event latest(String kind) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).kind().equals(kind)) {
        return events.get(i);
      }
    }
    return null;
  }

  /** What the child printed, for a failure message. */
  public synchronized String describe() {
    List<String> tail = output.subList(Math.max(0, output.size() - 40), output.size());
    List<Event> lastEvents = events.subList(Math.max(0, events.size() - 10), events.size());
    return "\n--- "
        + name
        + " (alive "
        + process.isAlive()
        + ") output:\n"
        + String.join("\n", tail)
        + "\n--- last events:\n"
        + lastEvents;
  }

  /** SIGKILL: the process vanishes with no chance to say goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    try {
      OutputStream in = process.getOutputStream();
      in.write("quit\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      // already closing
    }
    if (!process.waitFor(8, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
