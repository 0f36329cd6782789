package dev.rcdrive.station.hud;

import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.station.link.StageBreakdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * What the HUD shows, as read-only properties on the FX thread: the link's {@link LinkStatus} and
 * the {@link DriveState} turned into words and figures. The station's view model feeds it the
 * snapshots and its own events (connecting, a message); {@link HudView} only binds to it.
 */
public final class HudModel {

  private static final int CHART_SECONDS = 60;

  private final ReadOnlyStringWrapper phase = new ReadOnlyStringWrapper("Not connected");
  private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper connecting = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper candidate = new ReadOnlyStringWrapper("–");
  private final ReadOnlyBooleanWrapper relayed = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper roundTrip = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper video = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper network = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper glassToGlass = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper stages = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper carState = new ReadOnlyStringWrapper("NOT CONNECTED");
  private final ReadOnlyStringWrapper stateLine = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper messageIsGood = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper speed = new ReadOnlyStringWrapper("–");
  private final ReadOnlyStringWrapper battery = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper carHealth = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper cameraWarning = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper inputName = new ReadOnlyStringWrapper("Keyboard");
  private final ReadOnlyStringWrapper padStatus = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper padDiagnostic = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper alarmLit = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper videoFrozen = new ReadOnlyBooleanWrapper(false);
  private final Alarm alarm = new Alarm();
  private final ReadOnlyDoubleWrapper throttleGauge = new ReadOnlyDoubleWrapper(0);
  private final ReadOnlyDoubleWrapper steeringGauge = new ReadOnlyDoubleWrapper(0);
  private final Trend rttTrend = new Trend("Control round trip", "ms", CHART_SECONDS);
  private final Trend glassToGlassTrend = new Trend("Glass to glass", "ms", CHART_SECONDS);
  private final Trend bitrateTrend = new Trend("Video bitrate", "Mbit/s", CHART_SECONDS);

  private long chartStartNanos;
  private long lastChartSecond = -1;
  private long shownNotice;
  private String server = "";
  private boolean demoAvailable;
  private DriveState lastDrive = DriveState.INITIAL;
  private long lastFrameNanos; // 0: no picture since connecting
  private LinkStatus lastLink; // null while not connected to any server
  private long goodMessageUntilNanos;

  // ---- what the view binds to ---------------------------------------------------------------

  /** The connection stage: "Signaling", "Connected", "Not connected", … */
  /** True while the picture shown is the last one of a video that stopped coming. */
  public ReadOnlyBooleanProperty videoFrozenProperty() {
    return videoFrozen.getReadOnlyProperty();
  }

  /** True while the alarm's frame is lit: on and off for a few seconds (see {@link Alarm}). */
  public ReadOnlyBooleanProperty alarmLitProperty() {
    return alarmLit.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty phaseProperty() {
    return phase.getReadOnlyProperty();
  }

  /** Why, in words (an error, a close reason, whom it is connecting to). */
  public ReadOnlyStringProperty detailProperty() {
    return detail.getReadOnlyProperty();
  }

  /** The sentence in the middle of the screen; empty when there is none. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty connectingProperty() {
    return connecting.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty connectedProperty() {
    return connected.getReadOnlyProperty();
  }

  /** "direct (host)", "TURN relay", … */
  public ReadOnlyStringProperty candidateProperty() {
    return candidate.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty relayedProperty() {
    return relayed.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty roundTripProperty() {
    return roundTrip.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty videoProperty() {
    return video.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty networkProperty() {
    return network.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty glassToGlassProperty() {
    return glassToGlass.getReadOnlyProperty();
  }

  /**
   * The badge: the car's own state from its telemetry while connected (ARMED, DISARMED, FAILSAFE,
   * E-STOP, WAITING before its first report), else where the link stands (CONNECTING, NO LINK, NOT
   * CONNECTED).
   */
  public ReadOnlyStringProperty carStateProperty() {
    return carState.getReadOnlyProperty();
  }

  /**
   * Under the badge: why the car is not driving and what to do next (how to stop while it does).
   */
  public ReadOnlyStringProperty stateLineProperty() {
    return stateLine.getReadOnlyProperty();
  }

  /** The message is good news (a snapshot saved): not red, and it goes away by itself. */
  public ReadOnlyBooleanProperty messageIsGoodProperty() {
    return messageIsGood.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty speedProperty() {
    return speed.getReadOnlyProperty();
  }

  /** Empty for cars without a battery sensor. */
  public ReadOnlyStringProperty batteryProperty() {
    return battery.getReadOnlyProperty();
  }

  /** The car's own health (Pi temperature, power, signal), empty when it reports none. */
  public ReadOnlyStringProperty carHealthProperty() {
    return carHealth.getReadOnlyProperty();
  }

  /** A camera that is not delivering ("Camera restarting…"), empty while it runs. */
  public ReadOnlyStringProperty cameraWarningProperty() {
    return cameraWarning.getReadOnlyProperty();
  }

  /** "Keyboard", or the controller's name. */
  public ReadOnlyStringProperty inputNameProperty() {
    return inputName.getReadOnlyProperty();
  }

  /** The controller's state for the HUD: empty while one drives normally or none was seen. */
  public ReadOnlyStringProperty padStatusProperty() {
    return padStatus.getReadOnlyProperty();
  }

  /** Why controllers may be invisible (Linux permissions), empty when nothing is wrong. */
  public ReadOnlyStringProperty padDiagnosticProperty() {
    return padDiagnostic.getReadOnlyProperty();
  }

  /** −1 (brake, reverse) … 1 (throttle). */
  public ReadOnlyDoubleProperty throttleGaugeProperty() {
    return throttleGauge.getReadOnlyProperty();
  }

  public ReadOnlyDoubleProperty steeringGaugeProperty() {
    return steeringGauge.getReadOnlyProperty();
  }

  public Trend rttTrend() {
    return rttTrend;
  }

  public Trend glassToGlassTrend() {
    return glassToGlassTrend;
  }

  public Trend bitrateTrend() {
    return bitrateTrend;
  }

  /** Where the last second's frames spent their time, lens to screen (the side panel). */
  public ReadOnlyStringProperty stagesProperty() {
    return stages.getReadOnlyProperty();
  }

  // ---- what the station's view model feeds in --------------------------------------------------

  /** Whether "Back to demo" is offered (the demo was started): the not-connected line says so. */
  public void demoAvailable(boolean value) {
    demoAvailable = value;
    refreshStateLine();
  }

  /**
   * A new connection begins: what the last one showed goes, and the charts start again from {@code
   * nowNanos}.
   *
   * @param serverUrl as the user gave it, for the words of errors
   */
  public void signaling(String serverUrl, String host, long nowNanos) {
    clearFigures();
    server = serverUrl;
    connecting.set(true);
    phase.set("Signaling");
    detail.set("connecting to " + host);
    rttTrend.clear();
    glassToGlassTrend.clear();
    bitrateTrend.clear();
    lastChartSecond = -1;
    chartStartNanos = nowNanos;
    stages.set("–");
  }

  /** Asking for a car (true), or the attempt ended (false). */
  public void connecting(boolean value) {
    connecting.set(value);
    if (lastLink == null) {
      carState.set(StateWords.badge(null, value, lastDrive));
    }
    refreshStateLine();
  }

  /** Left the car, or never connected: nothing of the last link stays on screen. */
  public void notConnected() {
    lastFrameNanos = 0;
    videoFrozen.set(false);
    connected.set(false);
    connecting.set(false);
    phase.set("Not connected");
    detail.set("");
    clearFigures();
    rttTrend.clear();
    glassToGlassTrend.clear();
    bitrateTrend.clear();
    refreshStateLine();
  }

  private void clearFigures() {
    lastLink = null;
    stages.set("–");
    candidate.set("–");
    relayed.set(false);
    roundTrip.set("–");
    video.set("–");
    network.set("–");
    glassToGlass.set("–");
    speed.set("–");
    battery.set("");
    carHealth.set("");
    cameraWarning.set("");
    carState.set(StateWords.badge(null, connecting.get(), lastDrive));
  }

  /** A sentence in the middle of the screen, until the next one or {@link #dismissMessage}. */
  public void tell(String text) {
    messageIsGood.set(false);
    message.set(text == null ? "" : text);
  }

  /**
   * Good news in the middle of the screen (a snapshot saved): not red, and gone after a few seconds
   * ({@link #pulse}).
   */
  public void tellGood(String text, long nowNanos) {
    tell(text);
    messageIsGood.set(true);
    goodMessageUntilNanos = nowNanos + GOOD_MESSAGE_NANOS;
  }

  /** Good news lasts this long. */
  public static final long GOOD_MESSAGE_NANOS = 4_000_000_000L;

  /**
   * A frame reached the screen. Video that came and then stopped for {@link #FROZEN_NANOS} leaves
   * an old picture on screen: the view veils it and the glass-to-glass figure goes blank.
   */
  public void frameShown(long nowNanos) {
    lastFrameNanos = nowNanos;
    if (videoFrozen.get()) {
      videoFrozen.set(false);
    }
  }

  /** No new frame for this long (a car sends 15 to 60 a second): the picture is old. */
  public static final long FROZEN_NANOS = 1_000_000_000L;

  /** Each FX pulse: read good news goes away, the alarm flashes and ends, old video is veiled. */
  public void pulse(long nowNanos) {
    alarmLit.set(alarm.lit(nowNanos));
    if (lastFrameNanos != 0 && nowNanos - lastFrameNanos >= FROZEN_NANOS && !videoFrozen.get()) {
      videoFrozen.set(true);
      glassToGlass.set("–");
    }
    if (messageIsGood.get() && nowNanos - goodMessageUntilNanos >= 0) {
      dismissMessage();
    }
  }

  public void dismissMessage() {
    messageIsGood.set(false);
    message.set("");
  }

  /** The link's newest snapshot (a few a second). */
  public void show(LinkStatus status) {
    lastLink = status;
    phase.set(phaseName(status.phase()));
    String words = LinkWords.explain(status.detail(), server);
    detail.set(words);
    boolean isConnected = status.phase() == LinkStatus.Phase.CONNECTED;
    connected.set(isConnected);
    if (isConnected || status.phase() == LinkStatus.Phase.FAILED) {
      connecting.set(false);
    }
    if (status.phase() == LinkStatus.Phase.FAILED && message.get().isEmpty()) {
      tell(words);
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
                    : String.format(Locale.ROOT, "%.0f", status.videoFps()),
                Double.isNaN(status.bitrateKbps())
                    ? ""
                    : String.format(Locale.ROOT, "%.1f Mbit/s", status.bitrateKbps() / 1000)));
    network.set(
        String.format(
            Locale.ROOT, "loss %.1f %%  jitter %s", status.lossPercent(), ms(status.jitterMs())));
    glassToGlass.set(videoFrozen.get() ? "–" : ms(status.glassToGlassMs()));
    carState.set(StateWords.badge(status, connecting.get(), lastDrive));
    TelemetryFrame telemetry = status.telemetry();
    speed.set(telemetry == null ? "–" : speedText(telemetry.speedMps()));
    battery.set(
        telemetry == null || !telemetry.hasBattery()
            ? ""
            : String.format(Locale.ROOT, "%.2f V", telemetry.batteryVolts()));
    HealthFrame health = status.health();
    cameraWarning.set(cameraText(health));
    carHealth.set(healthText(health));
    refreshStateLine();
  }

  /** Km/h, with a minus sign in reverse (a speed alone does not say which way). */
  static String speedText(double metresPerSecond) {
    double kmh = metresPerSecond * 3.6;
    String figure = String.format(Locale.ROOT, "%.1f", Math.abs(kmh));
    return (kmh <= -0.05 ? "\u2212" + figure + " km/h (reverse)" : figure + " km/h");
  }

  private void refreshStateLine() {
    if (lastLink != null) { // the car falling silent changes the badge without a new snapshot
      carState.set(StateWords.badge(lastLink, connecting.get(), lastDrive));
    }
    stateLine.set(
        StateWords.line(lastDrive, lastLink, connecting.get(), detail.get(), demoAvailable));
  }

  /** The last second's breakdown (once a second while video comes). */
  public void showStages(StageBreakdown.Stages last) {
    stages.set(stagesText(last));
  }

  /** The breakdown as the side panel shows it: one stage a line, then the check. */
  public static String stagesText(StageBreakdown.Stages s) {
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
        String.format(Locale.ROOT, "(capture → %s, mean of %d frames)", s.endPoint(), s.frames()));
    return text.toString();
  }

  private static void stageLine(StringBuilder text, String name, double ms) {
    text.append(
        String.format(
            Locale.ROOT,
            "%-18s %s%n",
            name,
            Double.isNaN(ms) ? "     –" : String.format(Locale.ROOT, "%6.1f ms", ms)));
  }

  /** One point a second into the charts while connected (called every pulse). */
  public void chart(LinkStatus status, long nowNanos) {
    long second = (nowNanos - chartStartNanos) / 1_000_000_000L;
    if (second != lastChartSecond && status.phase() == LinkStatus.Phase.CONNECTED) {
      lastChartSecond = second;
      rttTrend.add(second, status.controlRttMs());
      glassToGlassTrend.add(second, status.glassToGlassMs());
      bitrateTrend.add(second, status.bitrateKbps() / 1000);
    }
  }

  /**
   * The drive's newest state: the input in use and its gauges, a new notice as the message, and the
   * controller's line (waiting for a throttle release, else what the controller says).
   *
   * @param padMessage what the controller says about itself ("" when all is well)
   * @param padProblem why controllers may be invisible, or "" (shown only while none drives)
   * @param nowNanos the pulse's time (the alarm's start)
   */
  public void show(DriveState state, String padMessage, String padProblem, long nowNanos) {
    if (state != lastDrive) {
      alarm.drive(lastDrive, state, nowNanos);
      lastDrive = state;
      refreshStateLine();
    }
    inputName.set(state.inputName());
    Axes axes = state.axes();
    throttleGauge.set(axes.brake() > 0 ? -axes.brake() : axes.drive());
    steeringGauge.set(axes.steering());
    if (state.notice().number() != shownNotice) {
      shownNotice = state.notice().number();
      tell(state.notice().text());
    }
    padStatus.set(state.mode() == DriveState.Mode.ARMING ? state.reason() : padMessage);
    padDiagnostic.set(state.input() == DriveState.Input.CONTROLLER ? "" : padProblem);
  }

  // ---- words --------------------------------------------------------------------------------

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

  /** "CPU 61 °C · UNDER-VOLTAGE · signal 70 %": what the car knows about itself. */
  static String healthText(HealthFrame health) {
    if (health == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (health.hasCpuTemp()) {
      parts.add(String.format(Locale.ROOT, "CPU %.0f °C", health.cpuTempC()));
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
      case CAR_OFFLINE -> "Car offline";
      case FAILED -> "Failed";
      case CLOSED -> "Closed";
    };
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f ms", value);
  }
}
