package dev.rcdrive.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signaling server under test, run by {@code rcdrive signal} in a JVM of its own so that its
 * heap and resident memory are measured apart from the load generator's. The process is killed by
 * {@link #close()} and, should the benchmark die first, by a shutdown hook.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on (ws://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
  private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$");
  private static final Pattern GC_COUNTER =
      Pattern.compile("^sun\\.gc\\.collector\\.\\d+\\.(invocations|time)=(\\d+)$");
  private static final Pattern TICKS_PER_SECOND =
      Pattern.compile("^sun\\.os\\.hrt\\.frequency=(\\d+)$");
  private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Thread killOnExit;
  private final URI uri;
  private final Path log;

  /** Memory of the server process at one moment. */
  record Memory(long liveHeapBytes, long residentBytes) {}

  private ServerProcess(Process process, Thread killOnExit, URI uri, Path log) {
    this.process = process;
    this.killOnExit = killOnExit;
    this.uri = uri;
    this.log = log;
  }

  /**
   * Starts {@code rcdrive signal --config FILE} on 127.0.0.1 and an ephemeral port; returns once it
   * has printed the address it listens on. The server's log (stderr) goes to {@code log}, its GC
   * log to {@code gcLog}.
   */
  static ServerProcess start(Path config, Path log, Path gcLog, Duration startTimeout)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            javaTool("java"),
            "-Xmx1g",
            // Pauses in here show up as relay latency: keep a record to tell them apart.
            "-Xlog:gc:file=" + gcLog,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rcdrive.cli.Main",
            "signal",
            "--config",
            config.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            "0");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    Thread killOnExit = new Thread(process::destroyForcibly, "bench-server-killer");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    ServerProcess server = null;
    try {
      URI uri = URI.create(awaitListening(process, startTimeout));
      server = new ServerProcess(process, killOnExit, uri, log);
      return server;
    } finally {
      if (server == null) {
        stop(process, killOnExit);
      }
    }
  }

  URI uri() {
    return uri;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Live heap and RSS. {@code GC.class_histogram} runs a full GC before it counts, so its total is
   * the bytes of reachable objects, free of garbage that merely has not been collected yet.
   */
  Memory memory() throws IOException, InterruptedException {
    long liveHeap = -1;
    for (String line : jcmd("GC.class_histogram")) {
      Matcher total = HISTOGRAM_TOTAL.matcher(line);
      if (total.matches()) {
        liveHeap = Long.parseLong(total.group(2));
      }
    }
    if (liveHeap < 0) {
      throw new IOException("jcmd GC.class_histogram printed no Total line");
    }
    return new Memory(liveHeap, residentBytes());
  }

  /** CPU time the server has used so far, user and system. */
  Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The server's GC pauses so far (young, full and concurrent-cycle), from its perf counters. */
  GcPauses gcPauses() throws IOException, InterruptedException {
    long count = 0;
    long ticks = 0;
    long ticksPerSecond = 1_000_000_000;
    for (String line : jcmd("PerfCounter.print")) {
      Matcher counter = GC_COUNTER.matcher(line);
      Matcher frequency = TICKS_PER_SECOND.matcher(line);
      if (counter.matches() && counter.group(1).equals("invocations")) {
        count += Long.parseLong(counter.group(2));
      } else if (counter.matches()) {
        ticks += Long.parseLong(counter.group(2));
      } else if (frequency.matches()) {
        ticksPerSecond = Long.parseLong(frequency.group(1));
      }
    }
    return new GcPauses(count, (long) (ticks * (1e9 / ticksPerSecond)));
  }

  private long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      Matcher rss = VM_RSS.matcher(line);
      if (rss.matches()) {
        return Long.parseLong(rss.group(1)) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid() + "/status");
  }

  private List<String> jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(javaTool("jcmd"), Long.toString(pid()), command)
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    if (!jcmd.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      jcmd.destroyForcibly();
      throw new IOException("jcmd " + command + " took over " + JCMD_TIMEOUT);
    }
    if (jcmd.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + String.join("\n", lines));
    }
    return lines;
  }

  @Override
  public void close() throws InterruptedException {
    stop(process, killOnExit);
  }

  private static void stop(Process process, Thread killOnExit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it only kills what is already dead
    }
  }

  /**
   * Reads the server's stdout until it names its address; a daemon thread keeps draining it after
   * that, so the server never blocks on a full pipe.
   */
  private static String awaitListening(Process process, Duration timeout)
      throws IOException, InterruptedException {
    CompletableFuture<String> address = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    address.complete(listening.group(1));
                  }
                }
              } catch (IOException e) {
                address.completeExceptionally(e);
              }
              address.completeExceptionally(
                  new IOException("server exited before listening; see its log"));
            },
            "bench-server-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      return address.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("server did not start listening within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  Path log() {
    return log;
  }

  private static String javaTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }
}
