package dev.rcdrive.signaling.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.testing.Browser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The driver page's own modules, run in a real Chromium and checked against the Java side: the
 * frames byte for byte against dev.rcdrive.protocol's codecs, the FrameStamp reader against the
 * writer, the control loop's rules on a virtual clock, the keyboard's feel against the station's
 * KeyboardInput, the controller mapping on synthetic pads. What the page does with them, with a
 * real car, is DriverPageTest's.
 */
@Tag("slow")
class DriverPageModulesTest {

  @TempDir static Path dir;

  private static DriverPageServer page;
  private static Browser browser;

  @BeforeAll
  static void open() throws Exception {
    Browser.require();
    page =
        DriverPageServer.start("127.0.0.1", 0, null, new DriverPageServer.Signaling("ws", 9, null));
    browser = Browser.desktop(dir);
    browser.driver().get(page.uri().toString());
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
    if (page != null) {
      page.close();
    }
  }

  /** Runs an async function body in the page; {@code args} is its argument list. */
  private static Object js(String body, Object... args) {
    String script =
        "const done = arguments[arguments.length - 1];"
            + "const args = Array.from(arguments).slice(0, -1);"
            + "(async () => {"
            + body
            + "})().then(done, e => done({error: String(e && e.stack || e)}));";
    Object result = browser.driver().executeAsyncScript(script, args);
    if (result instanceof Map<?, ?> map && map.containsKey("error")) {
      throw new AssertionError("in the page: " + map.get("error"));
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static double num(Object value) {
    return ((Number) value).doubleValue();
  }

  // ---- frames -----------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          1,          1000000,        0.5,     0.25,    0,      true,  false, 0
          4294967295, 0,              -1,      1,       1,      false, true,  65535
          77,         9007199254740,  0.12345, -0.5,    0.0001, true,  true,  3
          2,          123,            -0.5,    -0.00005, 0.99995, false, false, 0
          """)
  void controlFramesAreTheJavaCodecsByteForByte(
      long seq,
      long sentMicros,
      double steering,
      double throttle,
      double brake,
      boolean armed,
      boolean estop,
      int buttons) {
    ControlFrame java =
        new ControlFrame(seq, sentMicros, steering, throttle, brake, armed, estop, buttons);

    Object hex =
        js(
            """
            const p = await import('/protocol.js');
            const [seq, sentMicros, steering, throttle, brake, armed, estop, buttons] = args;
            const bytes = new Uint8Array(p.encodeControl(
                {seq, sentMicros, steering, throttle, brake, armed, estop, buttons}));
            return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
            """,
            seq,
            sentMicros,
            steering,
            throttle,
            brake,
            armed,
            estop,
            buttons);
    Map<String, Object> decoded =
        map(
            js(
                "const p = await import('/protocol.js');"
                    + "const bytes = Uint8Array.from(args[0]);"
                    + "return p.decodeControl(bytes.buffer);",
                unsigned(java.encode())));

    assertThat(hex).isEqualTo(HexFormat.of().formatHex(java.encode()));
    assertThat(decoded.get("ok")).isEqualTo(true);
    Map<String, Object> frame = map(decoded.get("frame"));
    assertThat(num(frame.get("seq"))).isEqualTo(seq);
    assertThat(num(frame.get("steering"))).isEqualTo(java.steering());
    assertThat(num(frame.get("throttle"))).isEqualTo(java.throttle());
    assertThat(num(frame.get("brake"))).isEqualTo(java.brake());
    assertThat(frame.get("armed")).isEqualTo(armed);
    assertThat(frame.get("estop")).isEqualTo(estop);
  }

  @Test
  void telemetryAndHealthFromTheCarDecodeAsInJava() {
    List<TelemetryFrame> frames =
        List.of(
            new TelemetryFrame(
                7,
                41,
                123_456_789,
                31_000,
                999_999_999L,
                -0.25,
                0.5,
                CarState.ARMED,
                2.37,
                11.1,
                3),
            new TelemetryFrame(
                4294967295L, 0, 0, 0, 0, 1, -1, CarState.FAILSAFE, -3.5, Double.NaN, 0),
            new TelemetryFrame(1, 2, 3, 4, 5, 0, 0, CarState.ESTOP, 0, 0, 4294967295L));
    for (TelemetryFrame java : frames) {
      Map<String, Object> decoded =
          map(
              js(
                  """
                  const p = await import('/protocol.js');
                  const d = p.decodeTelemetry(Uint8Array.from(args[0]).buffer);
                  if (d.ok && Number.isNaN(d.frame.batteryVolts)) d.frame.batteryVolts = 'NaN';
                  return d;
                  """,
                  unsigned(java.encode())));
      assertThat(decoded.get("ok")).as(java.toString()).isEqualTo(true);
      Map<String, Object> f = map(decoded.get("frame"));
      assertThat(num(f.get("seq"))).isEqualTo(java.seq());
      assertThat(num(f.get("echoSeq"))).isEqualTo(java.echoSeq());
      assertThat(num(f.get("echoSentMicros"))).isEqualTo(java.echoSentMicros());
      assertThat(num(f.get("echoHoldMicros"))).isEqualTo(java.echoHoldMicros());
      assertThat(num(f.get("carMicros"))).isEqualTo(java.carMicros());
      assertThat(num(f.get("appliedSteering"))).isEqualTo(java.appliedSteering());
      assertThat(num(f.get("appliedThrottle"))).isEqualTo(java.appliedThrottle());
      assertThat(f.get("state")).isEqualTo(java.state().name());
      assertThat(num(f.get("speedMps"))).isEqualTo(java.speedMps());
      if (java.hasBattery()) {
        assertThat(num(f.get("batteryVolts"))).isEqualTo(java.batteryVolts());
      } else {
        assertThat(f.get("batteryVolts")).isEqualTo("NaN");
      }
      assertThat(num(f.get("rejectedFrames"))).isEqualTo(java.rejectedFrames());
    }

    HealthFrame health = new HealthFrame(HealthFrame.Camera.RESTARTING, 3, 61.5, 0x50005, 72);
    Map<String, Object> decoded =
        map(
            js(
                """
                const p = await import('/protocol.js');
                const bytes = Uint8Array.from(args[0]).buffer;
                return {isHealth: p.isHealth(bytes), decoded: p.decodeHealth(bytes)};
                """,
                unsigned(health.encode())));
    assertThat(decoded.get("isHealth")).isEqualTo(true);
    Map<String, Object> h = map(map(decoded.get("decoded")).get("frame"));
    assertThat(h.get("camera")).isEqualTo("RESTARTING");
    assertThat(num(h.get("cameraRestarts"))).isEqualTo(3);
    assertThat(num(h.get("cpuTempC"))).isEqualTo(61.5);
    assertThat(num(h.get("throttled"))).isEqualTo(0x50005);
    assertThat(num(h.get("signalPercent"))).isEqualTo(72);

    // The car's sender counters (1 Hz) are told apart, not taken for a broken telemetry frame.
    byte[] senderStats = new SenderStatsFrame(30, 36_000, 30, 90_000, 120, 0).encode();
    Map<String, Object> kinds =
        map(
            js(
                """
                const p = await import('/protocol.js');
                const kind = (a) => {
                  const bytes = Uint8Array.from(a).buffer;
                  return {stats: p.isSenderStats(bytes), health: p.isHealth(bytes)};
                };
                return {stats: kind(args[0]), health: kind(args[1])};
                """,
                unsigned(senderStats),
                unsigned(health.encode())));
    assertThat(map(kinds.get("stats"))).containsEntry("stats", true).containsEntry("health", false);
    assertThat(map(kinds.get("health"))).containsEntry("stats", false);
  }

  @Test
  void malformedFramesAreRejectedNeverThrown() {
    byte[] good =
        new TelemetryFrame(1, 1, 1, 1, 1, 0, 0, CarState.DISARMED, 0, Double.NaN, 0).encode();
    List<List<Integer>> bad = new ArrayList<>();
    bad.add(unsigned(java.util.Arrays.copyOf(good, 42))); // short
    for (int[] change :
        new int[][] {
          {0, 2}, // version
          {1, 'C'}, // kind
          {34, 9}, // state
          {35, 0x80}, // speed -32768 (with the next byte 0)
          {30, 0x27}, // steering 0x2700 + low byte: > 10000
        }) {
      byte[] copy = good.clone();
      copy[change[0]] = (byte) change[1];
      if (change[0] == 35) {
        copy[36] = 0;
      }
      if (change[0] == 30) {
        copy[31] = (byte) 0x11;
      }
      bad.add(unsigned(copy));
    }

    Map<String, Object> result =
        map(
            js(
                """
                const p = await import('/protocol.js');
                const reasons = args[0].map(b => p.decodeTelemetry(Uint8Array.from(b).buffer));
                // Random bytes of random sizes: every decoder answers, none throws.
                let seed = 12345;
                const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
                let answered = 0;
                for (let i = 0; i < 3000; i++) {
                  const size = [12, 23, 43, Math.floor(random() * 64)][i % 4];
                  const bytes = new Uint8Array(size).map(() => Math.floor(random() * 256));
                  if (i % 3 === 0 && size > 1) { bytes[0] = 1; bytes[1] = [0x43, 0x54, 0x48][i % 3]; }
                  for (const decode of [p.decodeControl, p.decodeTelemetry, p.decodeHealth]) {
                    const d = decode(bytes.buffer);
                    if (d.ok === true || (d.ok === false && typeof d.reason === 'string')) answered++;
                  }
                }
                return {reasons, answered};
                """,
                bad));

    for (Object each : list(result.get("reasons"))) {
      assertThat(map(each).get("ok")).isEqualTo(false);
      assertThat(map(each).get("reason")).asString().isNotBlank();
    }
    assertThat(num(result.get("answered"))).isEqualTo(9000);
  }

  // ---- FrameStamp -------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          640,  480,  1,        0
          640,  480,  16777215, 4294967295
          1280, 720,  123456,   3141592653
          """)
  void stampsReadBackAsTheCarWroteThem(int width, int height, long counter, long tenths) {
    I420Image image = new I420Image(width, height);
    java.util.Arrays.fill(image.y(), (byte) 90);
    FrameStamp written = new FrameStamp(counter, tenths);
    written.writeInto(image);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < width * FrameStamp.ROWS; i++) {
      rows.add(image.y()[i] & 0xFF);
    }

    Map<String, Object> result =
        map(
            js(
                """
                const p = await import('/protocol.js');
                const [w, h, y] = args;
                const luma = (x, row) => y[row * w + x];
                // As the page sees it: studio-range luma decoded to full-range grey, and back.
                const viaRgb = (x, row) => {
                  const grey = Math.max(0, Math.min(255, (luma(x, row) - 16) * 255 / 219));
                  return p.lumaOf(grey, grey, grey);
                };
                const broken = y.slice();
                for (let row = 0; row < 16; row++) {
                  for (let x = 0; x < w / 64; x++) broken[row * w + x + 5 * (w / 64)] ^= 0xFF;
                }
                return {
                  direct: p.readStamp(w, h, luma),
                  rgb: p.readStamp(w, h, viaRgb),
                  broken: p.readStamp(w, h, (x, row) => broken[row * w + x]),
                  tooNarrow: p.readStamp(100, h, luma),
                };
                """,
                width,
                height,
                rows));

    for (String path : List.of("direct", "rgb")) {
      Map<String, Object> stamp = map(result.get(path));
      assertThat(num(stamp.get("counter"))).as(path).isEqualTo(written.counter());
      assertThat(num(stamp.get("captureTenths")))
          .as(path)
          .isEqualTo(written.captureTenthsOfMillis());
    }
    assertThat(result.get("broken")).isNull();
    assertThat(result.get("tooNarrow")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          1000,         1764061200000000
          4294967000,   429496729600100
          10,           1764061199999000
          """)
  void stampAgeIsFrameStampsAgeMillis(long captureTenths, long nowEpochMicros) {
    double java = new FrameStamp(0, captureTenths).ageMillis(nowEpochMicros);

    Object page =
        js(
            "const p = await import('/protocol.js');"
                + "return p.stampAgeMillis(args[0], args[1] / 1000);",
            captureTenths,
            nowEpochMicros);

    assertThat(num(page)).isCloseTo(java, within(0.11)); // the page's clock is in ms, not µs
  }

  @Test
  void aPictureOtherThanItsCallbacksFrameIsToldApart() {
    // 30 fps: the stamp in 0.1 ms, the RTP timestamp at 90 kHz from its own random base, both
    // across their wrap; the stamp's clock jitters by up to 1.2 ms against RTP's. Frame 5 read the
    // picture of frame 6 (drawn after the video moved on), frame 8 that of 10.
    Object page =
        js(
            """
            const p = await import('/protocol.js');
            const m = new p.FrameMatch();
            const out = [];
            const stamp = (i) => (4294967296 - 300 + i * 333 + (i % 4) * 4) % 4294967296;
            const rtp = (i) => (4294967000 + i * 3000) % 4294967296;
            const read = (drawn, frame) => out.push(m.matches(100 + drawn, stamp(drawn), rtp(frame)));
            for (let i = 0; i < 12; i++) {
              read(i === 5 ? 6 : i === 8 ? 10 : i, i);
            }
            out.push(m.matches(112, 12345, undefined)); // no RTP timestamp: nothing to tell
            m.reset(); // a stream whose first picture is a frame behind its metadata's
            for (let i = 20; i < 25; i++) {
              read(i === 20 ? 19 : i, i);
            }
            return out;
            """);

    assertThat(page)
        .isEqualTo(
            java.util.List.of(
                true, true, true, true, true, false, true, true, false, true, true, true, // frames
                true, // no RTP time
                true, false, true, true, true)); // after the reset: two pairs cannot say which
  }

  // ---- the control loop on a virtual clock ------------------------------------------------------

  @Test
  void theControlLoopFollowsTheStationsRules() {
    Map<String, Object> r =
        map(
            js(
                """
                const p = await import('/protocol.js');
                const d = await import('/drive.js');
                let now = 1000;
                const sent = [];
                let stale = 0;
                const loop = new d.ControlLoop(b => { sent.push(p.decodeControl(b).frame); return true; },
                    {now: () => now, setInterval: () => 0, clearInterval: () => {}, onStale: () => stale++});
                const log = [];
                const last = () => { const f = sent[sent.length - 1];
                    return {seq: f.seq, armed: f.armed, estop: f.estop, throttle: f.throttle,
                            sentMicros: f.sentMicros, count: sent.length}; };
                const drive = d.intent(0.2, 0.6, 0, true, false);
                loop.tick();                   log.push(['first heartbeat', last()]);
                loop.set(d.intent(0, 0, 0, false, false)); log.push(['same as before: not sent', last()]);
                loop.set(drive);               log.push(['changed: sent at once', last()]);
                now += 400; loop.tick();       log.push(['heartbeat within 500 ms', last()]);
                now += 101; loop.tick();       log.push(['stale after 500 ms', last()]);
                loop.set(drive); loop.tick();  log.push(['still armed input: still neutral', last()]);
                loop.set(d.NEUTRAL);           log.push(['disarmed once', last()]);
                loop.set(drive);               log.push(['armed again: sent', last()]);
                loop.set(d.intent(0, 0, 0, false, true)); log.push(['e-stop', last()]);
                now += 600; loop.tick();       log.push(['stale keeps the e-stop', last()]);
                loop.close();                  log.push(['close: one neutral frame', last()]);
                loop.set(drive); loop.tick();  log.push(['nothing after close', last()]);
                return {log, stale};
                """));

    List<Object> log = list(r.get("log"));
    String[][] expected = {
      // what, armed, estop, throttle > 0, frames so far
      {"first heartbeat", "false", "false", "false", "1"},
      {"same as before: not sent", "false", "false", "false", "1"},
      {"changed: sent at once", "true", "false", "true", "2"},
      {"heartbeat within 500 ms", "true", "false", "true", "3"},
      {"stale after 500 ms", "false", "false", "false", "4"},
      {"still armed input: still neutral", "false", "false", "false", "5"},
      {"disarmed once", "false", "false", "false", "6"},
      {"armed again: sent", "true", "false", "true", "7"},
      {"e-stop", "false", "true", "false", "8"},
      {"stale keeps the e-stop", "false", "true", "false", "9"},
      {"close: one neutral frame", "false", "true", "false", "10"},
      {"nothing after close", "false", "true", "false", "10"},
    };
    assertThat(log).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      List<Object> row = list(log.get(i));
      Map<String, Object> frame = map(row.get(1));
      String what = expected[i][0];
      assertThat(row.get(0)).isEqualTo(what);
      assertThat(frame.get("armed").toString()).as(what).isEqualTo(expected[i][1]);
      assertThat(frame.get("estop").toString()).as(what).isEqualTo(expected[i][2]);
      assertThat(num(frame.get("throttle")) > 0).as(what).hasToString(expected[i][3]);
      assertThat(num(frame.get("count"))).as(what).isEqualTo(Double.parseDouble(expected[i][4]));
      assertThat(num(frame.get("seq")))
          .as(what + ": one seq per frame")
          .isEqualTo(num(frame.get("count")));
    }
    // sentMicros is the page's clock: 1000 ms + 400 + 101 at the stale heartbeat.
    assertThat(num(map(list(log.get(4)).get(1)).get("sentMicros"))).isEqualTo(1_501_000);
    assertThat(num(r.get("stale"))).isEqualTo(2);
  }

  @Test
  void armingNeedsNoEstopAndReleasedThrottle() {
    Map<String, Object> r =
        map(
            js(
                """
                const d = await import('/drive.js');
                const s = new d.DriveState();
                const out = [];
                out.push([s.toggleArm({throttle: 0.5, brake: 0}), s.armed, s.message]);
                out.push([s.toggleArm({throttle: 0, brake: 0.2}), s.armed, s.message]);
                out.push([s.toggleArm({throttle: 0.01, brake: 0}), s.armed, s.message]);
                s.emergencyStop('stop');
                out.push([s.toggleArm({throttle: 0, brake: 0}), s.armed, s.message]);
                const whileStopped = s.apply({steering: 1, throttle: 1, brake: 0});
                s.clearEmergencyStop();
                out.push([s.toggleArm({throttle: 0, brake: 0}), s.armed, s.estop]);
                out.push([s.disarm('hidden'), s.armed, s.message]);
                out.push([s.disarm('again'), s.armed, s.message]);
                return {out, whileStopped};
                """));

    List<Object> out = list(r.get("out"));
    assertThat(list(out.get(0)))
        .containsExactly(false, false, "Release throttle and brake, then arm");
    assertThat(list(out.get(1)))
        .containsExactly(false, false, "Release throttle and brake, then arm");
    assertThat(list(out.get(2))).containsExactly(true, true, "");
    assertThat(list(out.get(3))).containsExactly(false, false, "Clear the E-STOP first");
    assertThat(list(out.get(4))).containsExactly(true, true, false);
    assertThat(list(out.get(5))).containsExactly(true, false, "hidden");
    assertThat(list(out.get(6))).containsExactly(false, false, "hidden");
    Map<String, Object> stopped = map(r.get("whileStopped"));
    assertThat(stopped.get("armed")).isEqualTo(false);
    assertThat(stopped.get("estop")).isEqualTo(true);
  }

  // ---- inputs -----------------------------------------------------------------------------------

  @Test
  void theKeyboardFeelsLikeTheStations() {
    String[][] steps = {
      {"down", "KeyW"},
      {"poll", "0.1"},
      {"poll", "0.1"},
      {"down", "KeyA"},
      {"poll", "0.05"},
      {"poll", "0.2"},
      {"up", "KeyA"},
      {"poll", "0.05"},
      {"down", "Space"},
      {"poll", "0.1"},
      {"up", "Space"},
      {"up", "KeyW"},
      {"down", "ArrowDown"},
      {"poll", "0.3"},
      {"down", "ArrowRight"},
      {"poll", "0.1"},
      {"up", "ArrowDown"},
      {"up", "ArrowRight"},
      {"poll", "0.016"},
      {"poll", "0.3"},
    };
    KeyboardInput java = new KeyboardInput();
    List<List<Double>> expected = new ArrayList<>();
    List<List<String>> script = new ArrayList<>();
    for (String[] step : steps) {
      script.add(List.of(step));
      switch (step[0]) {
        case "down" -> java.press(key(step[1]));
        case "up" -> java.release(key(step[1]));
        default -> {
          var axes = java.poll(Double.parseDouble(step[1]));
          expected.add(List.of(axes.steering(), axes.drive(), axes.brake()));
        }
      }
    }

    List<Object> page =
        list(
            js(
                """
                const i = await import('/input.js');
                const k = new i.KeyboardInput();
                const out = [];
                for (const [what, value] of args[0]) {
                  if (what === 'down') k.keyDown(value);
                  else if (what === 'up') k.keyUp(value);
                  else { const a = k.poll(Number(value)); out.push([a.steering, a.throttle, a.brake]); }
                }
                return out;
                """,
                script));

    assertThat(page).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      List<Object> got = list(page.get(i));
      for (int axis = 0; axis < 3; axis++) {
        assertThat(num(got.get(axis)))
            .as("poll %d axis %d", i, axis)
            .isCloseTo(expected.get(i).get(axis), within(1e-9));
      }
    }
  }

  private static KeyboardInput.Key key(String code) {
    return switch (code) {
      case "KeyW", "ArrowUp" -> KeyboardInput.Key.THROTTLE;
      case "KeyS", "ArrowDown" -> KeyboardInput.Key.REVERSE;
      case "KeyA", "ArrowLeft" -> KeyboardInput.Key.LEFT;
      case "KeyD", "ArrowRight" -> KeyboardInput.Key.RIGHT;
      case "Space" -> KeyboardInput.Key.BRAKE;
      default -> throw new IllegalArgumentException(code);
    };
  }

  @Test
  void controllersMapTheStandardLayout() {
    Map<String, Object> r =
        map(
            js(
                """
                const i = await import('/input.js');
                let pads = [];
                const pad = (o) => ({id: 'Pad (STANDARD GAMEPAD Vendor: 045e)', index: 0,
                    connected: true, mapping: 'standard', axes: [0, 0, 0, 0],
                    buttons: Array.from({length: 17}, () => ({pressed: false, value: 0})), ...o});
                const press = (p, index, value = 1) => { p.buttons[index] = {pressed: value > 0.5, value}; return p; };
                const g = new i.GamepadInput(() => pads);
                const out = {};
                out.none = g.poll();
                pads = [{...pad({mapping: ''}), id: 'Odd pad'}];
                out.nonStandard = [g.poll().connected, g.unusable];
                pads = [press(pad(), 0)];
                out.heldWhenPlugged = g.poll();           // A already down: not a press
                pads = [pad()];
                out.released = g.poll();
                pads = [press(pad(), 0)];
                out.armPress = g.poll();
                pads = [press(press(pad({axes: [0.55, 0, 0, 0]}), 7, 0.8), 1)];
                out.driveAndStop = g.poll();
                pads = [press(pad({axes: [0.05, 0, 0, 0]}), 6, 0.4)];
                out.brakeInDeadzone = g.poll();
                pads = [];
                out.unplugged = g.poll();
                out.afterwards = g.poll();
                return out;
                """));

    assertThat(map(r.get("none")).get("connected")).isEqualTo(false);
    assertThat(map(r.get("none")).get("lost")).isEqualTo(false);
    assertThat(list(r.get("nonStandard"))).containsExactly(false, "Odd pad");
    Map<String, Object> held = map(r.get("heldWhenPlugged"));
    assertThat(held.get("attached")).isEqualTo(true);
    assertThat(list(held.get("actions"))).isEmpty();
    assertThat(list(map(r.get("released")).get("actions"))).isEmpty();
    assertThat(list(map(r.get("armPress")).get("actions"))).containsExactly("arm");
    Map<String, Object> drive = map(r.get("driveAndStop"));
    assertThat(list(drive.get("actions"))).containsExactly("estop");
    Map<String, Object> axes = map(drive.get("axes"));
    assertThat(num(axes.get("throttle"))).isCloseTo((0.8 - 0.02) / 0.98, within(1e-9));
    assertThat(num(axes.get("steering"))).isCloseTo((0.55 - 0.1) / 0.9, within(1e-9));
    Map<String, Object> braking = map(map(r.get("brakeInDeadzone")).get("axes"));
    assertThat(num(braking.get("throttle"))).isCloseTo(-(0.4 - 0.02) / 0.98, within(1e-9));
    assertThat(num(braking.get("steering"))).isZero();
    Map<String, Object> unplugged = map(r.get("unplugged"));
    assertThat(unplugged.get("lost")).isEqualTo(true);
    assertThat(unplugged.get("connected")).isEqualTo(false);
    assertThat(map(r.get("afterwards")).get("lost")).isEqualTo(false);
  }

  @Test
  void reconnectsAndIceRestartsBackOffAsTheStationDoes() {
    Map<String, Object> r =
        map(
            js(
                """
                const s = await import('/signaling.js');
                const l = await import('/link.js');
                return {
                  restarts: [0, 1, 2, 3, 4, 9].map(n => l.iceRestartDelay(n)),
                  backoffLow: [0, 1, 2, 3, 6, 30].map(n => s.backoffDelay(n, () => 0)),
                  backoffHigh: [0, 1, 2, 3, 6, 30].map(n => s.backoffDelay(n, () => 1)),
                };
                """));

    assertThat(list(r.get("restarts")))
        .extracting(v -> num(v))
        .containsExactly(2000.0, 4000.0, 8000.0, 8000.0, 8000.0, 8000.0);
    assertThat(list(r.get("backoffLow")))
        .extracting(v -> num(v))
        .containsExactly(125.0, 250.0, 500.0, 1000.0, 5000.0, 5000.0);
    assertThat(list(r.get("backoffHigh")))
        .extracting(v -> num(v))
        .containsExactly(250.0, 500.0, 1000.0, 2000.0, 10000.0, 10000.0);
  }

  private static List<Integer> unsigned(byte[] bytes) {
    List<Integer> out = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      out.add(b & 0xFF);
    }
    return out;
  }
}
