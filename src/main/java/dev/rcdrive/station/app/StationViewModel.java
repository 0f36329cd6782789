package dev.rcdrive.station.app;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.device.Gamepads;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.hud.Trend;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.station.video.LatestFrame;
import java.net.URI;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the station's views show and every action they offer, as JavaFX properties and plain
 * methods, testable without a Stage. Lives on the FX thread: the link works on its own threads and
 * this model reads its immutable {@link LinkStatus} snapshot each pulse.
 */
public final class StationViewModel {

  private static final int CHART_SECONDS = 60;

  // What the views show.
  public final StringProperty phase = new SimpleStringProperty("Not connected");
  public final StringProperty detail = new SimpleStringProperty("");
  public final StringProperty message = new SimpleStringProperty("");
  public final StringProperty candidate = new SimpleStringProperty("–");
  public final StringProperty roundTrip = new SimpleStringProperty("–");
  public final StringProperty video = new SimpleStringProperty("–");
  public final StringProperty network = new SimpleStringProperty("–");
  public final StringProperty glassToGlass = new SimpleStringProperty("–");
  public final StringProperty carState = new SimpleStringProperty("DISARMED");
  public final StringProperty speed = new SimpleStringProperty("–");
  public final StringProperty battery = new SimpleStringProperty("");

  /** The car's own health (Pi temperature, power, signal), empty when it reports none. */
  public final StringProperty carHealth = new SimpleStringProperty("");

  /** A camera that is not delivering ("Camera restarting…"), empty while it runs. */
  public final StringProperty cameraWarning = new SimpleStringProperty("");

  public final StringProperty inputName = new SimpleStringProperty("Keyboard");

  /** The controller's state for the HUD: empty while one drives normally or none was seen. */
  public final StringProperty padStatus = new SimpleStringProperty("");

  /** Why controllers may be invisible (Linux permissions), empty when nothing is wrong. */
  public final StringProperty padDiagnostic = new SimpleStringProperty("");

  public final StringProperty carName = new SimpleStringProperty("");
  public final BooleanProperty connecting = new SimpleBooleanProperty(false);
  public final BooleanProperty connected = new SimpleBooleanProperty(false);
  public final BooleanProperty relayed = new SimpleBooleanProperty(false);
  public final BooleanProperty demo = new SimpleBooleanProperty(false);
  public final BooleanProperty armed = new SimpleBooleanProperty(false);
  public final BooleanProperty estop = new SimpleBooleanProperty(false);
  public final DoubleProperty throttleGauge = new SimpleDoubleProperty(0);
  public final DoubleProperty steeringGauge = new SimpleDoubleProperty(0);
  public final ObservableList<CarInfo> cars = FXCollections.observableArrayList();
  public final Trend rttTrend = new Trend("Control round trip", "ms", CHART_SECONDS);
  public final Trend glassToGlassTrend = new Trend("Glass to glass", "ms", CHART_SECONDS);
  public final Trend bitrateTrend = new Trend("Video bitrate", "Mbit/s", CHART_SECONDS);

  private final java.util.function.Supplier<RtcEngine> engine;
  private final LatestFrame frames;
  private final KeyboardInput keyboard = new KeyboardInput();
  private final dev.rcdrive.station.connect.Profiles profiles =
      dev.rcdrive.station.connect.Profiles.load(WindowState.configDir());
  private String connectedServer;
  private String connectedToken;
  private final MappingStore mappings = new MappingStore(WindowState.configDir());
  private final Gamepads gamepads;
  private final GamepadInput gamepad;
  private final DriveController drive = new DriveController();
  private DriveState shownDrive = DriveState.INITIAL;
  private String padMessage = "";
  private Runnable snapshotAction = () -> {};
  private Runnable fullscreenAction = () -> {};
  private DriverSession session;
  private long lastTickNanos;
  private long lastChartSecond = -1;
  private LinkStatus lastShown;
  private long startNanos = System.nanoTime();

  /** With the system's game controllers (JInput); the engine may still be loading. */
  public StationViewModel(java.util.function.Supplier<RtcEngine> engine, LatestFrame frames) {
    this(engine, frames, JInputGamepads.system());
  }

  public StationViewModel(RtcEngine engine, LatestFrame frames) {
    this(() -> engine, frames);
  }

  public StationViewModel(RtcEngine engine, LatestFrame frames, Gamepads gamepads) {
    this(() -> engine, frames, gamepads);
  }

  public StationViewModel(
      java.util.function.Supplier<RtcEngine> engine, LatestFrame frames, Gamepads gamepads) {
    this.engine = engine;
    this.frames = frames;
    this.gamepads = gamepads;
    this.gamepad = new GamepadInput(gamepads, mappings);
    // The controller talks to the DriveController on its own poll thread: a change, an arm or an
    // E-STOP goes out right there, not at the next FX pulse. Only what the window does hops over.
    gamepad.driveWith(
        drive,
        new GamepadInput.Listener() {
          @Override
          public void onStatus(GamepadInput.Status status) {
            Fx.run(
                () -> {
                  padMessage = status.message();
                  showPadStatus();
                });
          }

          @Override
          public void onAction(PadAction action) {
            switch (action) {
              case SNAPSHOT -> Fx.run(() -> snapshotAction.run());
              case FULLSCREEN -> Fx.run(() -> fullscreenAction.run());
              default -> {}
            }
          }
        });
  }

  public GamepadInput gamepad() {
    return gamepad;
  }

  public MappingStore mappings() {
    return mappings;
  }

  /** What the window does for the controller's snapshot and fullscreen buttons. */
  public void setViewActions(Runnable snapshot, Runnable fullscreen) {
    this.snapshotAction = snapshot;
    this.fullscreenAction = fullscreen;
  }

  /** The station's arm, E-STOP and input rules (tests drive them through here). */
  public DriveController drive() {
    return drive;
  }

  /** The most recent saved connection, to prefill the connect form (null: none). */
  public dev.rcdrive.station.connect.Profiles.Profile lastProfile() {
    return profiles.latest();
  }

  /** Why saved connections could not be read, or null. */
  public String profilesProblem() {
    return profiles.problem();
  }

  public KeyboardInput keyboard() {
    return keyboard;
  }

  public DriverSession session() {
    return session;
  }

  // ---- actions ------------------------------------------------------------------------------

  /**
   * Connects to a signaling server and, with a car id, asks to drive it. Bad input gets a message
   * and changes nothing.
   */
  public boolean connect(String serverUrl, String token, String carId, boolean isDemo) {
    URI uri;
    try {
      uri = new URI(serverUrl == null ? "" : serverUrl.strip());
    } catch (java.net.URISyntaxException e) {
      message.set("Not a URL: " + serverUrl);
      return false;
    }
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
      message.set("The server URL must look like wss://host:port (or ws:// on a local network)");
      return false;
    }
    if (token == null || token.isBlank()) {
      message.set("Enter your driver token");
      return false;
    }
    leave();
    connectedServer = null;
    connectedToken = null;
    message.set("");
    demo.set(isDemo);
    startNanos = System.nanoTime();
    clearCharts();
    connecting.set(true);
    phase.set("Signaling");
    detail.set("connecting to " + uri.getHost());
    DriverSession opened =
        DriverSession.open(engine.get(), uri, token.strip(), LinkOptions.defaults(), frames::offer);
    session = opened;
    drive.attach(opened::sendControl);
    opened
        .ready()
        .whenComplete(
            (ok, failure) ->
                Fx.run(
                    () -> {
                      if (session != opened) {
                        return;
                      }
                      if (failure != null) {
                        connecting.set(false);
                        message.set(explain(failure));
                        return;
                      }
                      opened.listCars();
                      if (!isDemo) { // the demo's throwaway token is not worth keeping
                        connectedServer = uri.toString();
                        connectedToken = token.strip();
                        profiles.remember(
                            new dev.rcdrive.station.connect.Profiles.Profile(
                                connectedServer, connectedToken, carId));
                      }
                      if (carId != null && !carId.isBlank()) {
                        drive(carId);
                      } else {
                        connecting.set(false);
                      }
                    }));
    return true;
  }

  /** Asks for a car's lock and connects to it. */
  public void drive(String carId) {
    DriverSession current = session;
    if (current == null) {
      message.set("Connect to a server first");
      return;
    }
    connecting.set(true);
    carName.set(carId);
    if (connectedServer != null) {
      profiles.remember(
          new dev.rcdrive.station.connect.Profiles.Profile(connectedServer, connectedToken, carId));
    }
    current
        .drive(carId)
        .whenComplete(
            (ok, failure) ->
                Fx.run(
                    () -> {
                      if (failure != null && session == current) {
                        connecting.set(false);
                        message.set(explain(failure));
                      }
                    }));
  }

  /** Leaves the car: one neutral disarmed frame, the lock released, the link closed. */
  public void leave() {
    DriverSession current = session;
    session = null;
    keyboard.releaseAll();
    Runnable lastFrame = drive.leave();
    show(drive.state());
    connected.set(false);
    connecting.set(false);
    phase.set("Not connected");
    cars.clear();
    if (current != null) {
      // Never on the FX thread; the last frame goes out while the link is still up.
      Thread closer =
          new Thread(
              () -> {
                lastFrame.run();
                current.close();
              },
              "session-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  /** Leaves and waits (for the window closing): the neutral frame goes out before the JVM ends. */
  public void shutdown() {
    drive.close(); // the last frame; nothing is sent after it
    gamepad.close();
    gamepads.close();
    DriverSession current = session;
    session = null;
    if (current != null) {
      current.close();
    }
  }

  public void toggleArm() {
    drive.toggleArm();
    show(drive.state());
  }

  public void emergencyStop() {
    drive.emergencyStop();
    show(drive.state());
  }

  public void clearEmergencyStop() {
    drive.clearEmergencyStop();
    show(drive.state());
  }

  /** Window lost focus or closed while driving: neutral now, disarmed. */
  public void focusLost() {
    keyboard.releaseAll();
    drive.focusLost();
    show(drive.state());
  }

  // ---- each pulse -------------------------------------------------------------------------

  /** FX pulse: keyboard → DriveController; its state and the link status → properties. */
  public void tick(long nowNanos) {
    double seconds = lastTickNanos == 0 ? 0 : Math.min(0.1, (nowNanos - lastTickNanos) / 1e9);
    lastTickNanos = nowNanos;
    if (drive.state().input() == DriveState.Input.CONTROLLER) {
      keyboard.releaseAll(); // keys held when the pad took over must not drive when it leaves
    }
    drive.keyboard(keyboard.poll(seconds)); // every pulse: the keyboard's sign of life
    show(drive.state());
    // Linux devices the user may not read: say so where the driver looks, details on the page.
    padDiagnostic.set(
        gamepad.active() || gamepads.diagnostic() == null
            ? ""
            : "controllers cannot be read (permissions): see Controller in the side panel");
    DriverSession current = session;
    if (current != null) {
      LinkStatus status = current.status();
      if (status != lastShown) { // a new snapshot comes a few times a second, not every pulse
        if (status.telemetry() != null
            && (lastShown == null || status.telemetry() != lastShown.telemetry())) {
          drive.carHeard(status.carState());
        }
        show(status);
        lastShown = status;
      }
      chartPoint(status, nowNanos);
      if (!cars.equals(current.cars().cars())) {
        cars.setAll(current.cars().cars());
      }
    }
  }

  /** The DriveController's state → what the toolbar, the gauges and the message line show. */
  private void show(DriveState state) {
    if (state == shownDrive) {
      return;
    }
    armed.set(state.armRequested());
    estop.set(state.mode() == DriveState.Mode.ESTOP);
    inputName.set(state.inputName());
    Axes axes = state.axes();
    throttleGauge.set(axes.brake() > 0 ? -axes.brake() : axes.drive());
    steeringGauge.set(axes.steering());
    if (state.notice().number() != shownDrive.notice().number()) {
      message.set(state.notice().text());
    }
    shownDrive = state;
    showPadStatus();
  }

  /** The controller's line: waiting for a throttle release, else what the controller says. */
  private void showPadStatus() {
    padStatus.set(shownDrive.mode() == DriveState.Mode.ARMING ? shownDrive.reason() : padMessage);
  }

  private void show(LinkStatus status) {
    phase.set(phaseName(status.phase()));
    detail.set(status.detail());
    boolean isConnected = status.phase() == LinkStatus.Phase.CONNECTED;
    connected.set(isConnected);
    if (isConnected || status.phase() == LinkStatus.Phase.FAILED) {
      connecting.set(false);
    }
    if (status.phase() == LinkStatus.Phase.FAILED && message.get().isEmpty()) {
      message.set(status.detail());
    }
    candidate.set(status.localCandidate().isEmpty() ? "–" : candidateText(status));
    relayed.set(
        "relay".equals(status.localCandidate()) || "relay".equals(status.remoteCandidate()));
    roundTrip.set(ms(status.controlRttMs()));
    video.set(
        status.width() < 0
            ? "–"
            : String.format(
                "%dx%d  %s fps  %s",
                status.width(),
                status.height(),
                Double.isNaN(status.videoFps())
                    ? "–"
                    : String.format(java.util.Locale.ROOT, "%.0f", status.videoFps()),
                Double.isNaN(status.bitrateKbps())
                    ? ""
                    : String.format(
                        java.util.Locale.ROOT, "%.1f Mbit/s", status.bitrateKbps() / 1000)));
    network.set(
        String.format(
            java.util.Locale.ROOT,
            "loss %.1f %%  jitter %s",
            status.lossPercent(),
            ms(status.jitterMs())));
    glassToGlass.set(ms(status.glassToGlassMs()));
    CarState state = status.carState();
    carState.set(state == null ? (isConnected ? "WAITING" : "–") : state.name());
    TelemetryFrame telemetry = status.telemetry();
    speed.set(
        telemetry == null
            ? "–"
            : String.format(
                java.util.Locale.ROOT, "%.1f km/h", Math.abs(telemetry.speedMps()) * 3.6));
    battery.set(
        telemetry == null || !telemetry.hasBattery()
            ? ""
            : String.format(java.util.Locale.ROOT, "%.2f V", telemetry.batteryVolts()));
    HealthFrame health = status.health();
    cameraWarning.set(cameraText(health));
    carHealth.set(healthText(health));
  }

  /** One point a second into the charts while connected. */
  private void chartPoint(LinkStatus status, long nowNanos) {
    long second = (nowNanos - startNanos) / 1_000_000_000L;
    if (second != lastChartSecond && status.phase() == LinkStatus.Phase.CONNECTED) {
      lastChartSecond = second;
      rttTrend.add(second, status.controlRttMs());
      glassToGlassTrend.add(second, status.glassToGlassMs());
      bitrateTrend.add(second, status.bitrateKbps() / 1000);
    }
  }

  private void clearCharts() {
    rttTrend.clear();
    glassToGlassTrend.clear();
    bitrateTrend.clear();
    lastChartSecond = -1;
  }

  static String cameraText(HealthFrame health) {
    if (health == null) {
      return "";
    }
    return switch (health.camera()) {
      case STARTING -> "Camera starting…";
      case RESTARTING -> "Camera restarting… (" + health.cameraRestarts() + " restarts so far)";
      case FAILED -> "Camera failed: the car sends no picture";
      case RUNNING -> "";
    };
  }

  /** "61.5 °C · UNDER-VOLTAGE · signal 70 %": what the car knows about itself. */
  static String healthText(HealthFrame health) {
    if (health == null) {
      return "";
    }
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (health.hasCpuTemp()) {
      parts.add(String.format(java.util.Locale.ROOT, "CPU %.0f °C", health.cpuTempC()));
    }
    if (health.hasThrottled()) {
      long now = health.throttled();
      if ((now & HealthFrame.UNDER_VOLTAGE_NOW) != 0) {
        parts.add("UNDER-VOLTAGE");
      }
      if ((now & 0b1110) != 0) {
        parts.add("THROTTLED");
      }
    }
    if (health.hasSignal()) {
      parts.add("signal " + health.signalPercent() + " %");
    }
    return String.join(" · ", parts);
  }

  private static String candidateText(LinkStatus status) {
    String local = status.localCandidate();
    return "relay".equals(local) || "relay".equals(status.remoteCandidate())
        ? "TURN relay"
        : local.equals("host") ? "direct (host)" : "direct (" + local + ")";
  }

  static String phaseName(LinkStatus.Phase phase) {
    return switch (phase) {
      case SIGNALING -> "Signaling";
      case WAITING_FOR_CAR -> "Asking for the car";
      case NEGOTIATING -> "Negotiating";
      case CHECKING -> "ICE checking";
      case CONNECTED -> "Connected";
      case RECONNECTING -> "Reconnecting";
      case FAILED -> "Failed";
      case CLOSED -> "Closed";
    };
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "–" : String.format(java.util.Locale.ROOT, "%.1f ms", value);
  }

  /** A failure as a sentence for the driver: never a stack trace. */
  static String explain(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) {
      cause = cause.getCause();
    }
    if (cause instanceof DriverSession.DriveRefused refused) {
      String text = refused.getMessage() == null ? "" : refused.getMessage();
      if (refused.code().equals("AUTH_FAILED")) {
        return "The server refused the token: " + text;
      }
      if (text.startsWith("AUTH_FAILED")) {
        return "The server refused the token: " + text.substring(text.indexOf(':') + 1).strip();
      }
      return text.isEmpty() ? refused.code() : text;
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
