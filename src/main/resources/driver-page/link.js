// The driver's peer connection (docs/protocol.md section 3), as dev.rcdrive.rtc.PeerLink's driver
// side: a receive-only video transceiver with VP8 first, the "control" and "telemetry" data
// channels (both unordered, no retransmits: a late frame is worthless), trickle ICE both ways,
// ICE restarts, and the figures the HUD shows from getStats().

/** An interrupted link gets an ICE restart after 2 s, then after 4, 8, 8 … s (DriverSession). */
export const ICE_RESTART_AFTER_MS = 2000;
export const ICE_RESTART_MAX_MS = 8000;

/** How long to wait before the next ICE restart, after this many restarts already made. */
export function iceRestartDelay(restartsSoFar) {
  if (restartsSoFar <= 0) {
    return ICE_RESTART_AFTER_MS;
  }
  return Math.min(ICE_RESTART_MAX_MS, ICE_RESTART_AFTER_MS * 2 ** Math.min(restartsSoFar, 4));
}

/** A control frame waiting in the channel's buffer is already late: send no more behind it. */
const MAX_BUFFERED_BYTES = 4 * 23;

export class DriverLink {
  /**
   * @param options.iceServers from the server's welcome
   * @param options.codec the video codec to ask the car for (VP8: docs/benchmarks.md)
   * @param listener {onSignal(message), onState(state), onTelemetry(ArrayBuffer, receivedMs),
   *     onTrack(MediaStream), onControlOpen(), onError(reason)}
   */
  constructor(options, listener) {
    this.listener = listener;
    this.remoteSet = false;
    this.pending = [];
    this.closed = false;
    // Chromium hides host addresses behind <uuid>.local names; the car cannot resolve them and
    // pairs through peer-reflexive candidates instead (counted for the tests that prove it).
    this.candidates = { sent: 0, mdns: 0 };
    this.offersSent = 0;
    this.pc = new RTCPeerConnection({
      iceServers: (options.iceServers ?? []).map((s) => ({
        urls: s.urls,
        username: s.username,
        credential: s.credential,
      })),
      bundlePolicy: 'max-bundle',
    });
    const transceiver = this.pc.addTransceiver('video', { direction: 'recvonly' });
    preferCodec(transceiver, options.codec ?? 'VP8');
    this.control = this.pc.createDataChannel('control', { ordered: false, maxRetransmits: 0 });
    this.telemetry = this.pc.createDataChannel('telemetry', { ordered: false, maxRetransmits: 0 });
    this.control.binaryType = 'arraybuffer';
    this.telemetry.binaryType = 'arraybuffer';
    this.control.onopen = () => listener.onControlOpen?.();
    this.control.onclose = () => listener.onChannelClosed?.('control');
    this.telemetry.onmessage = (event) => {
      const received = performance.now(); // first: the round trip ends here
      if (event.data instanceof ArrayBuffer) {
        listener.onTelemetry?.(event.data, received);
      }
    };
    this.pc.ontrack = (event) => {
      listener.onTrack?.(event.streams[0] ?? new MediaStream([event.track]));
    };
    this.pc.onicecandidate = (event) => {
      if (this.closed) {
        return;
      }
      const c = event.candidate;
      if (c === null) {
        listener.onSignal({ type: 'candidate', candidate: '', sdpMid: '0', sdpMLineIndex: 0 });
      } else if (c.candidate) {
        this.candidates.sent++;
        if (/ [0-9a-f-]+\.local /i.test(c.candidate)) {
          this.candidates.mdns++;
        }
        listener.onSignal({
          type: 'candidate',
          candidate: c.candidate,
          sdpMid: c.sdpMid ?? undefined,
          sdpMLineIndex: c.sdpMLineIndex ?? undefined,
        });
      }
    };
    this.pc.onconnectionstatechange = () => listener.onState?.(this.pc.connectionState);
  }

  /** Makes and sends the offer. */
  async start() {
    await this.offer(false);
  }

  /** A new offer with fresh ICE credentials, to recover from a changed network. */
  async restartIce() {
    await this.offer(true);
  }

  async offer(iceRestart) {
    try {
      const offer = await this.pc.createOffer({ iceRestart });
      if (this.closed) {
        return;
      }
      await this.pc.setLocalDescription(offer);
      this.offersSent++;
      this.listener.onSignal({ type: 'offer', sdp: this.pc.localDescription.sdp });
    } catch (e) {
      this.listener.onError?.(`could not make an offer: ${e.message}`);
    }
  }

  /** The car's answer; then the candidates that came before it. */
  async applyAnswer(sdp) {
    if (this.closed) {
      return;
    }
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      this.remoteSet = true;
      const queued = this.pending;
      this.pending = [];
      for (const c of queued) {
        await this.addCandidateNow(c);
      }
    } catch (e) {
      // An answer to an offer already replaced (two ICE restarts crossed): the next one fixes it.
      this.listener.onError?.(`the car's answer was refused: ${e.message}`);
    }
  }

  async addCandidate(candidate) {
    if (this.closed || !candidate.candidate) {
      return; // no end-of-candidates marker is needed to finish the checks
    }
    if (!this.remoteSet) {
      this.pending.push(candidate);
      return;
    }
    await this.addCandidateNow(candidate);
  }

  async addCandidateNow(c) {
    try {
      await this.pc.addIceCandidate({
        candidate: c.candidate,
        sdpMid: c.sdpMid ?? null,
        sdpMLineIndex: c.sdpMLineIndex ?? null,
      });
    } catch (e) {
      console.warn('rcdrive: a candidate of the car was refused:', e.message);
    }
  }

  /** One control frame; false when the channel cannot take it now (the next one supersedes it). */
  send(bytes) {
    const dc = this.control;
    if (this.closed || dc.readyState !== 'open' || dc.bufferedAmount > MAX_BUFFERED_BYTES) {
      return false;
    }
    try {
      dc.send(bytes);
      return true;
    } catch (e) {
      return false;
    }
  }

  state() {
    return this.pc.connectionState;
  }

  /** Figures for the HUD: video, loss, jitter, and which candidates the selected pair uses. */
  async stats() {
    const report = await this.pc.getStats();
    const out = {
      framesDecoded: 0,
      framesDropped: 0,
      bytesReceived: 0,
      packetsReceived: 0,
      packetsLost: 0,
      jitterMs: NaN,
      width: 0,
      height: 0,
      decoder: '',
      local: '',
      remote: '',
      pairRttMs: NaN,
    };
    let pairId = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.framesDecoded = s.framesDecoded ?? 0;
        out.framesDropped = s.framesDropped ?? 0;
        out.bytesReceived = s.bytesReceived ?? 0;
        out.packetsReceived = s.packetsReceived ?? 0;
        out.packetsLost = Math.max(0, s.packetsLost ?? 0);
        out.jitterMs = (s.jitter ?? NaN) * 1000;
        out.width = s.frameWidth ?? 0;
        out.height = s.frameHeight ?? 0;
        out.decoder = s.decoderImplementation ?? '';
      } else if (s.type === 'transport' && s.selectedCandidatePairId) {
        pairId = s.selectedCandidatePairId;
      }
    });
    const pair = pairId ? report.get(pairId) : null;
    if (pair) {
      out.local = report.get(pair.localCandidateId)?.candidateType ?? '';
      out.remote = report.get(pair.remoteCandidateId)?.candidateType ?? '';
      out.pairRttMs = (pair.currentRoundTripTime ?? NaN) * 1000;
    }
    return out;
  }

  close() {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const dc of [this.control, this.telemetry]) {
      dc.onopen = dc.onclose = dc.onmessage = null;
      dc.close();
    }
    this.pc.onconnectionstatechange = null;
    this.pc.onicecandidate = null;
    this.pc.close();
  }
}

/** The car sends the first codec of the offer it supports: put ours first, keep the rest. */
function preferCodec(transceiver, name) {
  const caps = RTCRtpReceiver.getCapabilities?.('video');
  if (!caps || !transceiver.setCodecPreferences) {
    return;
  }
  const wanted = `video/${name}`.toLowerCase();
  const codecs = [...caps.codecs].sort(
    (a, b) => (a.mimeType.toLowerCase() === wanted ? 0 : 1) - (b.mimeType.toLowerCase() === wanted ? 0 : 1),
  );
  transceiver.setCodecPreferences(codecs);
}
