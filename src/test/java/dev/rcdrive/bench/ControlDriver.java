package dev.rcdrive.bench;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingClient;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A driver for the control round trip, built from the station's own pieces: signaling as a driver,
 * a driver-side {@link PeerLink}, and the station's {@link ControlLoop} (50 Hz plus on change)
 * sending over the "control" channel. Telemetry is timed on arrival and decoded exactly as {@code
 * DriverSession} does, then handed to the bench. No UI, no stats polling, no video sink work.
 */
final class ControlDriver implements AutoCloseable {

  /** A decoded telemetry frame and System.nanoTime() at its arrival (before decoding). */
  @FunctionalInterface
  interface TelemetrySink {
    void onTelemetry(TelemetryFrame frame, long receivedNanos);
  }

  private final RtcEngine engine;
  private final TelemetrySink sink;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "bench-driver");
            t.setDaemon(true);
            return t;
          });
  private final SignalingClient signaling;
  private final AtomicReference<DriveIntent> intent = new AtomicReference<>(DriveIntent.NEUTRAL);
  private final ControlLoop control;
  private volatile PeerLink link;

  ControlDriver(RtcEngine engine, URI server, String token, TelemetrySink sink) {
    this.engine = engine;
    this.sink = sink;
    this.signaling =
        SignalingClient.connect(
            server,
            Hello.driver(token, "rcdrive-bench"),
            message -> thread.execute(() -> onSignal(message)));
    this.control =
        ControlLoop.start(
            intent::get,
            bytes -> {
              PeerLink current = link;
              return current != null && current.send(PeerLink.Channel.CONTROL, bytes);
            });
  }

  /** Asks for the car once signaling is ready, and waits for the control channel to open. */
  void driveAndAwaitOpen(String carId, long timeoutMillis) throws TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (signaling.state() != SignalingClient.State.READY) {
      pause(deadline, "signaling not ready");
    }
    signaling.send(new Drive(carId));
    while (link == null || !link.isOpen(PeerLink.Channel.CONTROL)) {
      pause(deadline, "control channel not open");
    }
  }

  private static void pause(long deadline, String what) throws TimeoutException {
    if (System.nanoTime() > deadline) {
      throw new TimeoutException(what);
    }
    LockSupport.parkNanos(1_000_000);
  }

  void setIntent(DriveIntent next) {
    if (!next.equals(intent.getAndSet(next))) {
      control.changed();
    }
  }

  private void onSignal(SignalMessage message) {
    if (message instanceof Granted) {
      link =
          engine.newLink(
              PeerLink.Side.DRIVER,
              LinkOptions.defaults().withIceServers(signaling.welcome().iceServers()),
              new PeerLink.Listener() {
                @Override
                public void onLocalDescription(SignalMessage description) {
                  signaling.send(description);
                }

                @Override
                public void onLocalCandidate(Candidate candidate) {
                  signaling.send(candidate);
                }

                @Override
                public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
                  if (channel != PeerLink.Channel.TELEMETRY) {
                    return;
                  }
                  long received = System.nanoTime();
                  Decoded<TelemetryFrame> decoded = TelemetryFrame.decode(data);
                  if (decoded instanceof Decoded.Ok<TelemetryFrame> ok) {
                    sink.onTelemetry(ok.value(), received);
                  }
                }
              });
      link.start();
    } else if (message instanceof Answer answer && link != null) {
      link.applyRemote(answer);
    } else if (message instanceof Candidate candidate && link != null) {
      link.addRemoteCandidate(candidate);
    }
  }

  /** The neutral frame, then the link, then signaling. */
  @Override
  public void close() throws Exception {
    control.close();
    thread
        .submit(
            () -> {
              PeerLink current = link;
              link = null;
              if (current != null) {
                current.close();
              }
            })
        .get(5, TimeUnit.SECONDS);
    signaling.close();
    thread.shutdownNow();
  }
}
