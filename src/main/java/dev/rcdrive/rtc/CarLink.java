package dev.rcdrive.rtc;

import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;

/**
 * The car's end of one driver's peer connection, whichever engine makes it: webrtc-java's {@link
 * PeerLink} (software encoding) or GStreamer's webrtcbin (hardware H.264, package {@code gst}). The
 * wire is the same either way: the driver offers receive-only video and the "control" and
 * "telemetry" data channels, the car answers; trickle ICE; ICE restarts arrive as new offers.
 * Events come through a {@link PeerLink.Listener}, on the engine's threads.
 */
public interface CarLink extends AutoCloseable {

  /** Applies the driver's offer (the first one, a renegotiation or an ICE restart). */
  void applyRemote(SignalMessage description);

  /**
   * Whether this description comes from the peer connection already linked (the same DTLS
   * certificate, ADR 0015): a renegotiation or ICE restart, not a new driver. False before any
   * remote description.
   */
  boolean isSamePeer(SignalMessage description);

  /** Adds a trickled remote candidate; held back until the remote description is set. */
  void addRemoteCandidate(Candidate candidate);

  /** Sends one message on a data channel; false when it is not open. Never blocks. */
  boolean send(PeerLink.Channel channel, byte[] message);

  boolean isOpen(PeerLink.Channel channel);

  /**
   * The video sender's counters for the driver's stage breakdown, where the link keeps them itself
   * (the hardware path); null where the agent reads them from the engine's stats (webrtc-java).
   */
  default SenderStatsFrame senderStats() {
    return null;
  }

  /** Closes the connection; the listener then hears {@link PeerLink.State#CLOSED}. */
  @Override
  void close();
}
