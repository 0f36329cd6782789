package dev.rcdrive.agent.camera;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.I420Image;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raspberry Pi camera through libcamera: {@code rpicam-vid --codec yuv420 -o -} as a child
 * process, its stdout read one I420 frame ({@code w × h × 3/2} bytes) at a time straight into the
 * planes of a reused image, on the camera's own thread. The Java counterpart of picamera2, without
 * Python: libcamera does the ISP work, WebRTC does the encoding.
 *
 * <p>If the process dies (camera cable, libcamera crash), it is restarted with exponential backoff
 * and {@link #health()} says RESTARTING meanwhile; a run that lasted long enough resets the
 * backoff. A missing program is an error at construction, before the car registers.
 */
public final class RpicamCamera implements CameraSource {

  private static final Logger log = LoggerFactory.getLogger(RpicamCamera.class);
  private static final int STDERR_LINES = 20;

  /** Restart delays: {@code initialMs}, doubling up to {@code maxMs}; reset after a good run. */
  public record Backoff(long initialMs, long maxMs, long healthyRunMs) {
    public static final Backoff DEFAULT = new Backoff(500, 10_000, 10_000);
  }

  private final AgentConfig.Camera config;
  private final List<String> command;
  private final Backoff backoff;
  private final boolean stamp;
  private final I420Image image;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private volatile Health health = Health.STARTING;
  private volatile Process process;
  private volatile boolean closed;
  private volatile long restarts;
  private volatile long frames;
  private Thread reader;

  /**
   * @param stamp write a {@link FrameStamp} into the top rows (for glass-to-glass figures)
   * @throws IllegalStateException when the camera program cannot be found
   */
  public RpicamCamera(
      AgentConfig.Camera config, List<Path> searchPath, Backoff backoff, boolean stamp) {
    Path program =
        CameraProgram.find(config.command(), searchPath)
            .orElseThrow(() -> new IllegalStateException(CameraProgram.notFound(config.command())));
    this.config = config;
    this.command = command(program.toString(), config);
    this.backoff = backoff;
    this.stamp = stamp;
    this.image = new I420Image(config.width(), config.height());
  }

  /** rpicam-vid's arguments for raw I420 on stdout, no preview, no time limit. */
  static List<String> command(String program, AgentConfig.Camera c) {
    List<String> args = new ArrayList<>();
    args.add(program);
    args.addAll(List.of("--nopreview", "--timeout", "0", "--codec", "yuv420"));
    args.addAll(List.of("--width", Integer.toString(c.width())));
    args.addAll(List.of("--height", Integer.toString(c.height())));
    args.addAll(List.of("--framerate", Integer.toString(c.fps())));
    if (c.rotation() != 0) {
      args.addAll(List.of("--rotation", Integer.toString(c.rotation())));
    }
    if (c.hflip()) {
      args.add("--hflip");
    }
    if (c.vflip()) {
      args.add("--vflip");
    }
    if (c.exposure() != null) {
      args.addAll(List.of("--exposure", c.exposure().toLowerCase(Locale.ROOT)));
    }
    if (c.awb() != null) {
      args.addAll(List.of("--awb", c.awb().toLowerCase(Locale.ROOT)));
    }
    args.addAll(c.extraArgs());
    // --flush: write each frame out at once, never hold one in a buffer (latency)
    args.addAll(List.of("--flush", "--output", "-"));
    return List.copyOf(args);
  }

  public List<String> command() {
    return command;
  }

  @Override
  public void start(FrameConsumer consumer) {
    reader = new Thread(() -> run(consumer), "camera-rpicam");
    reader.setDaemon(true);
    reader.setPriority(Thread.MAX_PRIORITY);
    reader.start();
  }

  private void run(FrameConsumer consumer) {
    long delay = backoff.initialMs();
    while (!closed) {
      long started = System.nanoTime();
      long framesBefore = frames;
      try {
        readFrames(consumer);
      } catch (IOException e) {
        if (!closed) {
          log.warn("camera: {}", e.getMessage());
        }
      }
      if (closed) {
        break;
      }
      int exit = stop();
      long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (ranMs >= backoff.healthyRunMs() && frames > framesBefore) {
        delay = backoff.initialMs();
      }
      health = Health.RESTARTING;
      restarts++;
      log.warn(
          "camera process exited ({}) after {} ms; restarting in {} ms. Its last words: {}",
          exit,
          ranMs,
          delay,
          stderrTail());
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        break;
      }
      delay = Math.min(backoff.maxMs(), delay * 2);
    }
    stop();
  }

  private void readFrames(FrameConsumer consumer) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process started = builder.start();
    started(started);
    drainStderr(started.getErrorStream());
    InputStream in = started.getInputStream();
    while (!closed) {
      if (!readFully(in, image.y()) || !readFully(in, image.u()) || !readFully(in, image.v())) {
        throw new IOException("camera output ended");
      }
      long captureNanos = System.nanoTime();
      if (stamp) {
        new FrameStamp(frames, FrameStamp.tenthsOfMillis(RenderedCamera.epochMicros()))
            .writeInto(image);
      }
      frames++;
      health = Health.RUNNING;
      try {
        consumer.onFrame(image, captureNanos);
      } catch (RuntimeException e) {
        log.warn("camera frame failed", e); // the encoder's problem, not the camera's
      }
    }
  }

  /** False at end of stream; a partial frame at the end is dropped. */
  private static boolean readFully(InputStream in, byte[] plane) throws IOException {
    return in.readNBytes(plane, 0, plane.length) == plane.length;
  }

  private void drainStderr(InputStream err) {
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  log.debug("rpicam: {}", line);
                  synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                      stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "camera-rpicam-stderr");
    drain.setDaemon(true);
    drain.start();
  }

  private String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "(nothing)" : String.join(" | ", stderrTail);
    }
  }

  /**
   * Ends the process and any children it has (a wrapper script's hold stdout too): TERM, then KILL
   * after a second; waits for them all. Returns the process's exit code or -1.
   */
  private synchronized int stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return -1;
    }
    // Only a live process's children are its own (a dead one's pid could be reused).
    List<ProcessHandle> children = p.isAlive() ? p.descendants().toList() : List.of();
    children.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(1, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(1, TimeUnit.SECONDS);
      }
      for (ProcessHandle child : children) {
        try {
          child.onExit().get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          child.destroyForcibly();
        }
      }
      return p.isAlive() ? -1 : p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private synchronized void started(Process p) {
    process = p;
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public long restarts() {
    return restarts;
  }

  public long frames() {
    return frames;
  }

  @Override
  public String describe() {
    return "rpicam "
        + config.width()
        + "x"
        + config.height()
        + "@"
        + config.fps()
        + " ("
        + command.get(0)
        + ")";
  }

  @Override
  public void close() {
    closed = true;
    stop(); // its stdout closes: the reader wakes up and sees closed
    if (reader != null) {
      reader.interrupt();
      try {
        reader.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop(); // one the reader may have started meanwhile
  }
}
