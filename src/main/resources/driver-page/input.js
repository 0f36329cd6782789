// The driver's inputs: keyboard (the station's keys and ramps), game controllers through the
// Gamepad API (standard mapping), and touch controls. Each gives axes {steering, throttle, brake}
// and reports actions (arm, E-STOP); none of them owns arm state (DriveState does).

/** The station's keyboard feel (KeyboardInput): full throttle in 0.6 s, off at once. */
const THROTTLE_RAMP_PER_SECOND = 1 / 0.6;
/** Full lock from centre in 0.35 s; back to centre in 0.2 s when released. */
const STEER_RAMP_PER_SECOND = 1 / 0.35;
const CENTRE_PER_SECOND = 1 / 0.2;

export const REST = Object.freeze({ steering: 0, throttle: 0, brake: 0, buttons: 0 });

/** Keys that drive, as the station's README lists them. */
const DRIVE_KEYS = {
  KeyW: 'throttle',
  ArrowUp: 'throttle',
  KeyS: 'reverse',
  ArrowDown: 'reverse',
  KeyA: 'left',
  ArrowLeft: 'left',
  KeyD: 'right',
  ArrowRight: 'right',
  Space: 'brake',
};

function approach(value, target, step) {
  return value < target ? Math.min(target, value + step) : Math.max(target, value - step);
}

/** W/↑ throttle, S/↓ brake then reverse, A/← D/→ steer, Space brake; Enter arm, Esc E-STOP. */
export class KeyboardInput {
  constructor() {
    this.held = new Set();
    this.throttle = 0;
    this.steering = 0;
  }

  /** Returns 'arm', 'estop', 'drive' (a driving key, handled) or null (not ours). */
  keyDown(code) {
    if (code === 'Escape') {
      return 'estop';
    }
    if (code === 'Enter' || code === 'NumpadEnter') {
      return 'arm';
    }
    const key = DRIVE_KEYS[code];
    if (key) {
      this.held.add(key);
      return 'drive';
    }
    return null;
  }

  keyUp(code) {
    const key = DRIVE_KEYS[code];
    if (key) {
      this.held.delete(key);
      return true;
    }
    return false;
  }

  /** Everything up, axes to zero: focus lost, page hidden. */
  releaseAll() {
    this.held.clear();
    this.throttle = 0;
    this.steering = 0;
  }

  active() {
    return this.held.size > 0 || this.throttle !== 0 || this.steering !== 0;
  }

  poll(seconds) {
    const h = this.held;
    const throttleTarget = (h.has('throttle') ? 1 : 0) - (h.has('reverse') ? 1 : 0);
    this.throttle =
      throttleTarget === 0 ? 0 : approach(this.throttle, throttleTarget, THROTTLE_RAMP_PER_SECOND * seconds);
    const steerTarget = (h.has('right') ? 1 : 0) - (h.has('left') ? 1 : 0);
    const rate = steerTarget === 0 ? CENTRE_PER_SECOND : STEER_RAMP_PER_SECOND;
    this.steering = approach(this.steering, steerTarget, rate * seconds);
    const brake = h.has('brake') ? 1 : 0;
    return { steering: this.steering, throttle: brake > 0 ? 0 : this.throttle, brake, buttons: 0 };
  }
}

/** Stick values this close to the centre are noise. */
const STICK_DEADZONE = 0.1;
/** A trigger below this is released (the throttle check's AT_REST is 0.05). */
const TRIGGER_DEADZONE = 0.02;
const PRESSED = 0.5;

/** Standard Gamepad mapping (w3.org/TR/gamepad, "standard"): the buttons and axis we use. */
const BUTTON_A = 0;
const BUTTON_B = 1;
const LEFT_TRIGGER = 6;
const RIGHT_TRIGGER = 7;
const LEFT_STICK_X = 0;

function deadzone(value, zone) {
  if (!Number.isFinite(value) || Math.abs(value) < zone) {
    return 0;
  }
  return (Math.sign(value) * (Math.abs(value) - zone)) / (1 - zone);
}

function buttonValue(pad, index) {
  const b = pad.buttons[index];
  if (b === undefined) {
    return 0;
  }
  if (typeof b === 'number') {
    return b;
  }
  // The value, never "pressed": a browser reports an analog trigger pressed from a light touch.
  return typeof b.value === 'number' ? b.value : b.pressed ? 1 : 0;
}

/**
 * Game controllers through navigator.getGamepads(), polled every animation frame (the browser
 * itself reads the device far more often). The first connected pad with the standard mapping
 * drives: right trigger throttle, left trigger brake then reverse (negative throttle, as the
 * station's controllers), left stick steers, A arms, B is E-STOP. A pad with another mapping is
 * named and ignored: its buttons could mean anything.
 */
export class GamepadInput {
  constructor(getGamepads = () => (navigator.getGamepads ? navigator.getGamepads() : [])) {
    this.getGamepads = getGamepads;
    this.padId = null;
    this.padIndex = -1;
    this.heldA = false;
    this.heldB = false;
    this.unusable = null;
  }

  /**
   * Reads the pads. Returns {connected, lost, attached, name, axes, actions}: lost when the pad
   * that drove is gone (unplugged) this poll, attached when a pad (re)appeared.
   */
  poll() {
    let pads;
    try {
      pads = Array.from(this.getGamepads() ?? []);
    } catch (e) {
      pads = []; // a page without the permission: no controllers
    }
    const connected = pads.filter((p) => p && p.connected !== false);
    const pad =
      connected.find((p) => p.index === this.padIndex && p.id === this.padId) ??
      connected.find((p) => p.mapping === 'standard');
    this.unusable = pad ? null : connected.length > 0 ? connected[0].id : null;
    const result = { connected: false, lost: false, attached: false, name: '', axes: REST, actions: [] };
    if (!pad) {
      if (this.padId !== null) {
        result.lost = true;
        result.name = this.padId;
        this.padId = null;
        this.padIndex = -1;
      }
      return result;
    }
    const down = (i) => buttonValue(pad, i) >= PRESSED;
    if (pad.id !== this.padId || pad.index !== this.padIndex) {
      // Buttons already held when a pad appears are not presses.
      this.padId = pad.id;
      this.padIndex = pad.index;
      this.heldA = down(BUTTON_A);
      this.heldB = down(BUTTON_B);
      result.attached = true;
    }
    result.connected = true;
    result.name = pad.id;
    const a = down(BUTTON_A);
    const b = down(BUTTON_B);
    if (b && !this.heldB) {
      result.actions.push('estop');
    }
    if (a && !this.heldA) {
      result.actions.push('arm');
    }
    this.heldA = a;
    this.heldB = b;
    const throttle = deadzone(buttonValue(pad, RIGHT_TRIGGER), TRIGGER_DEADZONE);
    const brake = deadzone(buttonValue(pad, LEFT_TRIGGER), TRIGGER_DEADZONE);
    const steering = deadzone(pad.axes[LEFT_STICK_X] ?? 0, STICK_DEADZONE);
    result.axes = { steering, throttle: throttle - brake, brake: 0, buttons: 0 };
    return result;
  }
}

/**
 * Touch controls: a steering area (drag left and right from where the finger lands) and a
 * throttle/brake slider (up throttle, down brake then reverse), both springing back to zero when
 * the finger lifts. Pointer events, so a mouse works too.
 */
export class TouchInput {
  constructor() {
    this.steering = 0;
    this.throttle = 0;
    this.steerPointer = null;
    this.throttlePointer = null;
    this.lastActivity = -Infinity;
  }

  /** Binds the two areas; the thumbs move to show the value. */
  attach(steerArea, steerThumb, throttleArea, throttleThumb, now = () => performance.now()) {
    this.thumbs = [steerThumb, throttleThumb];
    const steerFrom = (e) => {
      const r = steerArea.getBoundingClientRect();
      return Math.max(-1, Math.min(1, (e.clientX - (r.left + r.width / 2)) / (r.width / 2)));
    };
    const throttleFrom = (e) => {
      const r = throttleArea.getBoundingClientRect();
      return Math.max(-1, Math.min(1, (r.top + r.height / 2 - e.clientY) / (r.height / 2)));
    };
    const bind = (area, onValue, pointerKey) => {
      area.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        area.setPointerCapture?.(e.pointerId);
        this[pointerKey] = e.pointerId;
        this.lastActivity = now();
        onValue(e);
      });
      area.addEventListener('pointermove', (e) => {
        if (this[pointerKey] === e.pointerId) {
          this.lastActivity = now();
          onValue(e);
        }
      });
      const end = (e) => {
        if (this[pointerKey] === e.pointerId) {
          this[pointerKey] = null;
          this.lastActivity = now();
          onValue(null);
        }
      };
      area.addEventListener('pointerup', end);
      area.addEventListener('pointercancel', end);
      area.addEventListener('lostpointercapture', end);
    };
    bind(steerArea, (e) => {
      this.steering = e ? steerFrom(e) : 0;
      steerThumb.style.left = `${(50 + this.steering * 50).toFixed(1)}%`;
    }, 'steerPointer');
    bind(throttleArea, (e) => {
      this.throttle = e ? throttleFrom(e) : 0;
      throttleThumb.style.top = `${(50 - this.throttle * 50).toFixed(1)}%`;
    }, 'throttlePointer');
  }

  active() {
    return this.steerPointer !== null || this.throttlePointer !== null;
  }

  releaseAll() {
    this.steering = 0;
    this.throttle = 0;
    this.steerPointer = null;
    this.throttlePointer = null;
    for (const thumb of this.thumbs ?? []) {
      thumb.style.left = '';
      thumb.style.top = '';
    }
  }

  poll() {
    return { steering: this.steering, throttle: this.throttle, brake: 0, buttons: 0 };
  }
}
