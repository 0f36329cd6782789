package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.web.DriverPageServer;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.Browser;
import dev.rcdrive.testing.ScriptedControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser driver page beside the station's driver side ({@link DriverSession}, what the JavaFX
 * station and {@code rcdrive probe} run), same car, same run, in alternating blocks: glass to glass
 * and control round trip at each camera size, then connect time.
 *
 * <ul>
 *   <li>Glass to glass: the car's FrameStamp (its capture time on the wall clock; one machine, one
 *       clock) against the driver's clock. Station: when the decoded frame reaches the session's
 *       sink. Page: in requestVideoFrameCallback (the frame handed to the compositor), and at the
 *       frame's expectedDisplayTime (on the screen, a vsync later).
 *   <li>Round trip: the telemetry's echo of a control frame, minus the car's hold time, on each
 *       driver's own clock (the page's performance.now(), cross-origin isolated: 5 µs steps).
 *   <li>Both drive the car in the same steady circle (steering 0.2, throttle 0.3), so the picture
 *       moves; the page through a synthetic standard gamepad (its real input path).
 *   <li>Connect: page — navigation start (performance.timeOrigin) to the first frame the page
 *       shows: loading the page, logging in, the car's lock, ICE, DTLS, the first frame. Station —
 *       DriverSession.open to the first decoded frame: the same minus loading a page.
 * </ul>
 */
final class BrowserDriverBench {

  record Size(int width, int height) {
    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  record Settings(
      List<Size> sizes,
      String scene,
      int fps,
      int rounds,
      int seconds,
      int warmup,
      int connectSamples,
      String rt) {
    static Settings from(BenchOptions options) {
      List<Size> sizes = new ArrayList<>();
      for (String size :
          options.subsetOf(
              "sizes", List.of("640x480", "1280x720"), List.of("640x480", "1280x720", "320x240"))) {
        String[] wh = size.split("x");
        sizes.add(new Size(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])));
      }
      return new Settings(
          sizes,
          options.oneOf("scene", "noisy", Scenes.NAMES),
          options.positiveInt("fps", 30),
          options.positiveInt("rounds", 2),
          options.positiveInt("seconds", 20),
          options.nonNegativeInt("warmup", 5),
          options.nonNegativeInt("connectSamples", 10),
          options.oneOf("rt", "none", ThreadPolicy.MODES));
    }
  }

  private static final double STEERING = 0.2;
  private static final double THROTTLE = 0.3;

  /** One block's figures; histograms in nanoseconds. */
  record Block(
      Size size,
      String path,
      int round,
      Histogram glassToGlass,
      Histogram toScreen,
      Histogram rtt,
      long frames,
      double armedPercent,
      MachineLoad.Usage load) {}

  record Connect(String path, Histogram total, Histogram fromDrive, List<String> marks) {}

  private BrowserDriverBench() {}

  static boolean run(BenchOptions options) throws Exception {
    Settings settings = Settings.from(options);
    options.rejectUnread();
    Browser.require();
    Path work = Files.createDirectories(Md.OUTPUT.resolve("browser-work"));
    Md.progress(
        "browser: sizes %s, %s@%d, %d rounds × %d s (+%d s warm-up) per path, %d connect samples",
        settings.sizes(),
        settings.scene(),
        settings.fps(),
        settings.rounds(),
        settings.seconds(),
        settings.warmup(),
        settings.connectSamples());
    List<Block> blocks = new ArrayList<>();
    List<Connect> connects = new ArrayList<>();
    String chromium;
    try (Browser browser = Browser.desktop(work);
        RtcEngine engine = RtcEngine.create()) {
      chromium = browser.driver().getCapabilities().getBrowserVersion();
      for (Size size : settings.sizes()) {
        try (LoopbackRig rig = LoopbackRig.start(null);
            DriverPageServer page =
                DriverPageServer.start(
                    "127.0.0.1", 0, null, DriverPageServer.Signaling.at(rig.uri()))) {
          CarAgent car =
              rig.startCar(
                  engine,
                  new LoopbackRig.Camera(
                      settings.scene(), size.width(), size.height(), settings.fps()),
                  new AgentConfig.Video(null, null, null).maxBitrateKbps(),
                  0,
                  null,
                  false,
                  null);
          try {
            for (int round = 0; round < settings.rounds(); round++) {
              boolean browserFirst = round % 2 == 0;
              for (int i = 0; i < 2; i++) {
                boolean inBrowser = (i == 0) == browserFirst;
                Block block =
                    inBrowser
                        ? browserBlock(browser, page, rig, car, size, round, settings)
                        : stationBlock(engine, rig, car, size, round, settings);
                blocks.add(block);
                Md.progress(
                    "%s %s round %d: glass to glass p50 %.1f p99 %.1f ms, rtt p50 %.2f p99 %.2f"
                        + " ms, %d frames; %s",
                    size,
                    block.path(),
                    round + 1,
                    Md.p50(block.glassToGlass()),
                    Md.p99(block.glassToGlass()),
                    Md.p50(block.rtt()),
                    Md.p99(block.rtt()),
                    block.frames(),
                    block.load().describe());
              }
            }
            if (size.equals(settings.sizes().get(settings.sizes().size() - 1))
                && settings.connectSamples() > 0) {
              connects.addAll(connect(browser, engine, page, rig, settings));
            }
          } finally {
            car.close();
          }
        }
      }
    }
    String report = report(settings, blocks, connects, chromium);
    Md.write("browser.md", report);
    System.out.println(report);
    return blocks.stream().allMatch(b -> b.frames() > 0 && b.rtt().getTotalCount() > 0);
  }

  // ---- the station's driver side ----------------------------------------------------------------

  private static Block stationBlock(
      RtcEngine engine, LoopbackRig rig, CarAgent car, Size size, int round, Settings settings)
      throws Exception {
    Histogram glass = histogram();
    Histogram rtt = histogram();
    long[] frames = {0};
    boolean[] measuring = {false};
    DriverSession session =
        DriverSession.open(
            engine,
            rig.uri(),
            LoopbackRig.DRIVER_TOKEN,
            LinkOptions.defaults(),
            frame -> {
              FrameStamp stamp = frame.stamp();
              if (measuring[0] && stamp != null) {
                glass.recordValue(Math.max(0, (long) (stamp.ageMillis(epochMicros()) * 1e6)));
                frames[0]++;
              }
            });
    try {
      session.ready().get(10, TimeUnit.SECONDS);
      session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
      session.firstFrame().get(15, TimeUnit.SECONDS);
      ScriptedControl control = new ScriptedControl(session);
      while (control.framesSent() == 0) { // a disarmed frame first: the car arms only after one
        LockSupport.parkNanos(1_000_000);
      }
      control.set(new DriveIntent(STEERING, THROTTLE, 0, true, false, 0));
      sleepSeconds(settings.warmup());
      ThreadPolicy.apply(settings.rt());
      MachineLoad start = MachineLoad.sample();
      measuring[0] = true;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds());
      TelemetryFrame last = null;
      ArmedShare armed = new ArmedShare(car);
      while (System.nanoTime() < end) {
        armed.sample();
        LinkStatus status = session.status();
        TelemetryFrame telemetry = status.telemetry();
        if (telemetry != null && telemetry != last) {
          last = telemetry;
          if (!Double.isNaN(status.controlRttMs())) {
            rtt.recordValue(Math.max(0, (long) (status.controlRttMs() * 1e6)));
          }
        }
        LockSupport.parkNanos(500_000);
      }
      measuring[0] = false;
      MachineLoad.Usage load = MachineLoad.sample().since(start);
      control.close();
      return new Block(
          size, "station", round, glass, new Histogram(3), rtt, frames[0], armed.percent(), load);
    } finally {
      session.close();
      awaitFree(rig);
    }
  }

  // ---- the page ---------------------------------------------------------------------------------

  private static final String SYNTHETIC_PAD =
      """
      window.benchPad = {id: 'Bench pad (STANDARD GAMEPAD)', index: 0, connected: true,
        mapping: 'standard', timestamp: 1, axes: [0, 0, 0, 0],
        buttons: Array.from({length: 17}, () => ({pressed: false, touched: false, value: 0}))};
      window.benchButton = (i, v) => { benchPad.buttons[i] = {pressed: v > 0.5, touched: v > 0, value: v}; };
      navigator.getGamepads = () => [window.benchPad];
      """;

  private static Block browserBlock(
      Browser browser,
      DriverPageServer page,
      LoopbackRig rig,
      CarAgent car,
      Size size,
      int round,
      Settings s)
      throws Exception {
    ChromeDriver d = browser.driver();
    openAndDrive(browser, page);
    d.executeScript(SYNTHETIC_PAD);
    await(browser, () -> String.valueOf(browser.text("inputName")).startsWith("Bench pad"), 5);
    d.executeScript("benchButton(0, 1)"); // A: arm
    await(browser, () -> "true".equals(browser.text("armed")), 5);
    // The page's deadzones: stick 0.1, trigger 0.02, rescaled; these give exactly 0.2 and 0.3.
    d.executeScript(
        "benchButton(0, 0); benchButton(7, arguments[0]); benchPad.axes[0] = arguments[1];",
        THROTTLE * 0.98 + 0.02,
        STEERING * 0.9 + 0.1);
    sleepSeconds(s.warmup());
    ThreadPolicy.apply(s.rt());
    d.executeScript("window.rcdrive.clearSamples();");
    double framesBefore = browser.number("framesShown");
    MachineLoad start = MachineLoad.sample();
    ArmedShare armed = new ArmedShare(car);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.seconds());
    while (System.nanoTime() < end) {
      armed.sample();
      LockSupport.parkNanos(500_000);
    }
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> samples =
        (Map<String, List<Number>>) d.executeScript("return window.rcdrive.samples();");
    MachineLoad.Usage load = MachineLoad.sample().since(start);
    long frames = (long) (browser.number("framesShown") - framesBefore);
    Map<String, Object> snapshot = browser.snapshot();
    if (!"ARMED".equals(snapshot.get("carState"))) {
      Md.progress(
          "browser block: the car was %s at the end; the page says \"%s\"",
          snapshot.get("carState"), snapshot.get("message"));
    }
    d.get("about:blank"); // the page's goodbye: a neutral frame, the lock released
    awaitFree(rig);
    return new Block(
        size,
        "page",
        round,
        histogram(samples.get("toCallback")),
        histogram(samples.get("glassToGlass")),
        histogram(samples.get("rtt")),
        frames,
        armed.percent(),
        load);
  }

  /** How much of a block the car spent ARMED (a stall that fails it safe shows here). */
  private static final class ArmedShare {
    private final CarAgent car;
    private long samples;
    private long armed;

    ArmedShare(CarAgent car) {
      this.car = car;
    }

    void sample() {
      samples++;
      if (car.status().state() == dev.rcdrive.protocol.CarState.ARMED) {
        armed++;
      }
    }

    double percent() {
      return samples == 0 ? Double.NaN : 100.0 * armed / samples;
    }
  }

  private static void openAndDrive(Browser browser, DriverPageServer page) throws Exception {
    browser
        .driver()
        .get(page.uri() + "#token=" + LoopbackRig.DRIVER_TOKEN + "&car=" + LoopbackRig.CAR);
    await(browser, () -> browser.number("framesShown") > 0, 20);
  }

  // ---- connect time -----------------------------------------------------------------------------

  private static List<Connect> connect(
      Browser browser, RtcEngine engine, DriverPageServer page, LoopbackRig rig, Settings s)
      throws Exception {
    Histogram pageTotal = histogram();
    Histogram pageFromDrive = histogram();
    Histogram stationTotal = histogram();
    Histogram stationFromDrive = histogram();
    List<String> pageMarks = new ArrayList<>();
    for (int i = 0; i < s.connectSamples() + 1; i++) {
      boolean warm = i > 0; // the first page load fills the browser's cache
      openAndDrive(browser, page);
      await(browser, () -> marks(browser).containsKey("firstFrame"), 5);
      Map<String, Object> marks = marks(browser);
      double first = ((Number) marks.get("firstFrame")).doubleValue();
      double drive = ((Number) marks.get("driveSent")).doubleValue();
      if (warm) {
        pageTotal.recordValue((long) (first * 1e6));
        pageFromDrive.recordValue((long) ((first - drive) * 1e6));
        pageMarks.add(marksLine(marks));
      }
      browser.driver().get("about:blank");
      awaitFree(rig);

      long opened = System.nanoTime();
      DriverSession session =
          DriverSession.open(
              engine, rig.uri(), LoopbackRig.DRIVER_TOKEN, LinkOptions.defaults(), null);
      try {
        session.ready().get(10, TimeUnit.SECONDS);
        long driveAt = System.nanoTime();
        session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
        long firstFrame = session.firstFrame().get(15, TimeUnit.SECONDS);
        if (warm) {
          stationTotal.recordValue(firstFrame - opened);
          stationFromDrive.recordValue(firstFrame - driveAt);
        }
      } finally {
        session.close();
        awaitFree(rig);
      }
      Md.progress("connect %d: page %.0f ms, station %.0f ms", i, first, Md.p50(stationTotal));
    }
    return List.of(
        new Connect("page", pageTotal, pageFromDrive, pageMarks),
        new Connect("station", stationTotal, stationFromDrive, List.of()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> marks(Browser browser) {
    Map<String, Object> snapshot = browser.snapshot();
    return snapshot == null ? Map.of() : (Map<String, Object>) snapshot.get("marks");
  }

  private static String marksLine(Map<String, Object> marks) {
    StringBuilder line = new StringBuilder();
    for (String mark :
        List.of("login", "welcome", "driveSent", "granted", "connected", "firstFrame")) {
      Object value = marks.get(mark);
      line.append(mark)
          .append(' ')
          .append(value == null ? "–" : f("%.0f", ((Number) value).doubleValue()))
          .append("  ");
    }
    return line.toString().trim();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  private static Histogram histogram(List<Number> millis) {
    Histogram histogram = histogram();
    for (Number value : millis == null ? List.<Number>of() : millis) {
      histogram.recordValue(Math.max(0, (long) (value.doubleValue() * 1e6)));
    }
    return histogram;
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private static void sleepSeconds(int seconds) throws InterruptedException {
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
  }

  private static void await(Browser browser, java.util.function.BooleanSupplier done, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the page did not get there: " + browser.snapshot());
      }
      Thread.sleep(20);
    }
  }

  private static void awaitFree(LoopbackRig rig) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rig.drivenCars() != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the car was not released");
      }
      Thread.sleep(10);
    }
  }

  // ---- report -----------------------------------------------------------------------------------

  private static String report(
      Settings s, List<Block> blocks, List<Connect> connects, String chromium) {
    StringBuilder md = new StringBuilder();
    md.append(
        f(
            "## Browser page vs station driver side (%s)%n%n",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))));
    md.append(
        f(
            "Camera %s@%d, %d rounds × %d s per path after %d s of warm-up, paths alternating;"
                + " Chromium %s headless (software decoding and compositing); threads %s.%n%n",
            s.scene(), s.fps(), s.rounds(), s.seconds(), s.warmup(), chromium, s.rt()));
    md.append(
        "| Size | Path | glass to glass p50 / p99 | page: to the screen p50 / p99 | round trip"
            + " p50 / p99 | frames | car armed | this JVM / other CPU |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Size size : s.sizes()) {
      for (String path : List.of("station", "page")) {
        Histogram glass = histogram();
        Histogram screen = histogram();
        Histogram rtt = histogram();
        long frames = 0;
        double armed = 0;
        double jvm = 0;
        double other = 0;
        int n = 0;
        for (Block b : blocks) {
          if (b.size().equals(size) && b.path().equals(path)) {
            glass.add(b.glassToGlass());
            screen.add(b.toScreen());
            rtt.add(b.rtt());
            frames += b.frames();
            armed += b.armedPercent();
            jvm += b.load().processPercent();
            other += b.load().otherPercent();
            n++;
          }
        }
        if (n == 0) {
          continue;
        }
        md.append(
            f(
                "| %s | %s | %s / %s | %s | %s / %s | %,d | %.1f %% | %.0f / %.0f %% |%n",
                size,
                path.equals("page") ? "page (callback)" : "station (sink)",
                Md.num(Md.p50(glass), 1),
                Md.num(Md.p99(glass), 1),
                path.equals("page")
                    ? Md.num(Md.p50(screen), 1) + " / " + Md.num(Md.p99(screen), 1)
                    : "–",
                Md.num(Md.p50(rtt), 2),
                Md.num(Md.p99(rtt), 2),
                frames,
                armed / n,
                jvm / n,
                other / n));
      }
    }
    md.append(
        "\nPer block:\n\n| Size | Path | Round | g2g p50 / p99 | rtt p50 / p99 | frames | load |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Block b : blocks) {
      md.append(
          f(
              "| %s | %s | %d | %s / %s | %s / %s | %,d | %.1f %% | %s |%n",
              b.size(),
              b.path(),
              b.round() + 1,
              Md.num(Md.p50(b.glassToGlass()), 1),
              Md.num(Md.p99(b.glassToGlass()), 1),
              Md.num(Md.p50(b.rtt()), 2),
              Md.num(Md.p99(b.rtt()), 2),
              b.frames(),
              b.armedPercent(),
              b.load().describe()));
    }
    if (!connects.isEmpty()) {
      md.append(
          "\nConnect, ms (page: navigation start → first frame shown; station:"
              + " DriverSession.open → first decoded frame; \"from drive\": the drive request →"
              + " first frame):\n\n| Path | p50 | p90 | max | from drive p50 | samples |\n"
              + "|---|---|---|---|---|---|\n");
      for (Connect c : connects) {
        md.append(
            f(
                "| %s | %s | %s | %s | %s | %d |%n",
                c.path(),
                Md.num(Md.p50(c.total()), 0),
                Md.num(Md.ms(c.total(), 90), 0),
                Md.num(c.total().getMaxValue() / 1e6, 0),
                Md.num(Md.p50(c.fromDrive()), 0),
                c.total().getTotalCount()));
      }
      connects.stream()
          .filter(c -> !c.marks().isEmpty())
          .forEach(
              c -> {
                md.append("\nPage marks per sample (ms since navigation start):\n\n");
                c.marks().forEach(line -> md.append("- ").append(line).append('\n'));
              });
    }
    return md.toString();
  }
}
