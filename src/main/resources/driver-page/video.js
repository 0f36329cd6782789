// The car's video: shown full-window with its stamp rows hidden, and for every frame the browser
// presents (requestVideoFrameCallback), the FrameStamp read back from the picture to count frames
// and measure glass to glass (capture on the car → this frame on screen).

import {
  FrameMatch,
  lumaOf,
  readStamp,
  STAMP_ROWS,
  STAMP_SAMPLE_FIRST_ROW,
  STAMP_SAMPLE_ROWS,
  stampAgeMillis,
} from './protocol.js';

/** Rows hidden above the window's edge when the car stamps its frames: the scaler blurs row 16. */
const HIDDEN_ROWS = STAMP_ROWS + 2;

/** Samples kept for the benchmark and the tests (a minute at 60 fps is 3,600). */
const MAX_SAMPLES = 20000;

export class VideoView {
  /**
   * @param video the <video> element, in a frame that clips it (the stamp rows sit above its top)
   * @param onFirstFrame (msSinceNavigation) => void, once per stream
   */
  constructor(video, onFirstFrame = () => {}) {
    this.video = video;
    this.onFirstFrame = onFirstFrame;
    this.canvas = document.createElement('canvas');
    this.context = this.canvas.getContext('2d', { willReadFrequently: true });
    this.framesShown = 0;
    this.stampsRead = 0;
    this.lastCounter = -1;
    this.framesSkipped = 0;
    this.frameMatch = new FrameMatch();
    this.picturesMismatched = 0;
    this.framesWithRtpTime = 0; // frames whose metadata had their RTP timestamp (FrameMatch)
    this.glassToGlassMs = NaN;
    this.toCallbackMs = NaN;
    this.width = 0;
    this.height = 0;
    this.firstFrameMs = NaN;
    this.samples = { glassToGlass: [], toCallback: [] };
    this.handle = null;
    this.stream = null;
    this.stamped = false;
    window.addEventListener('resize', () => this.layout());
    video.addEventListener('resize', () => this.layout());
  }

  show(stream) {
    if (this.stream === stream) {
      return;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.play().catch(() => {}); // muted autoplay is allowed; a refusal shows no picture
    this.watch();
  }

  stop() {
    if (this.handle !== null && this.video.cancelVideoFrameCallback) {
      this.video.cancelVideoFrameCallback(this.handle);
      this.handle = null;
    }
    this.video.srcObject = null;
    this.stream = null;
    this.firstFrameMs = NaN; // the next car's first frame is news again
    this.stamped = false;
    this.frameMatch.reset();
    this.glassToGlassMs = NaN;
    this.width = 0;
    this.height = 0;
  }

  watch() {
    if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) {
      // An older browser: the picture shows, but frames cannot be counted nor stamps read.
      this.video.addEventListener('playing', () => this.firstFrameOnce(), { once: true });
      return;
    }
    if (this.handle !== null) {
      this.video.cancelVideoFrameCallback(this.handle);
    }
    this.handle = this.video.requestVideoFrameCallback((now, meta) => this.onFrame(now, meta));
  }

  onFrame(now, meta) {
    const callbackEpochMs = performance.timeOrigin + performance.now();
    this.handle = this.video.requestVideoFrameCallback((n, m) => this.onFrame(n, m));
    this.framesShown++;
    this.firstFrameOnce();
    const w = meta.width;
    const h = meta.height;
    if (w !== this.width || h !== this.height) {
      this.width = w;
      this.height = h;
      this.canvas.width = w;
      this.canvas.height = STAMP_SAMPLE_ROWS;
      this.layout();
    }
    const stamp = this.readStamp(w, h);
    if ((stamp !== null) !== this.stamped) {
      this.stamped = stamp !== null; // a camera without stamps loses no rows
      this.layout();
    }
    if (stamp === null) {
      return;
    }
    this.stampsRead++;
    if (this.lastCounter >= 0 && stamp.counter > this.lastCounter + 1) {
      this.framesSkipped += stamp.counter - this.lastCounter - 1;
    }
    this.lastCounter = stamp.counter;
    if (typeof meta.rtpTimestamp === 'number') {
      this.framesWithRtpTime++;
    }
    if (!this.frameMatch.matches(stamp.counter, stamp.captureTenths, meta.rtpTimestamp)) {
      this.picturesMismatched++; // another picture than this frame (mostly the next): no time for it
      return;
    }
    // On glass: when the compositor expects this frame to be visible.
    const displayEpochMs = performance.timeOrigin + (meta.expectedDisplayTime ?? now);
    this.glassToGlassMs = stampAgeMillis(stamp.captureTenths, displayEpochMs);
    this.toCallbackMs = stampAgeMillis(stamp.captureTenths, callbackEpochMs);
    push(this.samples.glassToGlass, this.glassToGlassMs);
    push(this.samples.toCallback, this.toCallbackMs);
  }

  firstFrameOnce() {
    if (Number.isNaN(this.firstFrameMs)) {
      this.firstFrameMs = performance.now();
      this.onFirstFrame(this.firstFrameMs);
    }
  }

  readStamp(w, h) {
    if (w < 128 || h < STAMP_ROWS) {
      return null;
    }
    try {
      this.context.drawImage(
        this.video, 0, STAMP_SAMPLE_FIRST_ROW, w, STAMP_SAMPLE_ROWS, 0, 0, w, STAMP_SAMPLE_ROWS);
      const rgba = this.context.getImageData(0, 0, w, STAMP_SAMPLE_ROWS).data;
      return readStamp(w, h, (x, y) => {
        const i = ((y - STAMP_SAMPLE_FIRST_ROW) * w + x) * 4;
        return lumaOf(rgba[i], rgba[i + 1], rgba[i + 2]);
      });
    } catch (e) {
      return null; // a frame the canvas cannot read: no stamp for it
    }
  }

  /**
   * Fits the picture into the window (letterboxed): the parent frame is sized to what is shown and
   * clips the rest, the stamp rows (when the car stamps its frames) sit above its top edge.
   */
  layout() {
    const w = this.video.videoWidth || this.width;
    const h = this.video.videoHeight || this.height;
    const frame = this.video.parentElement;
    const box = frame.parentElement.getBoundingClientRect();
    if (!w || !h || !box.width || !box.height) {
      return;
    }
    const hidden = this.stamped ? HIDDEN_ROWS : 0;
    const visible = h - hidden;
    const scale = Math.min(box.width / w, box.height / visible);
    Object.assign(frame.style, {
      width: `${w * scale}px`,
      height: `${visible * scale}px`,
      left: `${(box.width - w * scale) / 2}px`,
      top: `${(box.height - visible * scale) / 2}px`,
    });
    Object.assign(this.video.style, {
      width: `${w * scale}px`,
      height: `${h * scale}px`,
      left: '0px',
      top: `${-hidden * scale}px`,
    });
  }
}

function push(list, value) {
  if (list.length >= MAX_SAMPLES) {
    list.shift();
  }
  list.push(value);
}
