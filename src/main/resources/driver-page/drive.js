// What the driver wants and how it reaches the car: the station's DriveIntent, ControlLoop and
// arming rules (dev.rcdrive.station.drive, StationViewModel), for the browser. Plain logic with the
// clock and the timer passed in, so the page's tests run it on a virtual clock.

import { encodeControl } from './protocol.js';

/** A heartbeat every 20 ms (50 Hz): the car fails safe after failsafeMs (250) without one. */
export const PERIOD_MS = 20;

/** An intent not renewed for this long is stale: neutral, disarmed frames go out instead. */
export const STALE_MS = 500;

/** Throttle and brake count as released below this (the throttle check when arming). */
export const AT_REST = 0.05;

function clamp(value, min, max) {
  return Number.isFinite(value) ? Math.max(min, Math.min(max, value)) : 0;
}

/** An immutable, clamped intent; NEUTRAL is disarmed. */
export function intent(steering, throttle, brake, armed, estop, buttons = 0) {
  return Object.freeze({
    steering: clamp(steering, -1, 1),
    throttle: clamp(throttle, -1, 1),
    brake: clamp(brake, 0, 1),
    armed: Boolean(armed),
    estop: Boolean(estop),
    buttons: (buttons ?? 0) & 0xffff,
  });
}

export const NEUTRAL = intent(0, 0, 0, false, false, 0);

export function sameIntent(a, b) {
  return (
    a.steering === b.steering &&
    a.throttle === b.throttle &&
    a.brake === b.brake &&
    a.armed === b.armed &&
    a.estop === b.estop &&
    a.buttons === b.buttons
  );
}

/**
 * Sends the driver's intent as ControlFrames: every PERIOD_MS as a heartbeat and at once when it
 * changes. The same rules as the station's ControlLoop:
 *
 * - set() is every input's sign of life; after STALE_MS without one the heartbeats carry a
 *   neutral, disarmed intent (an E-STOP stays), and keep doing so until an input says "disarmed"
 *   once: the car arms only on an armed frame after a disarmed one, so a stall must not re-arm it.
 * - close() sends one neutral, disarmed frame (keeping an E-STOP) and nothing after it.
 *
 * @param send (ArrayBuffer) => boolean, false when the channel could not take the frame
 * @param options.now () => ms, a monotonic clock (performance.now)
 * @param options.onStale () => void, told once each time the intent goes stale
 */
export class ControlLoop {
  constructor(send, options = {}) {
    this.send = send;
    this.now = options.now ?? (() => performance.now());
    this.onStale = options.onStale ?? (() => {});
    this.current = NEUTRAL;
    this.lastSet = this.now();
    this.staleLatched = false;
    this.closed = false;
    this.seq = 0;
    this.framesSent = 0;
    const every = options.setInterval ?? ((f, ms) => setInterval(f, ms));
    this.stopTimer = options.clearInterval ?? ((id) => clearInterval(id));
    this.timer = every(() => this.tick(), options.periodMs ?? PERIOD_MS);
  }

  /** The new intent, changed or not; sent at once when it differs from the last one. */
  set(next) {
    if (this.closed) {
      return;
    }
    const previous = this.current;
    this.current = next;
    this.lastSet = this.now();
    if (!next.armed) {
      this.staleLatched = false; // the driver disarmed: the next arming is the driver's own
    }
    if (!sameIntent(previous, next)) {
      this.sendNow();
    }
  }

  intent() {
    return this.current;
  }

  /** The heartbeat (the timer calls it; tests call it on a virtual clock). */
  tick() {
    if (this.closed) {
      return;
    }
    this.sendNow();
  }

  sendNow() {
    let out = this.current;
    if (this.now() - this.lastSet > STALE_MS && !this.staleLatched) {
      this.staleLatched = true;
      this.onStale();
    }
    if (this.staleLatched) {
      out = intent(0, 0, 0, false, out.estop); // an E-STOP stays latched
    }
    this.frame(out);
  }

  frame(out) {
    this.seq = (this.seq + 1) % 2 ** 32;
    const bytes = encodeControl({
      seq: this.seq,
      sentMicros: this.now() * 1000,
      steering: out.steering,
      throttle: out.throttle,
      brake: out.brake,
      armed: out.armed,
      estop: out.estop,
      buttons: out.buttons,
    });
    if (this.send(bytes)) {
      this.framesSent++;
    }
  }

  /** One neutral, disarmed frame, then silence: what leaving the car must leave behind. */
  close() {
    if (this.closed) {
      return;
    }
    this.current = intent(0, 0, 0, false, this.current.estop);
    this.frame(this.current);
    this.closed = true;
    this.stopTimer(this.timer);
  }
}

/**
 * The driver's arm and E-STOP state, owned here and nowhere else (inputs report actions, never arm
 * state). Each change says why in message, for the screen.
 */
export class DriveState {
  constructor() {
    this.armed = false;
    this.estop = false;
    this.message = '';
  }

  /** Arm or disarm; arming needs no E-STOP and released throttle and brake. */
  toggleArm(current) {
    if (this.estop) {
      this.message = 'Clear the E-STOP first';
      return false;
    }
    if (!this.armed && current && (Math.abs(current.throttle) >= AT_REST || current.brake >= AT_REST)) {
      this.message = 'Release throttle and brake, then arm';
      return false;
    }
    this.armed = !this.armed;
    this.message = this.armed ? '' : 'Disarmed';
    return true;
  }

  emergencyStop(why = 'E-STOP') {
    this.estop = true;
    this.armed = false;
    this.message = why;
  }

  clearEmergencyStop() {
    this.estop = false;
    this.armed = false;
    this.message = 'E-STOP cleared: arm to drive';
  }

  /** Tab hidden, window blurred, input stalled, controller lost: disarmed, with the reason. */
  disarm(why) {
    if (this.armed) {
      this.armed = false;
      this.message = why;
      return true;
    }
    return false;
  }

  /** What an input's axes become with this state's flags. */
  apply(axes) {
    return intent(axes.steering, axes.throttle, axes.brake, this.armed && !this.estop, this.estop, axes.buttons);
  }
}
