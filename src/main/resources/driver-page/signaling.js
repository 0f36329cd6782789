// A driver's signaling connection that stays up, as dev.rcdrive.signaling.SignalingClient: hello,
// and after any loss a reconnect with backoff and jitter that resumes the previous session
// (resumePeerId + resumeToken) and asks again for the car whose lock it held (docs/protocol.md 1.3).

const PROTOCOL_VERSION = 1;

/** Refusals after which reconnecting would only be refused again. */
const FINAL_ERRORS = new Set(['AUTH_FAILED', 'PROTOCOL_VERSION', 'REPLACED', 'REVOKED']);

/** 250 ms doubling to 10 s; each wait is half the step plus a random part of the other half. */
export function backoffDelay(attempt, random = Math.random) {
  const step = Math.min(10000, 250 * 2 ** Math.min(attempt, 20));
  return step / 2 + random() * (step / 2);
}

/** After a reconnect the car may not be back yet, or the old session not yet found dead. */
const REGAIN_EVERY_MS = 1000;
const MAX_REGAIN_ATTEMPTS = 60;

/**
 * States: 'connecting', 'ready', 'reconnecting', 'stopped' (for good: see detail).
 *
 * @param url wss://host:port/
 * @param token the driver token (never logged, never shown)
 * @param listener {onState(state, detail), onMessage(message)}
 */
export class SignalingClient {
  constructor(url, token, listener, options = {}) {
    this.url = url;
    this.token = token;
    this.listener = listener;
    this.client = options.client ?? 'rcdrive-browser';
    this.socket = null;
    this.state = 'connecting';
    this.welcome = null;
    this.previousPeerId = null;
    this.resumeToken = null;
    this.heldCarId = null;
    this.regaining = false;
    this.regainAttempts = 0;
    this.attempt = 0;
    this.closed = false;
    this.everReady = false;
    this.probeTimer = null;
    queueMicrotask(() => this.open()); // after the caller has its reference
  }

  /** Sends when connected and authenticated; false otherwise (signaling is state, resent later). */
  send(message) {
    const socket = this.socket;
    if (this.state !== 'ready' || !socket || socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.track(message);
    socket.send(JSON.stringify(message));
    return true;
  }

  /**
   * Checks at once that the server still answers (the link broke: our address may have changed,
   * which kills the socket without a word). Browsers cannot send WebSocket pings, so this asks for
   * the car list, which the server always answers; no answer within timeoutMs reconnects now.
   */
  probe(timeoutMs = 1000) {
    const socket = this.socket;
    if (this.closed || this.probeTimer !== null || !this.send({ type: 'list' })) {
      return;
    }
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (socket === this.socket && !this.closed) {
        socket.close(4000, 'no answer to a probe');
        this.onClosed(socket, 4000, 'no answer from the server within ' + timeoutMs + ' ms');
      }
    }, timeoutMs);
  }

  /** Says bye, closes, and stops reconnecting. */
  close(reason = 'client closed') {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      try {
        socket.send(JSON.stringify({ type: 'bye', reason }));
      } catch (e) {
        // already gone
      }
    }
    socket?.close(1000);
    this.setState('stopped', 'closed');
  }

  // ---- internals ------------------------------------------------------------------------------

  open() {
    if (this.closed) {
      return;
    }
    this.setState(this.everReady ? 'reconnecting' : 'connecting', this.url);
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (e) {
      this.closed = true;
      this.setState('stopped', `not a signaling URL: ${this.url}`);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket || this.closed) {
        return;
      }
      const hello = {
        type: 'hello',
        role: 'driver',
        credential: this.token,
        client: this.client,
        protocol: PROTOCOL_VERSION,
      };
      if (this.previousPeerId && this.resumeToken) {
        hello.resumePeerId = this.previousPeerId;
        hello.resumeToken = this.resumeToken;
      }
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (event) => this.onText(socket, event.data);
    socket.onclose = (event) => this.onClosed(socket, event.code, event.reason);
    socket.onerror = () => {}; // onclose follows with the code
  }

  onText(socket, text) {
    if (socket !== this.socket || this.closed) {
      return;
    }
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      console.warn('rcdrive: ignoring a message from the server that is not JSON');
      return;
    }
    if (!message || typeof message.type !== 'string') {
      return;
    }
    if (message.type === 'cars' && this.probeTimer !== null) {
      clearTimeout(this.probeTimer);
      this.probeTimer = null;
    }
    if (message.type === 'welcome') {
      this.welcome = message;
      this.previousPeerId = message.peerId;
      this.resumeToken = message.resumeToken ?? null;
      this.attempt = 0;
      this.everReady = true;
      this.setState('ready', 'peer ' + message.peerId);
      if (this.heldCarId !== null) {
        this.regaining = true;
        this.regainAttempts = 0;
        socket.send(JSON.stringify({ type: 'drive', carId: this.heldCarId }));
      }
      return;
    }
    if (this.regaining && message.type === 'denied' && message.carId === this.heldCarId) {
      if (this.retryRegain(socket, message)) {
        return; // not the driver's news yet: the car may simply not be back
      }
      this.regaining = false;
    }
    if (message.type === 'granted' && message.carId === this.heldCarId) {
      this.regaining = false;
    }
    if (message.type === 'error' && FINAL_ERRORS.has(message.code)) {
      this.closed = true; // retrying would be refused again
      this.heldCarId = null;
      this.deliver(message);
      this.setState('stopped', `${message.code}: ${message.message}`);
      socket.close(1000);
      return;
    }
    this.track(message);
    this.deliver(message);
  }

  onClosed(socket, code, reason) {
    if (socket !== this.socket) {
      return;
    }
    this.socket = null;
    if (this.probeTimer !== null) {
      clearTimeout(this.probeTimer);
      this.probeTimer = null;
    }
    if (this.closed) {
      this.setState('stopped', reason || 'closed');
      return;
    }
    const delay = backoffDelay(this.attempt++);
    const why = reason ? reason : code === 1006 ? 'cannot reach the server' : 'code ' + code;
    this.setState('reconnecting', `${why}; retrying in ${Math.round(delay)} ms`);
    setTimeout(() => this.open(), delay);
  }

  retryRegain(socket, denied) {
    const transient = denied.code === 'CAR_OFFLINE' || denied.code === 'CAR_BUSY';
    if (!transient || this.regainAttempts >= MAX_REGAIN_ATTEMPTS) {
      return false;
    }
    this.regainAttempts++;
    const carId = this.heldCarId;
    setTimeout(() => {
      if (socket === this.socket && !this.closed && this.regaining && carId === this.heldCarId) {
        socket.send(JSON.stringify({ type: 'drive', carId }));
      }
    }, REGAIN_EVERY_MS);
    return true;
  }

  /** Remembers which car's lock this driver holds, to ask for it again after a reconnect. */
  track(message) {
    if (message.type === 'granted' && this.welcome && message.driverId === this.welcome.peerId) {
      this.heldCarId = message.carId;
    } else if (message.type === 'released' && message.carId === this.heldCarId) {
      this.heldCarId = null;
    } else if (message.type === 'release') {
      this.heldCarId = null;
      this.regaining = false;
    } else if (message.type === 'denied' && message.carId === this.heldCarId) {
      this.heldCarId = null;
    }
  }

  setState(next, detail) {
    if (this.state === 'stopped' && next === 'stopped') {
      return;
    }
    this.state = next;
    try {
      this.listener.onState?.(next, detail);
    } catch (e) {
      console.error('rcdrive: signaling listener failed', e);
    }
  }

  deliver(message) {
    try {
      this.listener.onMessage?.(message);
    } catch (e) {
      console.error('rcdrive: signaling listener failed on', message.type, e);
    }
  }
}
