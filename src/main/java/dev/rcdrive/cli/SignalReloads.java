package dev.rcdrive.cli;

import dev.rcdrive.signaling.FileChanges;
import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
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

  /** SIGHUP through the JDK's (unsupported but long-stable) signal API, where there is one. */
  @SuppressWarnings("restriction")
  private void onHangup() {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"), signal -> thread.execute(() -> reload("SIGHUP")));
    } catch (IllegalArgumentException | LinkageError e) {
      log.info("no SIGHUP on this system ({}); reloads follow file changes only", e.getMessage());
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

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
