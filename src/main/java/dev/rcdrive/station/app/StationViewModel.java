package dev.rcdrive.station.app;

import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.connect.Profiles;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.hud.HudModel;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.station.link.StageBreakdown;
import dev.rcdrive.station.link.Tally;
import dev.rcdrive.station.video.LatestFrame;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the station's views show and every action they offer, testable without a Stage. It
 * receives its services ({@link StationServices}) and exposes read-only properties; the HUD's are
 * in its {@link HudModel}. Lives on the FX thread: the link works on its own threads and this model
 * reads its immutable {@link LinkStatus} snapshot each pulse, and the {@link DriveController}'s
 * {@link DriveState} likewise. Data flows one way: keyboard and controller → DriveController →
 * frames; link and drive snapshots → these properties → the views.
 */
public final class StationViewModel {

  /** Shown where the driver looks when Linux hides the controllers; details on the page. */
  static final String PAD_PERMISSIONS =
      "controllers cannot be read (permissions): see Controller in the side panel";

  private final ReadOnlyStringWrapper carName = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper demo = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper armed = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper estop = new ReadOnlyBooleanWrapper(false);
  private final ObservableList<CarInfo> cars = FXCollections.observableArrayList();
  private final ObservableList<CarInfo> carsView = FXCollections.unmodifiableObservableList(cars);
  private final ObservableList<Profiles.Profile> saved = FXCollections.observableArrayList();
  private final ObservableList<Profiles.Profile> savedView =
      FXCollections.unmodifiableObservableList(saved);
  private final HudModel hud = new HudModel();

  private final Supplier<RtcEngine> engine;
  private final LatestFrame frames;
  private final StationServices services;
  private final DriveController drive;
  private final KeyboardInput keyboard = new KeyboardInput();
  private final GamepadInput gamepad;
  private Runnable snapshotAction = () -> {};
  private Runnable fullscreenAction = () -> {};
  private Runnable clearVideoAction = () -> {};
  private java.util.concurrent.atomic.AtomicBoolean liveVideo =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final ReadOnlyBooleanWrapper demoOffered = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper linked = new ReadOnlyBooleanWrapper(false);
  private final EventLog events = new EventLog(java.time.Clock.systemDefaultZone());
  private dev.rcdrive.station.app.StationContext.Target demoTarget;
  private DriverSession session;
  private String connectedServer;
  private String connectedToken;
  private long lastTickNanos;
  private LinkStatus shownLink;
  private DriveState shownDrive;
  private String padMessage = "";
  // The screen's part of the stage breakdown, told by the video view (FX thread).
  private final Tally sinkToShown = new Tally();
  private final Tally captureToShown = new Tally();
  private final long startNanos = System.nanoTime();
  private long lastStagesSecond = -1;
  private DriverSession stagesSession;
  private StageBreakdown.Sample previousStageSample;
  private StageBreakdown.Sample firstStageSample; // the session's first: for a whole run

  /**
   * @param engine the WebRTC engine (may still be loading when the window opens: asked for at the
   *     first connect)
   * @param frames where decoded video goes for the view
   */
  public StationViewModel(
      Supplier<RtcEngine> engine, LatestFrame frames, StationServices services) {
    this.engine = engine;
    this.frames = frames;
    this.services = services;
    saved.setAll(services.profiles().all());
    this.drive = services.drive();
    // The controller talks to the DriveController on its own poll thread: a change, an arm or an
    // E-STOP goes out right there, not at the next FX pulse. Only what the window does hops over.
    GamepadInput.Listener forTheWindow =
        new GamepadInput.Listener() {
          @Override
          public void onStatus(GamepadInput.Status status) {
            Fx.run(
                () -> {
                  if (!status.message().equals(padMessage)) {
                    events.add("Controller: " + status.message());
                  }
                  padMessage = status.message();
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
        };
    this.gamepad =
        new GamepadInput(
            services.gamepads(), services.mappings(), GamepadInput.driving(drive, forTheWindow));
    showDrive();
  }

  // ---- what the views read ------------------------------------------------------------------

  /** The link, the car and the input, as the HUD shows them. */
  public HudModel hud() {
    return hud;
  }

  public ReadOnlyStringProperty carNameProperty() {
    return carName.getReadOnlyProperty();
  }

  /** Driving the built-in demo car. */
  public ReadOnlyBooleanProperty demoProperty() {
    return demo.getReadOnlyProperty();
  }

  /** The driver's arm stands (armed, or waiting for the controller's throttle check). */
  public ReadOnlyBooleanProperty armedProperty() {
    return armed.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty estopProperty() {
    return estop.getReadOnlyProperty();
  }

  /** The server's cars, kept current while connected. */
  public ObservableList<CarInfo> cars() {
    return carsView;
  }

  /** The saved connections, newest first, kept current as the driver connects and forgets. */
  public ObservableList<Profiles.Profile> savedConnections() {
    return savedView;
  }

  /** Forgets a saved connection and the token stored with it. */
  public void forget(Profiles.Profile profile) {
    services.profiles().forget(profile);
    saved.setAll(services.profiles().all());
  }

  private void remember(Profiles.Profile profile) {
    services.profiles().remember(profile);
    saved.setAll(services.profiles().all());
  }

  /** Why saved connections could not be read, or null. */
  public String profilesProblem() {
    return services.profiles().problem();
  }

  /** The keyboard the window forwards its key events to. */
  public KeyboardInput keyboard() {
    return keyboard;
  }

  /** The controller input and its mappings, for the controller page. */
  public GamepadInput gamepad() {
    return gamepad;
  }

  public MappingStore mappings() {
    return services.mappings();
  }

  /** The station's arm, E-STOP and input rules. */
  public DriveController drive() {
    return drive;
  }

  /** For tests: the link to the car driven now, or null. */
  DriverSession session() {
    return session;
  }

  /** What the window does for the controller's snapshot and fullscreen buttons. */
  public void setViewActions(Runnable snapshot, Runnable fullscreen) {
    this.snapshotAction = snapshot;
    this.fullscreenAction = fullscreen;
  }

  /** How the window takes the last car's picture off the screen when the car is left. */
  public void setClearVideoAction(Runnable clearVideo) {
    this.clearVideoAction = clearVideo;
  }

  /** A server or car link is open (connecting, connected or reconnecting): Leave ends it. */
  public ReadOnlyBooleanProperty linkedProperty() {
    return linked.getReadOnlyProperty();
  }

  /** "Back to demo" is offered: the demo runs and this station is not driving it. */
  public ReadOnlyBooleanProperty demoOfferedProperty() {
    return demoOffered.getReadOnlyProperty();
  }

  /** What happened, newest last, with the time (the side panel's Events). */
  public EventLog events() {
    return events;
  }

  /** The built-in demo's car, to come back to after trying another server. */
  public void rememberDemo(StationContext.Target demoCar) {
    demoTarget = demoCar;
    hud.demoAvailable(true);
    offerDemo();
  }

  /** Back to the built-in demo car. */
  public void backToDemo() {
    if (demoTarget != null) {
      connect(demoTarget.serverUrl(), demoTarget.token(), demoTarget.carId(), true);
    }
  }

  private void offerDemo() {
    demoOffered.set(demoTarget != null && !(demo.get() && session != null));
  }

  // ---- actions ------------------------------------------------------------------------------

  /**
   * A connection under way before the window took it over: the session, whether its frames may
   * still reach the screen, and the request for the car (null without one).
   */
  public record Opening(
      StationContext.Target target,
      DriverSession session,
      java.util.concurrent.atomic.AtomicBoolean live,
      java.util.concurrent.CompletableFuture<Void> driving) {}

  /** Whether {@link #open} can take the target as it is (else {@link #connect} says why not). */
  public static boolean opensAsIs(StationContext.Target target) {
    return target != null
        && serverUrlProblem(target.serverUrl()) == null
        && target.token() != null
        && !target.token().isBlank();
  }

  /**
   * Starts a connection on any thread, touching no property: signaling, the car's lock and WebRTC
   * go ahead while the window is still being built ({@link #adopt} then shows it). The target must
   * be valid ({@link #serverUrlProblem}, a token).
   */
  public static Opening open(RtcEngine engine, LatestFrame frames, StationContext.Target target) {
    // Frames of a car already left must not reach the screen while its link closes.
    java.util.concurrent.atomic.AtomicBoolean live =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    DriverSession session =
        DriverSession.open(
            engine,
            URI.create(target.serverUrl().strip()),
            target.token().strip(),
            LinkOptions.defaults(),
            frame -> {
              if (live.get()) {
                frames.offer(frame);
              }
            });
    String carId = target.carId();
    java.util.concurrent.CompletableFuture<Void> driving =
        carId == null || carId.isBlank()
            ? null
            : session.ready().thenCompose(signedIn -> session.drive(carId));
    return new Opening(target, session, live, driving);
  }

  /**
   * Connects to a signaling server and, with a car id, asks to drive it. Bad input gets a message
   * and changes nothing.
   */
  public boolean connect(String serverUrl, String token, String carId, boolean isDemo) {
    String urlProblem = serverUrlProblem(serverUrl);
    if (urlProblem != null) {
      hud.tell(urlProblem);
      return false;
    }
    if (token == null || token.isBlank()) {
      hud.tell("Enter your driver token");
      return false;
    }
    leave();
    StationContext.Target target = new StationContext.Target(serverUrl, token, carId, isDemo);
    adopt(open(engine.get(), frames, target));
    return true;
  }

  /** FX thread: shows a connection started by {@link #open}, wherever it has got to. */
  public void adopt(Opening opening) {
    StationContext.Target target = opening.target();
    URI uri = URI.create(target.serverUrl().strip());
    DriverSession opened = opening.session();
    if (session != null) {
      leave();
    }
    connectedServer = null;
    connectedToken = null;
    hud.dismissMessage();
    demo.set(target.demo());
    events.add("Connecting to " + (target.demo() ? "the demo" : uri.getHost()));
    hud.signaling(target.serverUrl().strip(), uri.getHost(), System.nanoTime());
    liveVideo = opening.live();
    session = opened;
    linked.set(true);
    offerDemo();
    drive.attach(opened::sendControl);
    String carId = target.carId();
    boolean toCar = opening.driving() != null;
    if (toCar) {
      hud.connecting(true);
      carName.set(carId);
    }
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
                        hud.connecting(false);
                        hud.tell(explain(failure));
                        events.add(explain(failure));
                        return;
                      }
                      opened.listCars();
                      if (!target.demo()) { // the demo's throwaway token is not worth keeping
                        connectedServer = uri.toString();
                        connectedToken = target.token().strip();
                        remember(new Profiles.Profile(connectedServer, connectedToken, carId));
                      }
                      if (!toCar) {
                        hud.connecting(false);
                      }
                    }));
    if (toCar) {
      whenDriving(opened, opening.driving());
    }
  }

  /** What is wrong with a signaling server's URL, in the user's words, or null if nothing. */
  public static String serverUrlProblem(String serverUrl) {
    URI uri;
    try {
      uri = new URI(serverUrl == null ? "" : serverUrl.strip());
    } catch (URISyntaxException e) {
      return "Not a URL: " + serverUrl + ". The server URL must look like wss://host:port";
    }
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
      return "The server URL must look like wss://host:port (or ws:// on a local network)";
    }
    return null;
  }

  /** Asks for a car's lock and connects to it. */
  public void drive(String carId) {
    DriverSession current = session;
    if (current == null) {
      hud.tell("Connect to a server first");
      return;
    }
    hud.connecting(true);
    carName.set(carId);
    if (connectedServer != null) {
      remember(new Profiles.Profile(connectedServer, connectedToken, carId));
    }
    whenDriving(current, current.drive(carId));
  }

  /** A refused car (or a lost server) while asking for it is said; success shows by itself. */
  private void whenDriving(
      DriverSession current, java.util.concurrent.CompletableFuture<Void> ask) {
    ask.whenComplete(
        (ok, failure) ->
            Fx.run(
                () -> {
                  // a server that refused the driver was said already (see adopt)
                  if (failure != null
                      && session == current
                      && !current.ready().isCompletedExceptionally()) {
                    hud.connecting(false);
                    hud.tell(explain(failure));
                  }
                }));
  }

  /** Leaves the car: one neutral disarmed frame, the lock released, the link closed. */
  public void leave() {
    DriverSession current = session;
    session = null;
    shownLink = null;
    liveVideo.set(false);
    keyboard.releaseAll();
    Runnable lastFrame = drive.leave();
    showDrive();
    hud.notConnected();
    linked.set(false);
    carName.set("");
    clearVideoAction.run();
    cars.clear();
    demo.set(false);
    offerDemo();
    if (current != null) {
      events.add("Left the car");
    }
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
    services.gamepads().close();
    DriverSession current = session;
    session = null;
    if (current != null) {
      current.close();
    }
  }

  /** Enter, the toolbar's Arm / Disarm. */
  public void toggleArm() {
    drive.toggleArm();
    showDrive();
  }

  /** Esc, the toolbar's E-STOP. */
  public void emergencyStop() {
    drive.emergencyStop();
    showDrive();
  }

  public void clearEmergencyStop() {
    drive.clearEmergencyStop();
    showDrive();
  }

  /** The window lost the focus, or is closing: keys released, neutral, disarmed. */
  public void focusLost() {
    keyboard.releaseAll();
    drive.focusLost();
    showDrive();
  }

  /** A sentence for the driver in the middle of the screen (a failure, a refusal). */
  public void tell(String text) {
    hud.tell(text);
    events.add(text);
  }

  /** Good news in the middle of the screen (a snapshot saved): green, gone in a few seconds. */
  public void tellGood(String text) {
    hud.tellGood(text, System.nanoTime());
    events.add(text);
  }

  public void dismissMessage() {
    hud.dismissMessage();
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
    showDrive();
    DriverSession current = session;
    if (current != null) {
      LinkStatus status = current.status();
      if (status != shownLink) { // a new snapshot comes a few times a second, not every pulse
        drive.linkChanged(linkFact(status.phase()));
        if (status.telemetry() != null
            && (shownLink == null
                || status.telemetry() != shownLink.telemetry()
                || status.currentCarReason() != shownLink.currentCarReason())) {
          drive.carHeard(status.carState(), status.currentCarReason(), current.telemetryAtNanos());
        }
        hud.show(status);
        events.linkChanged(shownLink, status, hud.detailProperty().get());
        shownLink = status;
      }
      hud.chart(status, nowNanos);
      stagePoint(current, nowNanos);
    }
    hud.pulse(nowNanos);
    if (current != null) {
      if (!cars.equals(current.cars().cars())) {
        cars.setAll(current.cars().cars());
      }
    }
  }

  /** The session's phase as the fact the {@link DriveController} keeps its rules by. */
  static DriveState.Link linkFact(LinkStatus.Phase phase) {
    return switch (phase) {
      case SIGNALING, CLOSED -> DriveState.Link.NONE;
      case WAITING_FOR_CAR, NEGOTIATING, CHECKING -> DriveState.Link.CONNECTING;
      case CONNECTED -> DriveState.Link.UP;
      case RECONNECTING -> DriveState.Link.INTERRUPTED;
      case CAR_OFFLINE -> DriveState.Link.CAR_OFFLINE;
      case FAILED -> DriveState.Link.FAILED;
    };
  }

  /** FX thread: a frame reached the screen (from the video view). */
  public void frameShown(long sinkToScreenNanos, double captureToDecodedMillis) {
    hud.frameShown(System.nanoTime());
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
    // The whole run counts from the first sample with the car's counters (they come a second
    // after the video), so that every stage covers the same frames.
    if (before == null || (firstStageSample.sender() == null && sample.sender() != null)) {
      firstStageSample = sample;
    }
    stagesSession = from;
    previousStageSample = sample;
    if (before != null) {
      hud.showStages(StageBreakdown.between(before, sample));
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

  private void showDrive() {
    DriveState state = drive.state();
    String padProblem = services.gamepads().diagnostic() == null ? "" : PAD_PERMISSIONS;
    hud.show(state, padMessage, padProblem, System.nanoTime());
    if (state != shownDrive) {
      events.driveChanged(shownDrive, state);
      armed.set(state.armRequested());
      estop.set(state.mode() == DriveState.Mode.ESTOP);
      shownDrive = state;
    }
  }

  /** A failure as a sentence for the driver: never a stack trace. */
  static String explain(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException || cause instanceof ExecutionException) {
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
