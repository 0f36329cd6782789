package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPUs of the X server on {@code $DISPLAY} (an Xvfb started by {@code xvfb-run}), narrowed for
 * one station run and put back after it: a station given a core of its own shares it with the
 * server that draws its window, as on a laptop.
 */
final class XServerCpus {

  /** Nothing narrowed: nothing to put back. */
  static final XServerCpus NONE = new XServerCpus(0, null);

  private final long pid;
  private final String mask;

  private XServerCpus(long pid, String mask) {
    this.pid = pid;
    this.mask = mask;
  }

  /**
   * Gives the X server only {@code cpus} (a {@code taskset} list such as "1"); null leaves it as it
   * is. Fails when there is no X server of ours to find: a figure measured with the server on the
   * other side would be the wrong one.
   */
  static XServerCpus pin(String cpus) throws IOException, InterruptedException {
    if (cpus == null) {
      return NONE;
    }
    long pid = serverPid(System.getenv("DISPLAY"));
    String before = run("taskset", "-p", Long.toString(pid)).replaceAll("(?s).*:\\s*", "").strip();
    run("taskset", "-a", "-p", "-c", cpus, Long.toString(pid));
    return new XServerCpus(pid, before);
  }

  /** Puts the X server's CPUs back as they were. */
  void restore() throws IOException, InterruptedException {
    if (mask != null) {
      run("taskset", "-a", "-p", mask, Long.toString(pid));
    }
  }

  /** The process of the X server listening as {@code display} (":99" or ":99.0"). */
  static long serverPid(String display) throws IOException {
    if (display == null || !display.startsWith(":")) {
      throw new IllegalStateException("no local X display to pin (DISPLAY=" + display + ")");
    }
    String number = display.substring(1).replaceAll("\\..*", "");
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> isServer(p.resolve("cmdline"), ":" + number))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no X server found for display " + display));
    }
  }

  private static boolean isServer(Path cmdline, String display) {
    try {
      List<String> args =
          List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
      return args.get(0).matches(".*/?(Xvfb|Xorg)$") && args.contains(display);
    } catch (IOException e) {
      return false; // the process ended while we looked
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
    return out;
  }
}
