package dev.rcdrive.station.app;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.Gamepads;
import dev.rcdrive.station.gamepad.InputSelector;
import dev.rcdrive.station.gamepad.JInputGamepads;
import dev.rcdrive.station.gamepad.MappingStore;
import dev.rcdrive.station.gamepad.PadAction;
import dev.rcdrive.station.hud.Trend;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.station.link.StageBreakdown;
import dev.rcdrive.station.link.Tally;
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

  /** Where the last second's frames spent their time, lens to screen (the side panel). */
  public final StringProperty stages = new SimpleStringProperty("–");

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
  private final Tally sinkToShown = new Tally();
  private final Tally captureToShown = new Tally();
  private long lastStagesSecond = -1;
  private DriverSession stagesSession; // FX thread
  private StageBreakdown.Sample previousStageSample; // FX thread
  private StageBreakdown.Sample firstStageSample; // FX thread: the session's first, for a whole run
  private final KeyboardInput keyboard = new KeyboardInput();
  private final dev.rcdrive.station.connect.Profiles profiles =
      dev.rcdrive.station.connect.Profiles.load(WindowState.configDir());
  private String connectedServer;
  private String connectedToken;
  private final MappingStore mappings = new MappingStore(WindowState.configDir());
  private final Gamepads gamepads;
  private final GamepadInput gamepad;
  private final InputSelector inputs;
  private Runnable snapshotAction = () -> {};
  private Runnable fullscreenAction = () -> {};
  // Read by the gamepad's poll thread too.
  private volatile DriverSession session;
  private volatile String drivingCarId;
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
    this.inputs = new InputSelector(keyboard, gamepad);
    // A controller's changes go out on its own poll thread, not at the next FX pulse.
    gamepad.connect(
        intent -> {
          DriverSession current = session;
          if (current != null && drivingCarId != null) {
            current.setIntentNow(intent);
          }
        });
    gamepad.setListener(
        new GamepadInput.Listener() {
          @Override
          public void onAction(PadAction action) {
            Fx.run(() -> padAction(action));
          }

          @Override
          public void onStatus(GamepadInput.Status status) {
            Fx.run(() -> padStatus.set(status.message()));
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

  private void padAction(PadAction action) {
    switch (action) {
      case ARM -> toggleArm();
      case ESTOP -> emergencyStop();
      case SNAPSHOT -> snapshotAction.run();
      case FULLSCREEN -> fullscreenAction.run();
      default -> {}
    }
  }

  /** Tells the controller's poll thread the station's state at once, not at the next pulse. */
  private void syncPad() {
    gamepad.poll(0, armed.get(), estop.get());
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
    drivingCarId = carId;
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
    drivingCarId = null;
    armed.set(false);
    estop.set(false);
    keyboard.releaseAll();
    connected.set(false);
    connecting.set(false);
    phase.set("Not connected");
    cars.clear();
    if (current != null) {
      Thread closer = new Thread(current::close, "session-close"); // never on the FX thread
      closer.setDaemon(true);
      closer.start();
    }
  }

  /** Leaves and waits (for the window closing): the neutral frame goes out before the JVM ends. */
  public void shutdown() {
    gamepad.close();
    gamepads.close();
    DriverSession current = session;
    session = null;
    if (current != null) {
      current.close();
    }
  }

  public void toggleArm() {
    if (estop.get()) {
      message.set("Clear the E-STOP first");
      return;
    }
    armed.set(!armed.get());
    syncPad();
  }

  public void emergencyStop() {
    estop.set(true);
    armed.set(false);
    syncPad();
  }

  public void clearEmergencyStop() {
    estop.set(false);
    armed.set(false);
    syncPad();
  }

  /** Window lost focus or closed while driving: neutral now, then disarmed (one frame). */
  public void focusLost() {
    keyboard.releaseAll();
    if (armed.get()) {
      armed.set(false);
      message.set("Disarmed: the window lost focus");
    }
    syncPad(); // a controller's poll thread sends disarmed from now on
    pushIntent(DriveIntent.NEUTRAL);
  }

  // ---- each pulse -------------------------------------------------------------------------

  /** FX pulse: input → intent → control loop; link status → properties. */
  public void tick(long nowNanos) {
    double seconds = lastTickNanos == 0 ? 0 : Math.min(0.1, (nowNanos - lastTickNanos) / 1e9);
    lastTickNanos = nowNanos;
    InputSelector.Pulse pulse = inputs.pulse(seconds, armed.get(), estop.get());
    if (pulse.disarm()) { // the controller in use was unplugged: the car waits for a re-arm
      armed.set(false);
      message.set(pulse.message());
      syncPad();
    }
    DriveIntent intent = pulse.intent();
    if (pulse.push()) { // the keyboard; a controller sends from its own thread
      pushIntent(intent);
    }
    throttleGauge.set(intent.brake() > 0 ? -intent.brake() : intent.throttle());
    steeringGauge.set(intent.steering());
    inputName.set(pulse.source().name());
    // Linux devices the user may not read: say so where the driver looks, details on the page.
    padDiagnostic.set(
        gamepad.active() || gamepads.diagnostic() == null
            ? ""
            : "controllers cannot be read (permissions): see Controller in the side panel");
    DriverSession current = session;
    if (current != null) {
      LinkStatus status = current.status();
      if (status != lastShown) { // a new snapshot comes a few times a second, not every pulse
        show(status);
        lastShown = status;
      }
      chartPoint(status, nowNanos);
      stagePoint(current, nowNanos);
      if (!cars.equals(current.cars().cars())) {
        cars.setAll(current.cars().cars());
      }
    }
  }

  private void pushIntent(DriveIntent intent) {
    DriverSession current = session;
    if (current != null && drivingCarId != null) {
      current.setIntent(intent);
    }
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

  /** FX thread: a frame reached the screen (from the video view). */
  public void frameShown(long sinkToScreenNanos, double captureToDecodedMillis) {
    sinkToShown.add(sinkToScreenNanos);
    if (!Double.isNaN(captureToDecodedMillis)) {
      captureToShown.addMillis(captureToDecodedMillis + sinkToScreenNanos / 1e6);
    }
  }

  /** Once a second: a new sample of the stage counters, shown against the one before. */
  private void stagePoint(DriverSession current, long nowNanos) {
    long second = (nowNanos - startNanos) / 1_000_000_000L;
    if (second == lastStagesSecond) {
      return;
    }
    lastStagesSecond = second;
    current
        .stageSample()
        .thenAccept(
            sample -> {
              StageBreakdown.Sample withScreen =
                  sample.withScreen(
                      frames.convertTally().snapshot(),
                      sinkToShown.snapshot(),
                      captureToShown.snapshot());
              Fx.run(() -> showStages(current, withScreen));
            });
  }

  private void showStages(DriverSession from, StageBreakdown.Sample sample) {
    StageBreakdown.Sample before = from == stagesSession ? previousStageSample : null;
    if (before == null) {
      firstStageSample = sample;
    }
    stagesSession = from;
    previousStageSample = sample;
    if (before != null) {
      stages.set(stagesText(StageBreakdown.between(before, sample)));
    }
  }

  /**
   * FX thread: the breakdown from the session's first sample to its last (the self-test's report),
   * or null before two samples.
   */
  StageBreakdown.Stages stagesSinceFirst() {
    return firstStageSample == null || previousStageSample == firstStageSample
        ? null
        : StageBreakdown.between(firstStageSample, previousStageSample);
  }

  /** The breakdown as the side panel shows it: one stage a line, then the check. */
  static String stagesText(StageBreakdown.Stages s) {
    if (s.frames() == 0) {
      return "no video in the last second";
    }
    StringBuilder text = new StringBuilder();
    stageLine(text, "capture → encoder", s.captureToEncoderMs());
    stageLine(text, "encode", s.encodeMs());
    stageLine(text, "pacer", s.pacerMs());
    stageLine(text, "network (½ RTT)", s.networkMs());
    stageLine(text, "jitter buffer", s.jitterBufferMs());
    stageLine(text, "decode", s.decodeMs());
    if (s.endPoint().equals("shown")) {
      stageLine(text, "convert", s.convertMs());
      stageLine(text, "wait for pulse", s.pulseWaitMs());
    }
    stageLine(text, "sum", s.sumMs());
    stageLine(text, "measured", s.endToEndMs());
    text.append(
        String.format(
            java.util.Locale.ROOT, "(capture → %s, mean of %d frames)", s.endPoint(), s.frames()));
    return text.toString();
  }

  private static void stageLine(StringBuilder text, String name, double ms) {
    text.append(
        String.format(
            java.util.Locale.ROOT,
            "%-18s %s%n",
            name,
            Double.isNaN(ms) ? "     –" : String.format(java.util.Locale.ROOT, "%6.1f ms", ms)));
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
