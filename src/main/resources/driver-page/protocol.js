// The binary frames of docs/protocol.md (section 4), as dev.rcdrive.protocol's Java codecs write
// and read them: big-endian, axes in 1/10000 steps. Decoders never throw: they return
// {ok: false, reason} for anything malformed, and the caller drops and counts it.

export const CONTROL_SIZE = 23;
export const TELEMETRY_SIZE = 43;
export const HEALTH_SIZE = 12;
export const SENDER_STATS_SIZE = 50;

const VERSION = 1;
const CONTROL_KIND = 0x43; // 'C'
const TELEMETRY_KIND = 0x54; // 'T'
const HEALTH_KIND = 0x48; // 'H'
const SENDER_STATS_KIND = 0x53; // 'S'
const AXIS_SCALE = 10000;
const FLAG_ARMED = 1;
const FLAG_ESTOP = 2;
const BATTERY_ABSENT = 0xffff;
const TEMP_ABSENT = 0x7fff;
const THROTTLED_ABSENT = 0xffffffff;
const SIGNAL_ABSENT = 0xff;

export const CAR_STATES = ['DISARMED', 'ARMED', 'FAILSAFE', 'ESTOP'];
export const CAMERA_STATES = ['STARTING', 'RUNNING', 'RESTARTING', 'FAILED'];

/** Java's Math.round and JavaScript's agree (halves go up), so both sides quantize alike. */
function axisToWire(value, min, max) {
  const v = Number.isFinite(value) ? Math.max(min, Math.min(max, value)) : 0;
  return Math.round(v * AXIS_SCALE);
}

/**
 * One ControlFrame (4.1), 23 bytes. Values outside their range are clamped (a DriveIntent already
 * is); seq wraps at 2^32; sentMicros is the page's monotonic clock in µs.
 */
export function encodeControl(frame) {
  const bytes = new ArrayBuffer(CONTROL_SIZE);
  const out = new DataView(bytes);
  out.setUint8(0, VERSION);
  out.setUint8(1, CONTROL_KIND);
  out.setUint32(2, frame.seq >>> 0);
  out.setBigInt64(6, BigInt(Math.max(0, Math.floor(frame.sentMicros))));
  out.setInt16(14, axisToWire(frame.steering, -1, 1));
  out.setInt16(16, axisToWire(frame.throttle, -1, 1));
  out.setUint16(18, axisToWire(frame.brake, 0, 1));
  out.setUint8(20, (frame.armed ? FLAG_ARMED : 0) | (frame.estop ? FLAG_ESTOP : 0));
  out.setUint16(21, (frame.buttons ?? 0) & 0xffff);
  return bytes;
}

function view(bytes) {
  if (bytes instanceof DataView) {
    return bytes;
  }
  if (bytes instanceof ArrayBuffer) {
    return new DataView(bytes);
  }
  if (ArrayBuffer.isView(bytes)) {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return null;
}

function rejected(reason) {
  return { ok: false, reason };
}

/** Reads a ControlFrame; the same checks as ControlFrame.decode. */
export function decodeControl(bytes) {
  const dv = view(bytes);
  if (!dv) {
    return rejected('no bytes');
  }
  if (dv.byteLength !== CONTROL_SIZE) {
    return rejected(`control frame must be ${CONTROL_SIZE} bytes, got ${dv.byteLength}`);
  }
  if (dv.getUint8(0) !== VERSION) {
    return rejected(`unsupported control frame version ${dv.getUint8(0)}`);
  }
  if (dv.getUint8(1) !== CONTROL_KIND) {
    return rejected(`not a control frame (kind ${dv.getUint8(1)})`);
  }
  const sentMicros = dv.getBigInt64(6);
  const steering = dv.getInt16(14);
  const throttle = dv.getInt16(16);
  const brake = dv.getUint16(18);
  const flags = dv.getUint8(20);
  if (sentMicros < 0n) {
    return rejected('negative send time');
  }
  if (Math.abs(steering) > AXIS_SCALE || Math.abs(throttle) > AXIS_SCALE || brake > AXIS_SCALE) {
    return rejected('axis out of range');
  }
  if ((flags & ~(FLAG_ARMED | FLAG_ESTOP)) !== 0) {
    return rejected(`unknown flag bits: 0x${flags.toString(16)}`);
  }
  return {
    ok: true,
    frame: {
      seq: dv.getUint32(2),
      sentMicros: Number(sentMicros),
      steering: steering / AXIS_SCALE,
      throttle: throttle / AXIS_SCALE,
      brake: brake / AXIS_SCALE,
      armed: (flags & FLAG_ARMED) !== 0,
      estop: (flags & FLAG_ESTOP) !== 0,
      buttons: dv.getUint16(21),
    },
  };
}

/** True when the bytes have a HealthFrame's size and kind (4.3): pick that decoder. */
export function isHealth(bytes) {
  const dv = view(bytes);
  return dv !== null && dv.byteLength === HEALTH_SIZE && dv.getUint8(1) === HEALTH_KIND;
}

/**
 * True when the bytes have a SenderStatsFrame's size and kind (4.3b): the car's video counters for
 * a stage breakdown, which the page does not show. Well-formed, so not counted as dropped.
 */
export function isSenderStats(bytes) {
  const dv = view(bytes);
  return (
    dv !== null && dv.byteLength === SENDER_STATS_SIZE && dv.getUint8(1) === SENDER_STATS_KIND
  );
}

/** Reads a TelemetryFrame (4.2); the same checks as TelemetryFrame.decode. */
export function decodeTelemetry(bytes) {
  const dv = view(bytes);
  if (!dv) {
    return rejected('no bytes');
  }
  if (dv.byteLength !== TELEMETRY_SIZE) {
    return rejected(`telemetry frame must be ${TELEMETRY_SIZE} bytes, got ${dv.byteLength}`);
  }
  if (dv.getUint8(0) !== VERSION) {
    return rejected(`unsupported telemetry frame version ${dv.getUint8(0)}`);
  }
  if (dv.getUint8(1) !== TELEMETRY_KIND) {
    return rejected(`not a telemetry frame (kind ${dv.getUint8(1)})`);
  }
  const echoSentMicros = dv.getBigInt64(10);
  const carMicros = dv.getBigInt64(22);
  const steering = dv.getInt16(30);
  const throttle = dv.getInt16(32);
  const state = CAR_STATES[dv.getUint8(34)];
  const speed = dv.getInt16(35);
  const battery = dv.getUint16(37);
  if (echoSentMicros < 0n || carMicros < 0n) {
    return rejected('negative time');
  }
  if (Math.abs(steering) > AXIS_SCALE || Math.abs(throttle) > AXIS_SCALE) {
    return rejected('applied axis out of range');
  }
  if (speed === -32768) {
    return rejected('speed out of range');
  }
  if (state === undefined) {
    return rejected(`unknown car state ${dv.getUint8(34)}`);
  }
  return {
    ok: true,
    frame: {
      seq: dv.getUint32(2),
      echoSeq: dv.getUint32(6),
      echoSentMicros: Number(echoSentMicros),
      echoHoldMicros: dv.getUint32(18),
      carMicros: Number(carMicros),
      appliedSteering: steering / AXIS_SCALE,
      appliedThrottle: throttle / AXIS_SCALE,
      state,
      speedMps: speed / 100,
      batteryVolts: battery === BATTERY_ABSENT ? NaN : battery / 1000,
      rejectedFrames: dv.getUint32(39),
    },
  };
}

/** Reads a HealthFrame (4.3); the same checks as HealthFrame.decode. */
export function decodeHealth(bytes) {
  const dv = view(bytes);
  if (!dv) {
    return rejected('no bytes');
  }
  if (dv.byteLength !== HEALTH_SIZE) {
    return rejected(`health frame must be ${HEALTH_SIZE} bytes, got ${dv.byteLength}`);
  }
  if (dv.getUint8(0) !== VERSION) {
    return rejected(`unsupported health frame version ${dv.getUint8(0)}`);
  }
  if (dv.getUint8(1) !== HEALTH_KIND) {
    return rejected(`not a health frame (kind ${dv.getUint8(1)})`);
  }
  const camera = CAMERA_STATES[dv.getUint8(2)];
  const temp = dv.getInt16(5);
  const throttled = dv.getUint32(7);
  const signal = dv.getUint8(11);
  if (camera === undefined) {
    return rejected('unknown camera state');
  }
  if (temp !== TEMP_ABSENT && (temp < -2730 || temp > 30000)) {
    return rejected(`cpu temperature out of range: ${temp / 10}`);
  }
  if (signal !== SIGNAL_ABSENT && signal > 100) {
    return rejected(`signal quality out of range: ${signal}`);
  }
  return {
    ok: true,
    frame: {
      camera,
      cameraRestarts: dv.getUint16(3),
      cpuTempC: temp === TEMP_ABSENT ? NaN : temp / 10,
      throttled: throttled === THROTTLED_ABSENT ? -1 : throttled,
      signalPercent: signal === SIGNAL_ABSENT ? -1 : signal,
    },
  };
}

// ---- FrameStamp (4.5) ------------------------------------------------------------------------

export const STAMP_BITS = 64;
export const STAMP_ROWS = 16;
const BLACK = 16;
const WHITE = 235;
const TIME_SPAN = 2 ** 32;

function checksum(payload) {
  let sum = 0x5an;
  for (let shift = 0n; shift < 56n; shift += 8n) {
    sum = (sum * 31n + ((payload >> shift) & 0xffn)) & 0xffn;
  }
  return sum;
}

/** The rows a reader samples (FrameStamp.read): 6, 8 and 10. */
export const STAMP_SAMPLE_FIRST_ROW = STAMP_ROWS / 2 - 2;
export const STAMP_SAMPLE_ROWS = 5;

/**
 * Reads a stamp from a picture of the given size through luma(x, y), exactly as FrameStamp.read
 * does: each block's middle, rows 6-10, thresholded at 125. Returns {counter, captureTenths} or
 * null (no stamp, or misread: wrong checksum).
 */
export function readStamp(width, height, luma) {
  const blockWidth = Math.floor(width / STAMP_BITS);
  if (blockWidth < 2 || height < STAMP_ROWS) {
    return null;
  }
  const quarter = Math.floor(blockWidth / 4);
  const step = Math.max(1, quarter);
  let bits = 0n;
  for (let bit = 0; bit < STAMP_BITS; bit++) {
    const cx = bit * blockWidth + Math.floor(blockWidth / 2);
    let sum = 0;
    let samples = 0;
    for (let dy = -2; dy <= 2; dy += 2) {
      for (let dx = -quarter; dx <= quarter; dx += step) {
        sum += luma(cx + dx, STAMP_ROWS / 2 + dy);
        samples++;
      }
    }
    const mean = Math.trunc(sum / samples); // Java's integer division of an int sum
    bits = (bits << 1n) | (mean > (BLACK + WHITE) >> 1 ? 1n : 0n);
  }
  const payload = bits >> 8n;
  if ((bits & 0xffn) !== checksum(payload)) {
    return null;
  }
  return { counter: Number(payload >> 32n), captureTenths: Number(payload & 0xffffffffn) };
}

/** The stamp's clock: epoch µs / 100, modulo 2^32, from epoch milliseconds. */
export function tenthsOfMillis(epochMillis) {
  return Math.floor(epochMillis * 10) % TIME_SPAN;
}

/** Milliseconds from the capture to nowEpochMillis (same wall clock); negative if ahead. */
export function stampAgeMillis(captureTenths, nowEpochMillis) {
  let delta = (tenthsOfMillis(nowEpochMillis) - captureTenths + TIME_SPAN) % TIME_SPAN;
  if (delta > (TIME_SPAN - 1) / 2) {
    delta -= TIME_SPAN;
  }
  return delta / 10;
}

/** Studio-range luma (what the car wrote) from a decoded, full-range RGB pixel (BT.601). */
export function lumaOf(r, g, b) {
  return BLACK + ((WHITE - BLACK) * (0.299 * r + 0.587 * g + 0.114 * b)) / 255;
}

const RTP_SPAN = 2 ** 32;

/** a − b on a clock that wraps at span, as the shorter way round (negative when a is earlier). */
function wrappedDelta(a, b, span) {
  let delta = (((a - b) % span) + span) % span;
  if (delta > span / 2) {
    delta -= span;
  }
  return delta;
}

/**
 * Whether the picture a frame callback read is the callback's own frame. The callback's metadata
 * describes one frame (its RTP timestamp, its display time), but drawing the video takes its
 * current picture, which under load is sometimes already a later one: its stamp would pair a later
 * capture with an earlier frame's display time, a glass to glass short by a frame interval, even
 * below zero. The car's RTP timestamps (90 kHz) and stamps (0.1 ms) count the same captures, so for
 * matching pairs their difference stays put, give or take the car's jitter between the two clocks
 * (±2 ms measured); a later picture's is larger by a frame interval. Most pairs match, so the
 * median difference of the last `window` pairs is the matching one; a pair more than half a frame
 * interval from it is not (seen: the first picture of a stream a frame ahead, or a frame behind).
 */
export class FrameMatch {
  constructor(window = 90) {
    this.window = window;
    this.reset();
  }

  reset() {
    this.anchor = null;
    this.offsets = [];
  }

  /**
   * false when the stamp (counter, capture time) belongs to another picture than rtpTimestamp's
   * frame; true when it is the same one, or without an RTP timestamp to tell.
   */
  matches(counter, captureTenths, rtpTimestamp) {
    if (typeof rtpTimestamp !== 'number') {
      return true; // a browser without RTP timestamps in its frame metadata: nothing to compare
    }
    if (
      this.anchor === null ||
      counter < this.anchor.counter || // the counter wrapped, or another car
      Math.abs(wrappedDelta(rtpTimestamp, this.anchor.rtp, RTP_SPAN)) > RTP_SPAN / 4
    ) {
      this.anchor = { counter, capture: captureTenths, rtp: rtpTimestamp };
      this.offsets = [];
    }
    const stampMs = wrappedDelta(captureTenths, this.anchor.capture, TIME_SPAN) / 10;
    const rtpMs = wrappedDelta(rtpTimestamp, this.anchor.rtp, RTP_SPAN) / 90;
    const offset = stampMs - rtpMs;
    this.offsets.push(offset);
    if (this.offsets.length > this.window) {
      this.offsets.shift();
    }
    // The camera's frame interval, from its own stamps over the whole run (30 fps until known)
    const frames = counter - this.anchor.counter;
    const intervalMs = frames >= 10 ? stampMs / frames : 1000 / 30;
    const sorted = [...this.offsets].sort((a, b) => a - b);
    const median = sorted[(sorted.length - 1) >> 1];
    return Math.abs(offset - median) < intervalMs / 2;
  }
}
