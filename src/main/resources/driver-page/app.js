// The driver page: log in with a driver token, pick a car, drive it. The same protocol and safety
// rules as the desktop station (README "Drive from a browser"); the pieces are in the modules
// beside this one, and this file only wires them to the page.

import { ControlLoop, DriveState, intent } from './drive.js';
import { GamepadInput, KeyboardInput, REST, TouchInput } from './input.js';
import { DriverLink, iceRestartDelay } from './link.js';
import { decodeHealth, decodeTelemetry, isHealth, isSenderStats } from './protocol.js';
import { SignalingClient } from './signaling.js';
import { VideoView } from './video.js';

const $ = (id) => document.getElementById(id);

/** Car state older than this is not shown as current (DESIGN.md: "the screen tells the truth"). */
const TELEMETRY_STALE_MS = 300;
const MAX_SAMPLES = 20000;
const TOKEN_KEY = 'rcdrive.driverToken';

const config = await fetch('config.json', { cache: 'no-store' }).then((r) => r.json());
const signalingUrl = config.signalingUrl ?? defaultSignalingUrl(config);

function defaultSignalingUrl(c) {
  let host = location.hostname;
  if (host.includes(':') && !host.startsWith('[')) {
    host = `[${host}]`;
  }
  return `${c.signalingScheme}://${host}:${c.signalingPort}/`;
}

// ---- state ------------------------------------------------------------------------------------

const drive = new DriveState();
const keyboard = new KeyboardInput();
const pads = new GamepadInput();
const touch = new TouchInput();
const video = new VideoView($('video'), (ms) => {
  marks.firstFrame = ms;
});

let signaling = null;
let link = null;
let loop = null;
let carId = null;
let carName = '';
let wantedCar = null; // from the address's #car=, driven once logged in
let cars = [];
let phase = 'idle';
let phaseDetail = '';
let linkState = 'new';
let restartTimer = null;
let iceRestarts = 0;
let telemetry = null;
let telemetryAt = -Infinity;
let health = null;
let telemetryDropped = 0;
let lastEchoSeq = -1;
let rttMs = NaN;
const rttSamples = [];
let armedFromSeq = Infinity; // the first control seq sent armed: telemetry after it is ours
let figures = { fps: NaN, kbps: NaN, lossPct: NaN, jitterMs: NaN, local: '', remote: '', decoder: '' };
let previousStats = null;
let lastAxes = REST;
let lastIntent = intent(0, 0, 0, false, false);
let inputName = 'Keyboard';
let inputFrozen = false;
let lastPulse = NaN;
let marks = {};

// ---- views ------------------------------------------------------------------------------------

function showView(name) {
  for (const view of ['login', 'cars', 'drive']) {
    $(view).hidden = view !== name;
  }
  document.body.dataset.view = name;
}

function loginMessage(text) {
  $('login-message').textContent = text;
}

function carsMessage(text) {
  $('cars-message').textContent = text;
}

$('server-url').textContent = signalingUrl;

// ---- logging in -------------------------------------------------------------------------------

function logIn(token) {
  logOut(false);
  loginMessage('Connecting…');
  marks = { login: performance.now() };
  let ready = false;
  const client = new SignalingClient(
    signalingUrl,
    token,
    {
      onState(state, detail) {
        if (client !== signaling) {
          return;
        }
        if (state === 'ready') {
          ready = true;
          marks.welcome ??= performance.now();
          client.send({ type: 'list' });
          if (carId === null) {
            showView('cars');
            carsMessage('');
          }
          $('cars-connection').textContent = 'Connected to ' + signalingUrl;
          signalingStatus('');
          if (wantedCar) {
            const car = wantedCar;
            wantedCar = null;
            startDrive(car);
          }
        } else if (state === 'reconnecting') {
          const text = ready
            ? `Signaling lost: reconnecting (${detail}). A drive in progress goes on.`
            : `Cannot reach the server at ${signalingUrl} (${detail}). If it uses a certificate your` +
              ` browser does not know, open ${httpsOf(signalingUrl)} once and accept it.`;
          if (ready) {
            $('cars-connection').textContent = text;
            signalingStatus(`Signaling lost: reconnecting (${detail}). The drive goes on.`);
          } else {
            loginMessage(text);
          }
        } else if (state === 'stopped' && detail !== 'closed') {
          const refused = detail.startsWith('AUTH_FAILED') || detail.startsWith('REVOKED');
          endDrive();
          signaling = null;
          showView('login');
          loginMessage(
            refused
              ? 'The server refused this token. Check it with whoever runs the server.'
              : `Disconnected: ${detail}`,
          );
          if (refused) {
            localStorage.removeItem(TOKEN_KEY);
          }
        }
      },
      onMessage(message) {
        if (client === signaling) {
          onSignal(message);
        }
      },
    },
    { client: `rcdrive-browser/${config.version ?? 'dev'}` },
  );
  signaling = client;
}

/** Shown on the drive view: the link to the car does not need signaling, but a restart does. */
function signalingStatus(text) {
  $('signaling-status').textContent = text;
  $('signaling-status').hidden = text === '';
}

function httpsOf(wsUrl) {
  return wsUrl.replace(/^wss:/, 'https:').replace(/^ws:/, 'http:');
}

function logOut(toLogin = true) {
  endDrive();
  if (signaling) {
    const old = signaling;
    signaling = null;
    old.close('logged out');
  }
  cars = [];
  renderCars();
  signalingStatus('');
  if (toLogin) {
    showView('login');
    loginMessage('');
  }
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) {
    loginMessage('Enter your driver token');
    return;
  }
  if ($('remember').checked) {
    localStorage.setItem(TOKEN_KEY, token);
  } else {
    localStorage.removeItem(TOKEN_KEY);
  }
  logIn(token);
});

$('logout').addEventListener('click', () => logOut(true));

// ---- the car list -----------------------------------------------------------------------------

function carStatus(car) {
  if (!car.online) {
    return ['offline', 'offline'];
  }
  return car.driven ? ['busy', 'busy: someone drives it'] : ['free', 'free'];
}

function renderCars() {
  const list = $('car-list');
  list.replaceChildren();
  if (cars.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = signaling ? 'Waiting for the car list…' : '';
    list.append(empty);
    return;
  }
  for (const car of cars) {
    const [kind, text] = carStatus(car);
    const item = document.createElement('li');
    item.className = `car ${kind}`;
    item.dataset.carId = car.carId;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = car.name;
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = text;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'primary';
    button.textContent = 'Drive';
    // The server decides (another driver may have just taken it): a refusal says why.
    button.addEventListener('click', () => startDrive(car.carId));
    item.append(name, badge, button);
    list.append(item);
  }
}

// ---- signaling messages -----------------------------------------------------------------------

function onSignal(message) {
  switch (message.type) {
    case 'cars':
      cars = Array.isArray(message.cars) ? message.cars : [];
      renderCars();
      if (carId !== null) {
        carName = cars.find((c) => c.carId === carId)?.name ?? carName;
        $('car-name').textContent = carName;
      }
      break;
    case 'granted':
      if (message.carId === carId && message.driverId === signaling?.welcome?.peerId) {
        onGranted(message);
      }
      break;
    case 'denied':
      if (message.carId === carId) {
        onDenied(message);
      }
      break;
    case 'answer':
      link?.applyAnswer(message.sdp);
      break;
    case 'candidate':
      link?.addCandidate(message);
      break;
    case 'released':
      if (message.carId === carId && message.driverId === signaling?.welcome?.peerId) {
        endDrive();
        showView('cars');
        carsMessage(`Your drive ended: ${message.reason}.`);
      }
      break;
    case 'error':
      console.warn('rcdrive: the server said', message.code, message.message);
      break;
    default:
      break; // unknown types are ignored (docs/protocol.md 1)
  }
}

/** A refusal in the driver's words, with what to do next. */
function deniedText(message) {
  const reason = message.reason || message.code;
  switch (message.code) {
    case 'CAR_OFFLINE':
      return `${reason}. Its agent is not connected to the server: check the car is on and online, then try again.`;
    case 'CAR_BUSY':
      return `${reason}. Try again when it is free.`;
    case 'UNKNOWN_CAR':
      return `${reason}. Pick a car from the list.`;
    default:
      return reason;
  }
}

function startDrive(id) {
  if (!signaling) {
    return;
  }
  endDrive();
  carId = id;
  carName = cars.find((c) => c.carId === id)?.name ?? id;
  $('car-name').textContent = carName;
  drive.armed = false;
  drive.estop = false;
  drive.message = '';
  setPhase('asking', `Asking for ${carName}…`);
  marks.driveSent = performance.now();
  if (!signaling.send({ type: 'drive', carId: id })) {
    carId = null;
    carsMessage('Not connected to the server yet: try again in a moment.');
    return;
  }
  showView('drive');
}

function onDenied(message) {
  const text = deniedText(message);
  endDrive();
  showView('cars');
  carsMessage(text);
}

function onGranted() {
  marks.granted ??= performance.now();
  if (link !== null) {
    return; // the lock came back after a signaling reconnect: the link is still up
  }
  setPhase('negotiating', `Connecting to ${carName}…`);
  const current = new DriverLink(
    { iceServers: signaling.welcome?.iceServers ?? [] },
    {
      onSignal: (m) => signaling?.send(m),
      onState: (state) => {
        if (current === link) {
          onLinkState(state);
        }
      },
      onTelemetry: (bytes, received) => {
        if (current === link) {
          onTelemetry(bytes, received);
        }
      },
      onTrack: (stream) => {
        if (current === link) {
          video.show(stream);
        }
      },
      onError: (reason) => console.warn('rcdrive:', reason),
    },
  );
  link = current;
  loop = new ControlLoop((bytes) => current.send(bytes), {
    onStale: () => {
      if (drive.disarm('Disarmed: no input for half a second (the page stalled)')) {
        showState();
      }
    },
  });
  current.start();
}

function onLinkState(state) {
  linkState = state;
  switch (state) {
    case 'connecting':
      setPhase('checking', `Connecting to ${carName}…`);
      break;
    case 'connected':
      marks.connected ??= performance.now();
      iceRestarts = 0;
      cancelRestart();
      setPhase('connected', '');
      break;
    case 'disconnected':
      setPhase('reconnecting', 'Link interrupted: reconnecting…');
      signaling?.probe(1000); // our own address may have changed too
      scheduleRestart(iceRestartDelay(0));
      break;
    case 'failed':
      setPhase('reconnecting', 'No route to the car: trying again…');
      scheduleRestart(iceRestartDelay(0));
      break;
    default:
      break;
  }
}

function scheduleRestart(delay) {
  if (restartTimer !== null) {
    return;
  }
  restartTimer = setTimeout(() => {
    restartTimer = null;
    if (!link || linkState === 'connected' || linkState === 'closed') {
      return;
    }
    iceRestarts++;
    setPhase('reconnecting', `Link interrupted: ICE restart ${iceRestarts}…`);
    link.restartIce();
    scheduleRestart(iceRestartDelay(iceRestarts));
  }, delay);
}

function cancelRestart() {
  if (restartTimer !== null) {
    clearTimeout(restartTimer);
    restartTimer = null;
  }
}

/** Leaves the car: one neutral, disarmed frame, the lock released, the link closed. */
function endDrive() {
  cancelRestart();
  if (loop) {
    loop.close();
    loop = null;
  }
  if (carId !== null && signaling) {
    signaling.send({ type: 'release', carId });
  }
  if (link) {
    link.close();
    link = null;
  }
  video.stop();
  carId = null;
  drive.armed = false;
  drive.estop = false;
  drive.message = '';
  telemetry = null;
  telemetryAt = -Infinity;
  health = null;
  lastEchoSeq = -1;
  rttMs = NaN;
  armedFromSeq = Infinity;
  previousStats = null;
  figures = { fps: NaN, kbps: NaN, lossPct: NaN, jitterMs: NaN, local: '', remote: '', decoder: '' };
  linkState = 'new';
  iceRestarts = 0;
  setPhase('idle', '');
}

$('leave').addEventListener('click', () => {
  endDrive();
  showView('cars');
  carsMessage('');
  signaling?.send({ type: 'list' });
});

// ---- telemetry --------------------------------------------------------------------------------

function onTelemetry(bytes, receivedMs) {
  if (isSenderStats(bytes)) {
    return; // the station's stage breakdown uses it; the page has none
  }
  if (isHealth(bytes)) {
    const decoded = decodeHealth(bytes);
    if (decoded.ok) {
      health = decoded.frame;
    } else {
      telemetryDropped++;
    }
    return;
  }
  const decoded = decodeTelemetry(bytes);
  if (!decoded.ok) {
    telemetryDropped++; // malformed: dropped and counted, never fatal
    return;
  }
  const frame = decoded.frame;
  telemetry = frame;
  telemetryAt = receivedMs;
  if ((frame.echoSentMicros !== 0 || frame.echoSeq !== 0) && frame.echoSeq !== lastEchoSeq) {
    lastEchoSeq = frame.echoSeq;
    const rtt = (receivedMs * 1000 - frame.echoSentMicros - frame.echoHoldMicros) / 1000;
    if (rtt >= 0) {
      rttMs = rtt;
      if (rttSamples.length >= MAX_SAMPLES) {
        rttSamples.shift();
      }
      rttSamples.push(rtt);
    }
  }
  // The car stopped by itself while this page drives: disarm, so the next arming is deliberate.
  if (drive.armed && frame.echoSeq >= armedFromSeq && frame.state === 'FAILSAFE') {
    drive.disarm('The car failed safe (its control stopped arriving, or its link or outputs failed). Arm again to drive.');
  }
}

// ---- input: every animation frame, the page's sign of life ------------------------------------

function pulse(t) {
  if (inputFrozen) {
    return; // the control loop sees no sign of life and goes stale (a test of that rule)
  }
  requestAnimationFrame(pulse);
  const seconds = Number.isNaN(lastPulse) ? 0 : Math.min(0.1, Math.max(0, (t - lastPulse) / 1000));
  lastPulse = t;
  const pad = pads.poll();
  if (pad.lost) {
    padLost(pad.name);
  }
  if (pad.attached && drive.armed) {
    drive.disarm(`Controller connected (${shortName(pad.name)}): arm again to drive with it.`);
  }
  for (const action of pad.actions) {
    act(action);
  }
  const keys = keyboard.poll(seconds);
  const fingers = touch.poll();
  if (pad.connected) {
    keyboard.releaseAll(); // keys held when the pad took over must not drive when it leaves
    lastAxes = pad.axes;
    inputName = shortName(pad.name);
  } else if (touch.active()) {
    lastAxes = fingers;
    inputName = 'Touch';
  } else {
    lastAxes = keys;
    inputName = pads.unusable ? `Keyboard (${shortName(pads.unusable)} has no standard mapping)` : 'Keyboard';
  }
  push();
}

function push() {
  lastIntent = drive.apply(lastAxes);
  if (loop) {
    const before = loop.seq;
    loop.set(lastIntent);
    if (lastIntent.armed && armedFromSeq === Infinity) {
      armedFromSeq = loop.seq > before ? loop.seq : before + 1;
    }
  }
  if (!lastIntent.armed) {
    armedFromSeq = Infinity;
  }
}

function shortName(id) {
  return (id || 'Controller').replace(/\s*\(.*$/, '').slice(0, 40) || 'Controller';
}

function padLost(name) {
  keyboard.releaseAll();
  lastAxes = REST;
  const wasArmed = drive.armed;
  drive.armed = false;
  drive.message = `Controller disconnected: ${shortName(name)}. Disarmed; plug it in and arm again.`;
  if (wasArmed || loop) {
    push(); // one neutral, disarmed frame now
  }
}

/**
 * Clearing an E-STOP must be its own act: a press within this time of the E-STOP is the same
 * finger's click landing late, or a second tap in a panic.
 */
const CLEAR_ESTOP_GUARD_MS = 800;
let estopAt = -Infinity;

/** Arm, E-STOP: from a key, a pad button or a screen button. */
function act(action) {
  if (carId === null) {
    return;
  }
  if (action === 'estop') {
    drive.emergencyStop(''); // the car's ESTOP state says it all (or "waiting to confirm")
    estopAt = performance.now();
  } else if (action === 'arm') {
    drive.toggleArm(lastAxes);
  } else if (action === 'clear-estop') {
    if (performance.now() - estopAt < CLEAR_ESTOP_GUARD_MS) {
      return;
    }
    drive.clearEmergencyStop();
  }
  push(); // now, not at the next frame
  showState();
}

/** The page was hidden or the window lost focus: one neutral frame now, then disarmed. */
function focusLost(why) {
  keyboard.releaseAll();
  touch.releaseAll();
  lastAxes = REST;
  if (drive.armed) {
    drive.disarm(why);
  }
  push();
  showState();
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') {
    focusLost('Disarmed: the page was hidden');
  }
});
window.addEventListener('blur', () => focusLost('Disarmed: the window lost focus'));

window.addEventListener('keydown', (event) => {
  if (document.body.dataset.view !== 'drive' || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const what = keyboard.keyDown(event.code);
  if (what === null) {
    return;
  }
  event.preventDefault(); // Space must not scroll, Enter must not press a focused button
  if (what === 'arm' && !event.repeat) {
    act('arm');
  } else if (what === 'estop') {
    act('estop');
  }
});
window.addEventListener('keyup', (event) => {
  if (keyboard.keyUp(event.code)) {
    event.preventDefault();
  }
});

touch.attach($('steer-area'), $('steer-thumb'), $('throttle-area'), $('throttle-thumb'));
window.addEventListener(
  'pointerdown',
  (event) => {
    if (event.pointerType === 'touch') {
      document.body.classList.add('touch');
    }
  },
  { capture: true },
);
if (matchMedia('(pointer: coarse)').matches) {
  document.body.classList.add('touch');
}

$('arm').addEventListener('click', () => act('arm'));
$('estop').addEventListener('pointerdown', () => act('estop')); // at once, not on release
$('estop').addEventListener('click', () => act('estop')); // a keyboard's Enter on the button
$('clear-estop').addEventListener('click', () => act('clear-estop'));

// Fullscreen: Esc must stay E-STOP, so it is locked to the page where the browser allows it; a
// browser that leaves fullscreen on Esc anyway is taken as an E-STOP, since that may be what the
// driver meant.
$('fullscreen').addEventListener('click', async () => {
  if (document.fullscreenElement) {
    await document.exitFullscreen();
    return;
  }
  try {
    await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    await navigator.keyboard?.lock?.(['Escape']);
  } catch (e) {
    console.warn('rcdrive: fullscreen refused:', e.message);
  }
});
let leavingFullscreenOnPurpose = false;
$('fullscreen').addEventListener('pointerdown', () => {
  leavingFullscreenOnPurpose = Boolean(document.fullscreenElement);
});
document.addEventListener('fullscreenchange', () => {
  $('fullscreen').textContent = document.fullscreenElement ? 'Exit fullscreen' : 'Fullscreen';
  if (!document.fullscreenElement && drive.armed && !leavingFullscreenOnPurpose) {
    act('estop');
  }
  leavingFullscreenOnPurpose = false;
});

// ---- the screen -------------------------------------------------------------------------------

function setPhase(next, detail) {
  phase = next;
  phaseDetail = detail;
  showState();
}

const STATE_TEXT = {
  DISARMED: 'Disarmed: press Enter, A on the controller, or ARM to drive.',
  ARMED: 'Armed: driving.',
  FAILSAFE:
    'Failsafe: the car stopped (no control arrived in time, or its link or outputs failed). Arm to drive again.',
  ESTOP: 'E-STOP latched: the car is stopped. Clear E-STOP, then arm.',
};

function showState() {
  const now = performance.now();
  const stateEl = $('car-state');
  let state;
  let reason;
  if (phase !== 'connected' && phase !== 'reconnecting') {
    state = phase === 'idle' ? '–' : 'CONNECTING';
    reason = phaseDetail;
  } else if (telemetry === null) {
    state = 'WAITING';
    reason = 'Waiting for the car to report…';
  } else if (now - telemetryAt > TELEMETRY_STALE_MS) {
    state = 'NOT RESPONDING';
    reason = `No word from the car for ${((now - telemetryAt) / 1000).toFixed(1)} s. ${phaseDetail}`;
  } else {
    state = telemetry.state;
    reason = STATE_TEXT[state];
    if (drive.estop && state !== 'ESTOP') {
      reason = 'E-STOP sent: waiting for the car to confirm.';
    } else if (drive.armed && state === 'DISARMED') {
      reason = 'Arming…';
    }
  }
  stateEl.textContent = state === 'ESTOP' ? 'E-STOP' : state;
  stateEl.dataset.state = state;
  const pageMessage = drive.message && !(drive.armed && telemetry?.state === 'ARMED') ? drive.message : '';
  $('state-reason').textContent =
    pageMessage && pageMessage !== reason ? `${sentence(pageMessage)} ${reason}` : reason;
  $('arm').textContent = drive.armed ? 'DISARM' : 'ARM';
  $('arm').classList.toggle('armed', drive.armed);
  $('arm').disabled = drive.estop;
  $('clear-estop').hidden = !drive.estop;
  const banner = $('banner');
  const showBanner = phase === 'asking' || phase === 'negotiating' || phase === 'checking' || phase === 'reconnecting';
  banner.hidden = !showBanner;
  banner.textContent = showBanner ? phaseDetail : '';
  const offline = carId !== null && cars.find((c) => c.carId === carId)?.online === false;
  if (offline && phase !== 'idle') {
    banner.hidden = false;
    banner.textContent = `${carName} went offline: it keeps its outputs neutral. Waiting for it to come back…`;
  }
  $('input-name').textContent = inputName;
}

function sentence(text) {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function ms(value) {
  return Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–';
}

function showFigures() {
  showState();
  $('rtt').textContent = ms(rttMs);
  $('g2g').textContent = ms(video.glassToGlassMs);
  $('video-figures').textContent =
    video.width > 0
      ? `${video.width}×${video.height} ${Number.isFinite(figures.fps) ? figures.fps.toFixed(0) : '–'} fps`
      : '–';
  $('bitrate').textContent = Number.isFinite(figures.kbps) ? `${(figures.kbps / 1000).toFixed(2)} Mbit/s` : '–';
  $('loss').textContent = Number.isFinite(figures.lossPct)
    ? `${figures.lossPct.toFixed(1)} %  jitter ${ms(figures.jitterMs)}`
    : '–';
  $('path').textContent = pathText();
  $('speed').textContent =
    telemetry === null ? '–' : `${(Math.abs(telemetry.speedMps) * 3.6).toFixed(1)} km/h`;
  $('health').textContent = healthText();
}

function pathText() {
  if (!figures.local) {
    return '–';
  }
  if (figures.local === 'relay' || figures.remote === 'relay') {
    return 'TURN relay';
  }
  return `direct (${figures.local})`;
}

function healthText() {
  if (!health) {
    return '';
  }
  const parts = [];
  if (health.camera === 'RESTARTING') {
    parts.push(`Camera restarting… (${health.cameraRestarts} restarts so far)`);
  } else if (health.camera === 'FAILED') {
    parts.push('Camera failed: the car sends no picture');
  } else if (health.camera === 'STARTING') {
    parts.push('Camera starting…');
  }
  if (Number.isFinite(health.cpuTempC)) {
    parts.push(`CPU ${health.cpuTempC.toFixed(0)} °C`);
  }
  if (health.throttled >= 0 && (health.throttled & 1) !== 0) {
    parts.push('UNDER-VOLTAGE');
  }
  if (health.signalPercent >= 0) {
    parts.push(`signal ${health.signalPercent} %`);
  }
  if (telemetry && Number.isFinite(telemetry.batteryVolts)) {
    parts.push(`battery ${telemetry.batteryVolts.toFixed(2)} V`);
  }
  return parts.join(' · ');
}

async function pollStats() {
  const current = link;
  if (!current) {
    return;
  }
  try {
    const s = await current.stats();
    const now = performance.now();
    if (previousStats) {
      const seconds = (now - previousStats.at) / 1000;
      const lost = s.packetsLost - previousStats.packetsLost;
      const received = s.packetsReceived - previousStats.packetsReceived;
      figures = {
        fps: (video.framesShown - previousStats.framesShown) / seconds,
        kbps: ((s.bytesReceived - previousStats.bytesReceived) * 8) / 1000 / seconds,
        lossPct: lost + received > 0 ? (100 * Math.max(0, lost)) / (lost + received) : 0,
        jitterMs: s.jitterMs,
        local: s.local,
        remote: s.remote,
        decoder: s.decoder,
      };
    }
    previousStats = { ...s, at: now, framesShown: video.framesShown };
  } catch (e) {
    // the link closed meanwhile
  }
}

setInterval(showFigures, 200);
setInterval(pollStats, 1000);

// ---- leaving the page -------------------------------------------------------------------------

// The car fails safe by itself when frames stop (failsafeMs); this makes it immediate when the
// browser lets the page say goodbye.
window.addEventListener('pagehide', () => {
  loop?.close();
  if (carId !== null) {
    signaling?.send({ type: 'release', carId });
  }
  signaling?.close('page closed');
  link?.close();
});

// ---- what tests and the benchmark read --------------------------------------------------------

window.rcdrive = Object.freeze({
  snapshot() {
    return {
      view: document.body.dataset.view,
      phase,
      phaseDetail,
      linkState,
      carId,
      cars: cars.map((c) => ({ ...c })),
      armed: drive.armed,
      estop: drive.estop,
      message: drive.message,
      carState: telemetry?.state ?? null,
      telemetryAgeMs: performance.now() - telemetryAt,
      appliedThrottle: telemetry?.appliedThrottle ?? null,
      intent: { ...lastIntent },
      inputName,
      framesSent: loop?.framesSent ?? 0,
      controlSeq: loop?.seq ?? 0,
      rttMs,
      glassToGlassMs: video.glassToGlassMs,
      framesShown: video.framesShown,
      stampsRead: video.stampsRead,
      picturesMismatched: video.picturesMismatched,
      framesWithRtpTime: video.framesWithRtpTime,
      width: video.width,
      height: video.height,
      telemetryDropped,
      figures: { ...figures },
      iceRestarts,
      candidates: link ? { ...link.candidates } : null,
      offersSent: link?.offersSent ?? 0,
      marks: { ...marks },
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      shownState: $('car-state').textContent,
      shownReason: $('state-reason').textContent,
      signalingStatus: $('signaling-status').textContent,
    };
  },
  samples() {
    return {
      rtt: [...rttSamples],
      glassToGlass: [...video.samples.glassToGlass],
      toCallback: [...video.samples.toCallback],
    };
  },
  clearSamples() {
    rttSamples.length = 0;
    video.samples.glassToGlass.length = 0;
    video.samples.toCallback.length = 0;
  },
  /** Stops the input sampler, as a stalled renderer would: the control loop must go stale. */
  freezeInput() {
    inputFrozen = true;
  },
  /** An ICE restart now, as the page does after 2 s of an interrupted link. */
  restartIce() {
    link?.restartIce();
  },
});

// ---- start ------------------------------------------------------------------------------------

requestAnimationFrame(pulse);
renderCars();
const fromAddress = new URLSearchParams(location.hash.slice(1));
if (location.hash) {
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the bar
}
wantedCar = fromAddress.get('car');
const token = fromAddress.get('token') ?? localStorage.getItem(TOKEN_KEY);
if (localStorage.getItem(TOKEN_KEY)) {
  $('remember').checked = true;
  $('token').value = localStorage.getItem(TOKEN_KEY);
}
showView('login');
if (token) {
  logIn(token);
}
