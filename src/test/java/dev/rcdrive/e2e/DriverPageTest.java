package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.gst.GstAvailable;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.signaling.web.DriverPageServer;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.testing.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

/**
 * The browser driver page in a real Chromium, against a real signaling server, the page server and
 * the simulated car over real WebRTC: logging in, the car list, driving with the keyboard, a
 * controller (a synthetic navigator.getGamepads) and touch, video with its FrameStamps, and every
 * safety rule of the station (E-STOP, hidden page, stalled input, closed tab, frozen page).
 */
@Tag("slow")
class DriverPageTest {

  private static final long FAILSAFE_MS = 250;

  /** The car's own 10 ms tick, the page's frame in flight, and a loaded machine's scheduling. */
  private static final Duration FAILSAFE_DEADLINE = Duration.ofMillis(FAILSAFE_MS + 350);

  @TempDir static Path dir;

  private static RtcEngine engine;
  private static SignalingServer server;
  private static DriverPageServer page;
  private static CarAgent car;

  /** One desktop browser for the class (a start costs seconds); each test gets a fresh tab. */
  private static Browser desktop;

  private Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.require();
    engine = RtcEngine.create();
    server = SimWorld.server(new SignalingConfig.Car("ghost", null, "ghost-key"));
    page =
        DriverPageServer.start("127.0.0.1", 0, null, DriverPageServer.Signaling.at(server.uri()));
    car =
        SimWorld.startCar(
            server, engine, new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 480, 30));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().onlineCars() == 1);
  }

  @AfterAll
  static void stop() {
    if (desktop != null) {
      desktop.close();
    }
    if (car != null) {
      car.close();
    }
    if (page != null) {
      page.close();
    }
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** The shared browser with one new, empty tab and no other. */
  private static Browser desktop() throws Exception {
    if (desktop == null) {
      desktop = Browser.desktop(dir);
    }
    WebDriver driver = desktop.driver();
    String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
    for (String handle : driver.getWindowHandles()) {
      if (!handle.equals(fresh)) {
        driver.switchTo().window(handle).close();
      }
    }
    driver.switchTo().window(fresh);
    return desktop;
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null && browser != desktop) {
      browser.close();
    } else if (browser != null) {
      browser.driver().get("about:blank"); // leaves the car: the page's pagehide releases it
    }
    // The next test's driver finds the car free (its lock ends with the page's socket).
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().drivenCars() == 0);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private WebDriver d() {
    return browser.driver();
  }

  private void logInWithTheForm(String token) {
    d().get(page.uri().toString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> d().findElement(By.id("token")).isDisplayed());
    d().findElement(By.id("token")).sendKeys(token);
    d().findElement(By.id("login-button")).click();
  }

  private void awaitView(String view) {
    await().atMost(Duration.ofSeconds(10)).until(() -> view.equals(browser.text("view")));
  }

  private WebElement carRow(String carId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> !d().findElements(By.cssSelector("li[data-car-id='" + carId + "']")).isEmpty());
    return d().findElement(By.cssSelector("li[data-car-id='" + carId + "']"));
  }

  /** Logs in through the address (#token=…&car=…), as a shared link would, and waits for video. */
  private void driveFromTheAddress(String token) {
    d().get(page.uri() + "#token=" + token + "&car=" + SimWorld.CAR);
    awaitDriving();
  }

  private void awaitDriving() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> "connected".equals(browser.text("phase")) && browser.number("framesShown") > 10);
  }

  private void keys(Actions actions) {
    actions.perform();
  }

  private Actions keyboard() {
    return new Actions(d());
  }

  private void awaitCar(CarState state) {
    await().atMost(Duration.ofSeconds(5)).until(() -> car.status().state() == state);
  }

  private void awaitCarThrottleAbove(double value) {
    await().atMost(Duration.ofSeconds(5)).until(() -> car.status().output().throttle() > value);
  }

  private String shown(String id) {
    return d().findElement(By.id(id)).getText();
  }

  // ---- tests ------------------------------------------------------------------------------------

  @Test
  void logsInListsTheCarsAndDrivesWithTheKeyboard() throws Exception {
    browser = desktop();
    logInWithTheForm("alice-token");
    awaitView("cars");

    WebElement sim = carRow("sim");
    assertThat(sim.getText()).contains("Sim car").contains("free");
    assertThat(carRow("ghost").getText()).contains("ghost").contains("offline");

    sim.findElement(By.tagName("button")).click();
    awaitDriving();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.number("stampsRead") > 30);

    // Video: decoded, shown, its FrameStamps read (the stamp rows hidden), glass to glass shown.
    Map<String, Object> s = browser.snapshot();
    assertThat(asDouble(s.get("width"))).isEqualTo(640);
    assertThat(asDouble(s.get("height"))).isEqualTo(480);
    assertThat(asDouble(s.get("stampsRead"))).isGreaterThan(0.9 * asDouble(s.get("framesShown")));
    assertThat(asDouble(s.get("glassToGlassMs"))).isBetween(0.0, 500.0);
    // A frame's time only from its own picture: the metadata names each frame by its RTP time
    assertThat(asDouble(s.get("framesWithRtpTime")))
        .isGreaterThan(0.9 * asDouble(s.get("stampsRead")));
    assertThat(s.get("crossOriginIsolated")).isEqualTo(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> shown("g2g").matches("\\d+\\.\\d ms"));
    await().atMost(Duration.ofSeconds(5)).until(() -> shown("rtt").matches("\\d+\\.\\d ms"));
    await().atMost(Duration.ofSeconds(5)).until(() -> shown("path").startsWith("direct"));
    assertThat(shown("video-figures")).startsWith("640×480");
    // Chromium hid its host addresses behind mDNS names; the car paired through prflx anyway.
    @SuppressWarnings("unchecked")
    Map<String, Object> candidates = (Map<String, Object>) browser.snapshot().get("candidates");
    assertThat(asDouble(candidates.get("mdns"))).isPositive();

    assertThat(car.status().state()).isEqualTo(CarState.DISARMED);
    assertThat(shown("car-state")).isEqualTo("DISARMED");

    keys(keyboard().sendKeys(Keys.ENTER));
    awaitCar(CarState.ARMED);
    await().atMost(Duration.ofSeconds(3)).until(() -> shown("car-state").equals("ARMED"));

    keys(keyboard().keyDown("w"));
    awaitCarThrottleAbove(0.3);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.number("appliedThrottle") > 0.3 && car.status().speedMps() > 0.2);
    keys(keyboard().keyUp("w"));
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().output().throttle() == 0);

    // E-STOP latches: Enter cannot re-arm; only "Clear E-STOP" and then arming again drive.
    keys(keyboard().keyDown("w"));
    awaitCarThrottleAbove(0.1);
    keys(keyboard().sendKeys(Keys.ESCAPE));
    awaitCar(CarState.ESTOP);
    assertThat(car.status().output().throttle()).isZero();
    keys(keyboard().keyUp("w").sendKeys(Keys.ENTER));
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> shown("state-reason").contains("Clear the E-STOP first"));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> car.status().state() == CarState.ESTOP);
    browser.screenshot(Path.of("target/screenshots/driver-page-estop.png"));
    d().findElement(By.id("clear-estop")).click();
    awaitCar(CarState.DISARMED);
    keys(keyboard().sendKeys(Keys.ENTER));
    awaitCar(CarState.ARMED);

    keys(keyboard().keyDown("w"));
    awaitCarThrottleAbove(0.3);
    browser.screenshot(Path.of("target/screenshots/driver-page-desktop.png"));
    keys(keyboard().keyUp("w"));

    // Leave: one neutral frame, the lock released, back to the list.
    d().findElement(By.id("leave")).click();
    awaitView("cars");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().drivenCars() == 0);
    assertThat(car.status().output().throttle()).isZero();
    assertThat(car.status().state()).isNotEqualTo(CarState.ARMED);
  }

  /**
   * A car on the hardware path (GStreamer's webrtcbin, H.264, playout delay 0) drives from the page
   * as the software path's does: the browser's offer, its decoder and its stamps read.
   */
  @Test
  void drivesACarOnTheHardwarePath() throws Exception {
    GstAvailable.assumeInstalled();
    replaceCar(AgentConfig.Encoder.HARDWARE);
    try {
      browser = desktop();
      logInWithTheForm("alice-token");
      awaitView("cars");
      carRow("sim").findElement(By.tagName("button")).click();
      awaitDriving();
      await().atMost(Duration.ofSeconds(15)).until(() -> browser.number("stampsRead") > 30);

      Map<String, Object> s = browser.snapshot();
      assertThat(asDouble(s.get("width"))).isEqualTo(640);
      assertThat(asDouble(s.get("stampsRead"))).isGreaterThan(0.9 * asDouble(s.get("framesShown")));
      assertThat(car.describeMedia()).contains("hardware path");

      keys(keyboard().sendKeys(Keys.ENTER));
      awaitCar(CarState.ARMED);
      keys(keyboard().keyDown("w"));
      awaitCarThrottleAbove(0.3);
      keys(keyboard().keyUp("w"));
      await().atMost(Duration.ofSeconds(3)).until(() -> car.status().output().throttle() == 0);
      d().findElement(By.id("leave")).click();
      awaitView("cars");
    } finally {
      replaceCar(AgentConfig.Encoder.SOFTWARE); // the other tests' car
    }
  }

  /** The class's car "sim" again, its video through {@code encoder}'s path. */
  private static void replaceCar(AgentConfig.Encoder encoder) {
    car.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().onlineCars() == 0);
    car =
        SimWorld.startCar(
            server,
            engine,
            new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 480, 30).withEncoder(encoder));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().onlineCars() == 1);
  }

  @Test
  void hidingThePageDisarmsTheCar() throws Exception {
    browser = desktop();
    driveFromTheAddress("alice-token");
    String drivingTab = d().getWindowHandle();
    keys(keyboard().sendKeys(Keys.ENTER).keyDown("w"));
    awaitCarThrottleAbove(0.3);

    d().switchTo().newWindow(WindowType.TAB); // the driving tab is hidden now
    await()
        .atMost(FAILSAFE_DEADLINE)
        .until(
            () -> car.status().output().throttle() == 0 && car.status().state() != CarState.ARMED);

    d().switchTo().window(drivingTab);
    Map<String, Object> s = browser.snapshot();
    assertThat(s.get("armed")).isEqualTo(false);
    assertThat(s.get("message").toString()).startsWith("Disarmed: the ");
    keys(keyboard().keyUp("w"));
  }

  @Test
  void stalledInputDisarmsWhileTheHeartbeatGoesOn() throws Exception {
    browser = desktop();
    driveFromTheAddress("alice-token");
    keys(keyboard().sendKeys(Keys.ENTER).keyDown("w"));
    awaitCarThrottleAbove(0.3);

    // The input sampler stops (a stalled renderer); the 50 Hz heartbeat does not.
    d().manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
    ((ChromeDriver) d()).executeScript("window.rcdrive.freezeInput();");

    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                car.status().state() == CarState.DISARMED && car.status().output().throttle() == 0);
    // Disarmed by the page's neutral frames, not failed safe: frames keep coming.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(() -> car.status().state() == CarState.DISARMED);
    assertThat(browser.text("message")).contains("no input for half a second");
    keys(keyboard().keyUp("w"));
  }

  @Test
  void closingTheTabLeavesTheCarStill() throws Exception {
    browser = desktop();
    String spare = d().getWindowHandle(); // keeps the browser's session when the driving tab goes
    d().switchTo().newWindow(WindowType.TAB);
    driveFromTheAddress("alice-token");
    keys(keyboard().sendKeys(Keys.ENTER).keyDown("w"));
    awaitCarThrottleAbove(0.3);

    try (CarWatch watch = CarWatch.start(car)) {
      long closed = System.nanoTime();
      d().close();
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.stillAfterMillis(closed) >= 0);
      long stillMs = watch.stillAfterMillis(closed);
      System.out.printf(
          "closed tab: car still %d ms after the close command began: %s%n",
          stillMs, watch.since(closed));
      assertThat(stillMs).isLessThanOrEqualTo(FAILSAFE_DEADLINE.toMillis());
    }
    d().switchTo().window(spare);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().drivenCars() == 0);
  }

  @Test
  void aHungPageFailsTheCarSafeByItself() throws Exception {
    browser = desktop();
    driveFromTheAddress("alice-token");
    keys(keyboard().sendKeys(Keys.ENTER).keyDown("w"));
    awaitCarThrottleAbove(0.3);

    // No goodbye at all: a long task blocks the page's main thread for 1.5 s (a hung script), so
    // nothing is sent while the link stays up. The car's own watchdog must stop it.
    try (CarWatch watch = CarWatch.start(car)) {
      long hung = System.nanoTime();
      ((ChromeDriver) d())
          .executeScript(
              "setTimeout(() => { const end = performance.now() + 1500;"
                  + " while (performance.now() < end) {} }, 0);");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.stillAfterMillis(hung) >= 0);
      long stillMs = watch.stillAfterMillis(hung);
      System.out.printf(
          "hung page: car still %d ms after the command that hung it began: %s%n",
          stillMs, watch.since(hung));
      // (The command returns only once the page runs again: the car's own record tells.)
      CarWatch.Change still = watch.firstStill(hung);
      assertThat(still.state()).isEqualTo(CarState.FAILSAFE);
      assertThat(still.reason()).isEqualTo("no control frame for " + FAILSAFE_MS + " ms");
      assertThat(stillMs).isLessThanOrEqualTo(FAILSAFE_DEADLINE.toMillis());
    }

    // Back to life, the page finds its input stale and the car failed safe, and disarms: the car
    // never drives again by itself.
    keys(keyboard().keyUp("w"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "false".equals(browser.text("armed")));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(3))
        .until(() -> car.status().state() != CarState.ARMED);
  }

  @Test
  void drivesWithAController() throws Exception {
    browser = desktop();
    driveFromTheAddress("alice-token");
    ChromeDriver chrome = (ChromeDriver) d();
    // A synthetic pad behind the real Gamepad API: the page's own polling and mapping run.
    chrome.executeScript(
        """
        window.testPad = {id: 'Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e)', index: 0,
          connected: true, mapping: 'standard', timestamp: 1, axes: [0, 0, 0, 0],
          buttons: Array.from({length: 17}, () => ({pressed: false, touched: false, value: 0}))};
        window.setPad = (button, value) => { testPad.buttons[button] =
          {pressed: value > 0.5, touched: value > 0, value}; testPad.timestamp++; };
        navigator.getGamepads = () => window.testPad ? [window.testPad] : [];
        """);
    await().atMost(Duration.ofSeconds(3)).until(() -> browser.text("inputName").startsWith("Xbox"));

    chrome.executeScript("setPad(0, 1)"); // A
    awaitCar(CarState.ARMED);
    chrome.executeScript("setPad(0, 0); setPad(7, 0.8); testPad.axes[0] = 0.6;"); // RT, stick right
    awaitCarThrottleAbove(0.3);
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().output().steering() > 0.2);

    // Unplugged while driving: one neutral frame, disarmed, and the page says so.
    chrome.executeScript("window.testPad = null;");
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                car.status().output().throttle() == 0 && car.status().state() == CarState.DISARMED);
    assertThat(browser.text("message"))
        .startsWith("Controller disconnected: Xbox Wireless Controller");

    // Back with the trigger still held: it does not drive until armed, and arming waits for a
    // released trigger (the throttle check).
    chrome.executeScript(
        """
        window.testPad = {id: 'Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e)', index: 0,
          connected: true, mapping: 'standard', timestamp: 1, axes: [0, 0, 0, 0],
          buttons: Array.from({length: 17}, () => ({pressed: false, touched: false, value: 0}))};
        setPad(7, 0.8);
        """);
    await().atMost(Duration.ofSeconds(3)).until(() -> browser.text("inputName").startsWith("Xbox"));
    chrome.executeScript("setPad(0, 1)");
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> browser.text("message").contains("Release throttle"));
    assertThat(car.status().state()).isEqualTo(CarState.DISARMED);
    chrome.executeScript("setPad(0, 0); setPad(7, 0);");
    await() // the page has seen A and the trigger released before A is pressed again
        .atMost(Duration.ofSeconds(3))
        .until(() -> ((Map<?, ?>) browser.snapshot().get("intent")).get("throttle").equals(0L));
    chrome.executeScript("setPad(0, 1)");
    awaitCar(CarState.ARMED);
    chrome.executeScript("setPad(0, 0); setPad(7, 1);");
    awaitCarThrottleAbove(0.3);

    chrome.executeScript("setPad(1, 1)"); // B: E-STOP
    awaitCar(CarState.ESTOP);
    assertThat(car.status().output().throttle()).isZero();
  }

  @Test
  void drivesWithTouchOnAPhone() throws Exception {
    browser = Browser.phone(dir);
    driveFromTheAddress("bob-token");
    assertThat(d().findElement(By.id("throttle-area")).isDisplayed()).isTrue();
    assertThat(d().findElement(By.id("steer-area")).isDisplayed()).isTrue();

    tap(d().findElement(By.id("arm")));
    awaitCar(CarState.ARMED);

    WebElement slider = d().findElement(By.id("throttle-area"));
    WebElement wheel = d().findElement(By.id("steer-area"));
    int up = -(int) (slider.getRect().getHeight() * 0.4);
    int right = (int) (wheel.getRect().getWidth() * 0.3);
    PointerInput thumb = new PointerInput(PointerInput.Kind.TOUCH, "thumb");
    PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
    Sequence press =
        new Sequence(thumb, 0)
            .addAction(
                thumb.createPointerMove(
                    Duration.ZERO, PointerInput.Origin.fromElement(slider), 0, 0))
            .addAction(thumb.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
            .addAction(
                thumb.createPointerMove(
                    Duration.ofMillis(100), PointerInput.Origin.fromElement(slider), 0, up));
    Sequence steer =
        new Sequence(finger, 0)
            .addAction(
                finger.createPointerMove(
                    Duration.ZERO, PointerInput.Origin.fromElement(wheel), 0, 0))
            .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
            .addAction(
                finger.createPointerMove(
                    Duration.ofMillis(100), PointerInput.Origin.fromElement(wheel), right, 0));
    ((ChromeDriver) d()).perform(List.of(press, steer));
    awaitCarThrottleAbove(0.3);
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().output().steering() > 0.2);
    assertThat(browser.text("inputName")).isEqualTo("Touch");

    // Fingers up (W3C "release actions"): the slider springs back, the car coasts, still armed.
    ((ChromeDriver) d()).resetInputState();
    await().atMost(Duration.ofSeconds(3)).until(() -> car.status().output().throttle() == 0);
    assertThat(car.status().state()).isEqualTo(CarState.ARMED);

    // Driving again for the picture (taking it stalls the page; the car may fail safe then).
    ((ChromeDriver) d()).perform(List.of(press, steer));
    awaitCarThrottleAbove(0.3);
    browser.screenshot(Path.of("target/screenshots/driver-page-phone.png"));
    ((ChromeDriver) d()).resetInputState();

    // The E-STOP latches on the touch itself; the click that follows it clears nothing.
    tap(d().findElement(By.id("estop")));
    awaitCar(CarState.ESTOP);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> car.status().state() == CarState.ESTOP);
    assertThat(d().findElement(By.id("clear-estop")).isDisplayed()).isTrue();
  }

  private void tap(WebElement element) {
    PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "tap");
    Sequence tap =
        new Sequence(finger, 0)
            .addAction(
                finger.createPointerMove(
                    Duration.ZERO, PointerInput.Origin.fromElement(element), 0, 0))
            .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
            .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
    ((ChromeDriver) d()).perform(List.of(tap));
  }

  @Test
  void refusalsSayWhyAndWhatToDo() throws Exception {
    browser = desktop();
    logInWithTheForm("not-a-token");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shown("login-message").contains("refused this token"));

    logInWithTheForm("bob-token");
    awaitView("cars");
    carRow("ghost").findElement(By.tagName("button")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shown("cars-message").contains("ghost is offline"));
    assertThat(shown("cars-message")).contains("check the car is on");

    try (DriverSession alice =
        DriverSession.open(engine, server.uri(), "alice-token", LinkOptions.defaults(), null)) {
      alice.ready().get(5, TimeUnit.SECONDS);
      alice.drive(SimWorld.CAR).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> carRow("sim").getText().contains("busy"));

      carRow("sim").findElement(By.tagName("button")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> shown("cars-message").contains("being driven by alice"));
      assertThat(shown("cars-message")).contains("Try again when it is free");
    }
  }

  @Test
  void signalingOutageAndIceRestartDoNotStopTheDrive() throws Exception {
    SignalingServer own = SimWorld.server(List.of());
    int port = own.port();
    SignalingServer[] current = {own};
    try (DriverPageServer ownPage =
            DriverPageServer.start("127.0.0.1", 0, null, DriverPageServer.Signaling.at(own.uri()));
        CarAgent ownCar =
            SimWorld.startCar(
                own, engine, new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 320, 240, 30))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> current[0].stats().onlineCars() == 1);
      browser = desktop();
      d().get(ownPage.uri() + "#token=alice-token&car=sim");
      awaitDriving();
      keys(keyboard().sendKeys(Keys.ENTER).keyDown("w"));
      await().atMost(Duration.ofSeconds(5)).until(() -> ownCar.status().output().throttle() > 0.3);

      // An ICE restart (what the page does after 2 s of an interrupted link) keeps driving.
      double offers = browser.number("offersSent");
      double frames = browser.number("framesShown");
      ((ChromeDriver) d()).executeScript("window.rcdrive.restartIce();");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> browser.number("offersSent") == offers + 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "connected".equals(browser.text("linkState"))
                      && browser.number("framesShown") > frames + 60);
      assertThat(ownCar.status().state()).isEqualTo(CarState.ARMED);

      // Signaling goes away: the drive goes on over WebRTC, and the page says what happens.
      own.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> shown("signaling-status").contains("Signaling lost"));
      double framesDuringOutage = browser.number("framesShown");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> browser.number("framesShown") > framesDuringOutage + 30);
      assertThat(ownCar.status().state()).isEqualTo(CarState.ARMED);
      assertThat(ownCar.status().output().throttle()).isPositive();

      // Back on the same port: the page resumes its session and holds the car's lock again.
      current[0] = SimWorld.server(port, List.of());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  current[0].stats().onlineCars() == 1
                      && current[0].stats().drivenCars() == 1
                      && browser.text("signalingStatus").isEmpty());
      assertThat(ownCar.status().state()).isEqualTo(CarState.ARMED);

      // The car goes away: the screen says so, and stops calling the car's state current.
      keys(keyboard().keyUp("w"));
      ownCar.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> shown("car-state").equals("NOT RESPONDING"));
      await().atMost(Duration.ofSeconds(10)).until(() -> shown("banner").contains("went offline"));
    } finally {
      d().get("about:blank");
      current[0].close();
    }
  }

  private static double asDouble(Object value) {
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
