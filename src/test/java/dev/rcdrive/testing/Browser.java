package dev.rcdrive.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (Selenium), for the driver page's
 * tests and benchmark. Nothing is downloaded: both binaries come from apt ({@code .ci/run} installs
 * them) and Selenium Manager is never asked, because the driver's path is given.
 *
 * <p>The flags: {@code --no-sandbox} because CI runs as root; {@code --disable-gpu} (no GPU here);
 * and everything that would make Chromium open connections of its own on a machine whose network is
 * closed (QUIC, background networking, component updates, sync, first-run) is off. Each browser
 * gets a fresh profile folder. Chromium keeps its default of hiding host candidates behind mDNS
 * names: the car (libwebrtc in webrtc-java) cannot resolve them, and pairs through the
 * peer-reflexive candidate that the browser's checks create, as a real driver's browser would.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  public static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** In CI a missing browser fails the test (.ci/run installs it); elsewhere it skips. */
  public static void require() {
    boolean present = installed();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(present, "Debian's chromium and chromium-driver are not installed");
    }
    assertThat(present).as("chromium and chromium-driver (.ci/run installs them)").isTrue();
  }

  /** A desktop-sized window. */
  public static Browser desktop(Path workDir) throws Exception {
    return start(workDir, 1280, 800, false);
  }

  /** A phone: 390×844 CSS pixels at 3×, touch events, a coarse pointer (Chrome's emulation). */
  public static Browser phone(Path workDir) throws Exception {
    return start(workDir, 390, 844, true);
  }

  private static Browser start(Path workDir, int width, int height, boolean phone)
      throws Exception {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height));
    options.addArguments(args);
    if (phone) {
      options.setExperimentalOption(
          "mobileEmulation",
          Map.of(
              "deviceMetrics",
              Map.of("width", width, "height", height, "pixelRatio", 3.0, "touch", true),
              "userAgent",
              "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/156.0.0.0 Mobile Safari/537.36"));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File(profile.toFile(), "chromedriver.log"))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new Browser(driver, service, profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** The page's own view of itself ({@code window.rcdrive.snapshot()}), or null before it ran. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> snapshot() {
    Object value =
        driver.executeScript("return window.rcdrive ? window.rcdrive.snapshot() : null;");
    return (Map<String, Object>) value;
  }

  /** A number from the snapshot (JSON numbers arrive as Long or Double). */
  public double number(String key) {
    Map<String, Object> snapshot = snapshot();
    Object value = snapshot == null ? null : snapshot.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  public String text(String key) {
    Map<String, Object> snapshot = snapshot();
    Object value = snapshot == null ? null : snapshot.get(key);
    return value == null ? null : value.toString();
  }

  public Path profile() {
    return profile;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (org.openqa.selenium.WebDriverException alreadyGone) {
      // a test closed the last window, which ends the session
    } finally {
      service.stop();
    }
  }

  /** Saves what the browser shows, e.g. target/screenshots/driver-page-desktop.png. */
  public Path screenshot(Path file) throws java.io.IOException {
    Files.createDirectories(file.getParent());
    byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    return Files.write(file, png);
  }
}
