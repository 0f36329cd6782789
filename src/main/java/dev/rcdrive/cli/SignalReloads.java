package dev.rcdrive.cli;

import dev.rcdrive.signaling.FileChanges;
import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a running signaling server re-read its configuration: SIGHUP ({@code systemctl reload
 * rcdrive-signal}, certbot's deploy hook) and a change to the config file or the certificate files
 * (seen within {@link #POLL_SECONDS}). Reloads run one at a time on one thread; a broken file is
 * logged in one line and the server carries on with what it had (docs/decisions/0017).
 */
final class SignalReloads implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SignalReloads.class);

  static final long POLL_SECONDS = 2;

  /** Builds the configuration again from the same file and flags the server started with. */
  interface Source {
    SignalingConfig build() throws InvalidConfigException;
  }

  private final Source source;
  private final SignalingServer server;
  private final FileChanges files;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "signal-reload");
            t.setDaemon(true);
            return t;
          });

  private SignalReloads(Source source, SignalingServer server, List<Path> watched) {
    this.source = source;
    this.server = server;
    this.files = new FileChanges(watched);
  }

  static SignalReloads start(Source source, SignalingServer server, List<Path> watched) {
    SignalReloads reloads = new SignalReloads(source, server, watched);
    reloads.thread.scheduleWithFixedDelay(
        reloads::pollFiles, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    reloads.onHangup();
    return reloads;
  }

  /**
   * SIGHUP through the JDK's {@code sun.misc.Signal} (module jdk.unsupported, stable since Java
   * 1.4), reached by reflection: the compiler flags the type itself, and the build treats warnings
   * as errors. A JDK without it leaves reloads to file changes, and says so.
   */
  private void onHangup() {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object hangup = signalType.getConstructor(String.class).newInstance("HUP");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      thread.execute(() -> reload("SIGHUP"));
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "reload on SIGHUP";
                  });
      Object before =
          signalType.getMethod("handle", signalType, handlerType).invoke(null, hangup, handler);
      if (before == handlerType.getField("SIG_IGN").get(null)) {
        // The JVM leaves a signal its parent ignored (nohup) ignored: no handler was installed.
        log.warn(
            "SIGHUP was ignored by whatever started this server (nohup?): reloads follow file"
                + " changes only");
      }
    } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
      log.info("no SIGHUP on this system ({}); reloads follow file changes only", e.toString());
    }
  }

  private void pollFiles() {
    if (files.changed()) {
      reload("a changed file");
    }
  }

  /** Re-reads and applies; never throws (it runs on the reload thread). */
  void reload(String why) {
    try {
      String summary = server.reload(source.build());
      log.info("reloaded after {}: {}", why, summary);
    } catch (InvalidConfigException e) {
      log.warn(
          "reload after {} refused, keeping the running configuration: {}", why, e.getMessage());
    } catch (RuntimeException e) {
      log.error("reload after {} failed, keeping the running configuration", why, e);
    }
  }

  /** No more reloads (a reload under way is interrupted). */
  void stop() {
    thread.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }
}
