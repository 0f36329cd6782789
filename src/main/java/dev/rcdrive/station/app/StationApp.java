package dev.rcdrive.station.app;

import atlantafx.base.theme.PrimerDark;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.station.hud.CenterGauge;
import dev.rcdrive.station.hud.TrendChart;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.station.video.Snapshots;
import dev.rcdrive.station.video.VideoView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Objects;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToolBar;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;

/**
 * The driver station's window: the car's video as large as possible, a HUD over it, and a side
 * panel to connect, pick a car and watch the link. The view only reads and writes {@link
 * StationViewModel}; the link works off the FX thread.
 */
public final class StationApp extends Application {

  private static volatile StationContext context;
  private static volatile boolean selfTestPassed;
  private long firstFrameCpuNanos = -1;
  private long firstFrameEpochMillis;
  private long firstFrameWallNanos;

  private final dev.rcdrive.station.link.Samples sinkToScreen =
      new dev.rcdrive.station.link.Samples(10_000);
  private final dev.rcdrive.station.link.Samples glassToScreen =
      new dev.rcdrive.station.link.Samples(10_000);

  private final LatestFrame frames = new LatestFrame(Platform::requestNextPulse);
  private StationViewModel model;
  private VideoView videoView;
  private AnimationTimer ticker;
  private Stage stage;
  private WindowState windowState;

  /** Sets what the next {@link StationApp} instance starts with (tests launch it themselves). */
  static void useContext(StationContext startWith) {
    context = Objects.requireNonNull(startWith);
  }

  /** Starts the station and returns when its window has closed. */
  /**
   * JavaFX pulses at 60 Hz by default, so a decoded frame waits 8.3 ms on average for the pulse
   * that shows it; the wait is half the pulse period, whatever the rest of the path does. At 240 Hz
   * (a 4 ms period: JavaFX rounds it to whole milliseconds) it is about 2 ms, measured against 4.4
   * ms at 120 Hz with no measurable CPU cost (docs/benchmarks.md, latency-floor); pulses with
   * nothing new draw nothing. {@code -Djavafx.animation.pulse=N} still overrides it.
   */
  public static final String PULSE_HZ = "240";

  public static void launch(StationContext startWith) {
    context = Objects.requireNonNull(startWith);
    if (System.getProperty("javafx.animation.pulse") == null) {
      System.setProperty("javafx.animation.pulse", PULSE_HZ);
    }
    Application.launch(StationApp.class);
  }

  @Override
  public void start(Stage primary) {
    this.stage = primary;
    StationContext ctx = Objects.requireNonNull(context, "launch with StationApp.launch(context)");
    model = new StationViewModel(ctx.engine()::join, frames);
    model.setViewActions(this::snapshot, this::toggleFullScreen);
    videoView = new VideoView(frames);

    Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
    BorderPane root = new BorderPane();
    root.getStyleClass().add("station");
    root.setTop(toolbar());
    StackPane stage3 = new StackPane(videoView, hud());
    stage3.getStyleClass().add("video-area");
    root.setCenter(stage3);
    root.setRight(sidePanel());

    Scene scene = new Scene(root, 1280, 800);
    scene
        .getStylesheets()
        .add(Objects.requireNonNull(getClass().getResource("/station/app.css")).toExternalForm());
    scene.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
    scene.addEventFilter(KeyEvent.KEY_RELEASED, this::keyReleased);
    primary.setScene(scene);
    primary.setTitle("rcdrive station");
    primary.setMinWidth(900);
    primary.setMinHeight(560);
    Image icon = icon();
    if (icon != null) {
      primary.getIcons().add(icon);
    }
    windowState = WindowState.load();
    windowState.applyTo(primary);
    primary
        .focusedProperty()
        .addListener(
            (obs, was, focused) -> {
              if (!focused) {
                model.focusLost();
              }
            });
    primary.setOnCloseRequest(event -> model.focusLost());
    primary.show();

    videoView.setOnShown(
        (nanos, swapNanos, frame) -> {
          if (videoView.framesShown() == 1) {
            firstFrameEpochMillis = System.currentTimeMillis();
            firstFrameCpuNanos = processCpuNanos();
            firstFrameWallNanos = System.nanoTime();
          }
          sinkToScreen.add(nanos / 1e6);
          model.frameShown(nanos, frame.ageAtDecodeMillis());
          if (!Double.isNaN(frame.ageAtDecodeMillis())) {
            glassToScreen.add(frame.ageAtDecodeMillis() + nanos / 1e6);
          }
          if (ctx.selfTestFrames() > 0 && videoView.framesShown() == ctx.selfTestFrames()) {
            finishSelfTest(true);
          }
        });
    if (ctx.selfTestFrames() > 0) {
      javafx.animation.PauseTransition deadline =
          new javafx.animation.PauseTransition(javafx.util.Duration.seconds(60));
      deadline.setOnFinished(e -> finishSelfTest(false));
      deadline.play();
    }
    videoView.start();
    ticker =
        new AnimationTimer() {
          @Override
          public void handle(long now) {
            model.tick(now);
          }
        };
    ticker.start();
    ctx.autoConnect()
        .whenComplete(
            (target, failure) ->
                Fx.run(
                    () -> {
                      if (failure != null) { // e.g. the WebRTC library could not load
                        model.message.set("Could not start: " + StationViewModel.explain(failure));
                      } else if (target != null) {
                        model.connect(
                            target.serverUrl(), target.token(), target.carId(), target.demo());
                      }
                    }));
  }

  @Override
  public void stop() {
    if (ticker != null) {
      ticker.stop();
      videoView.stop();
      windowState.saveFrom(stage);
    }
    Thread closer =
        new Thread(
            () -> {
              model.shutdown(); // one neutral frame, release, close the link
              StationContext ctx = context;
              if (ctx != null && ctx.onExit() != null) {
                ctx.onExit().run();
              }
            },
            "station-shutdown");
    closer.start();
    try {
      closer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports what was measured and closes the window the way a user would. */
  private void finishSelfTest(boolean passed) {
    if (!stage.isShowing()) {
      return;
    }
    selfTestPassed = passed;
    double cpuPercent =
        firstFrameCpuNanos < 0 || processCpuNanos() < 0
            ? Double.NaN
            : (processCpuNanos() - firstFrameCpuNanos)
                * 100.0
                / (System.nanoTime() - firstFrameWallNanos);
    System.out.printf(
        java.util.Locale.ROOT,
        "self-test %s: %d frames shown; sink to screen p50 %.2f ms, p99 %.2f ms; capture to screen"
            + " p50 %.1f ms, p99 %.1f ms; %d frames replaced before shown; process CPU %.0f %% of"
            + " a core while showing video; first frame at epoch ms %d, %d ms after the JVM"
            + " started%n",
        passed ? "passed" : "FAILED (no video within 60 s)",
        videoView.framesShown(),
        sinkToScreen.percentile(50),
        sinkToScreen.percentile(99),
        glassToScreen.percentile(50),
        glassToScreen.percentile(99),
        frames.dropped(),
        cpuPercent,
        firstFrameEpochMillis,
        firstFrameEpochMillis
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    // The breakdown over the run (from the first second with video), one line.
    var whole = model.stagesSinceFirst();
    System.out.println(
        "self-test stages: "
            + (whole == null
                ? "-"
                : String.join("; ", StationViewModel.stagesText(whole).strip().split("\\R"))));
    System.out.flush();
    model.focusLost(); // as a closing window does: neutral, then disarm
    stage.close();
  }

  /** CPU time of this whole process (all threads), or -1 where the JVM can't tell. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** After a {@code selfTestFrames} run: whether enough frames were shown. */
  public static boolean selfTestPassed() {
    return selfTestPassed;
  }

  // ---- layout -------------------------------------------------------------------------------

  private ToolBar toolbar() {
    Label title = new Label("rcdrive");
    title.getStyleClass().add("app-title");
    Label demo = new Label("DEMO · simulated car");
    demo.getStyleClass().add("demo-badge");
    demo.visibleProperty().bind(model.demo);
    demo.managedProperty().bind(model.demo);
    Label car = new Label();
    car.textProperty().bind(model.carName);
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button arm = new Button();
    arm.textProperty()
        .bind(
            javafx.beans.binding.Bindings.when(model.armed)
                .then("Disarm (Enter)")
                .otherwise("Arm (Enter)"));
    arm.setOnAction(e -> model.toggleArm());
    arm.setFocusTraversable(false);
    Button estop = new Button("E-STOP (Esc)");
    estop.getStyleClass().add("estop-button");
    estop.setOnAction(e -> model.emergencyStop());
    estop.setFocusTraversable(false);
    Button clear = new Button("Clear E-STOP");
    clear.visibleProperty().bind(model.estop);
    clear.managedProperty().bind(model.estop);
    clear.setOnAction(e -> model.clearEmergencyStop());
    Button snapshot = new Button("Snapshot (F12)");
    snapshot.setOnAction(e -> snapshot());
    snapshot.setFocusTraversable(false);
    Button full = new Button("Fullscreen (F11)");
    full.setOnAction(e -> toggleFullScreen());
    full.setFocusTraversable(false);
    Button leave = new Button("Leave");
    leave.setOnAction(e -> model.leave());
    leave.disableProperty().bind(model.connected.not().and(model.connecting.not()));
    leave.setFocusTraversable(false);
    return new ToolBar(title, demo, car, spacer, arm, estop, clear, snapshot, full, leave);
  }

  private Node hud() {
    Label phase = new Label();
    phase.textProperty().bind(model.phase);
    phase.getStyleClass().add("hud-phase");
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setPrefSize(22, 22);
    spinner.visibleProperty().bind(model.connecting);
    spinner.managedProperty().bind(model.connecting);
    Label detail = new Label();
    detail.textProperty().bind(model.detail);
    detail.getStyleClass().add("hud-detail");
    Label path = hudValue("Path", model.candidate);
    path.getStyleClass().add("hud-path");
    model.relayed.addListener((o, was, relay) -> path.pseudoClassStateChanged(RELAY, relay));
    VBox link =
        new VBox(
            4,
            new HBox(8, spinner, phase),
            detail,
            path,
            hudValue("Round trip", model.roundTrip),
            hudValue("Glass to glass", model.glassToGlass),
            hudValue("Video", model.video),
            hudValue("Network", model.network));
    link.getStyleClass().add("hud-box");
    link.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(link, Pos.TOP_LEFT);
    StackPane.setMargin(link, new Insets(12));

    Label state = new Label();
    state.textProperty().bind(model.carState);
    state.getStyleClass().add("hud-state");
    model.carState.addListener((o, was, now) -> stateStyle(state, now));
    stateStyle(state, model.carState.get());
    Label speed = new Label();
    speed.textProperty().bind(model.speed);
    speed.getStyleClass().add("hud-speed");
    Label battery = new Label();
    battery.textProperty().bind(model.battery);
    battery.getStyleClass().add("hud-value");
    battery.visibleProperty().bind(model.battery.isNotEmpty()); // only cars with a sensor
    battery.managedProperty().bind(battery.visibleProperty());
    Label health = new Label();
    health.textProperty().bind(model.carHealth);
    health.getStyleClass().add("hud-value");
    health.visibleProperty().bind(model.carHealth.isNotEmpty());
    health.managedProperty().bind(health.visibleProperty());
    Label camera = new Label();
    camera.textProperty().bind(model.cameraWarning);
    camera.getStyleClass().add("hud-warning");
    camera.visibleProperty().bind(model.cameraWarning.isNotEmpty());
    camera.managedProperty().bind(camera.visibleProperty());
    VBox car = new VBox(6, state, speed, battery, health, camera);
    car.setAlignment(Pos.TOP_RIGHT);
    car.getStyleClass().add("hud-box"); // readable over a bright sky
    car.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(car, Pos.TOP_RIGHT);
    StackPane.setMargin(car, new Insets(12));

    CenterGauge throttle = new CenterGauge(); // brake / reverse left, throttle right
    throttle.valueProperty().bind(model.throttleGauge);
    throttle.getStyleClass().add("throttle-gauge");
    CenterGauge steering = new CenterGauge();
    steering.valueProperty().bind(model.steeringGauge);
    Label input = new Label();
    input
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.createStringBinding(
                () ->
                    "Input: "
                        + model.inputName.get()
                        + (model.padStatus.get().isEmpty() ? "" : " · " + model.padStatus.get())
                        + (model.padDiagnostic.get().isEmpty()
                            ? ""
                            : " · " + model.padDiagnostic.get()),
                model.inputName,
                model.padStatus,
                model.padDiagnostic));
    HBox gauges =
        new HBox(14, gauge("Brake · Throttle", throttle), gauge("Steering", steering), input);
    gauges.setAlignment(Pos.CENTER);
    gauges.getStyleClass().add("hud-box");
    gauges.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(gauges, Pos.BOTTOM_CENTER);
    StackPane.setMargin(gauges, new Insets(12));

    Label message = new Label();
    message.textProperty().bind(model.message);
    message.getStyleClass().add("hud-message");
    message.visibleProperty().bind(model.message.isNotEmpty());
    message.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(message, Pos.CENTER);

    StackPane hud = new StackPane(link, car, gauges, message);
    hud.setPickOnBounds(false);
    return hud;
  }

  private static final javafx.css.PseudoClass RELAY =
      javafx.css.PseudoClass.getPseudoClass("relay");

  private static void stateStyle(Label label, String state) {
    for (String s : new String[] {"ARMED", "DISARMED", "FAILSAFE", "ESTOP"}) {
      label.pseudoClassStateChanged(
          javafx.css.PseudoClass.getPseudoClass(s.toLowerCase()), s.equals(state));
    }
  }

  private static Label hudValue(String name, javafx.beans.value.ObservableValue<String> value) {
    Label label = new Label();
    label.textProperty().bind(javafx.beans.binding.Bindings.concat(name, ": ", value));
    label.getStyleClass().add("hud-value");
    return label;
  }

  private static VBox gauge(String name, CenterGauge bar) {
    VBox box = new VBox(2, new Label(name), bar);
    box.setAlignment(Pos.CENTER);
    return box;
  }

  private Node sidePanel() {
    TextField server = new TextField();
    server.setPromptText("wss://signal.example.org:8443");
    PasswordField token = new PasswordField();
    token.setPromptText("driver token");
    var last = model.lastProfile();
    if (last != null) {
      server.setText(last.server());
      token.setText(last.token());
    }
    if (model.profilesProblem() != null) {
      model.message.set(model.profilesProblem());
    }
    Button connect = new Button("Connect");
    connect.setDefaultButton(false);
    connect.setOnAction(e -> model.connect(server.getText(), token.getText(), null, false));
    VBox form = new VBox(6, new Label("Server"), server, new Label("Token"), token, connect);

    ListView<CarInfo> cars = new ListView<>(model.cars);
    cars.setPrefHeight(96); // a few cars; leaves room for the charts below
    cars.setCellFactory(
        list ->
            new ListCell<>() {
              @Override
              protected void updateItem(CarInfo car, boolean empty) {
                super.updateItem(car, empty);
                setText(
                    empty || car == null
                        ? null
                        : car.name()
                            + "  —  "
                            + (!car.online() ? "offline" : car.driven() ? "busy" : "free"));
              }
            });
    Button drive = new Button("Drive");
    drive.disableProperty().bind(cars.getSelectionModel().selectedItemProperty().isNull());
    drive.setOnAction(e -> model.drive(cars.getSelectionModel().getSelectedItem().carId()));
    VBox carsBox = new VBox(6, cars, drive);

    VBox charts =
        new VBox(
            6,
            new TrendChart(model.rttTrend, Color.web("#2f81f7")),
            new TrendChart(model.glassToGlassTrend, Color.web("#d29922")),
            new TrendChart(model.bitrateTrend, Color.web("#3fb950")));

    TitledPane connectPane = new TitledPane("Connect", form);
    TitledPane carsPane = new TitledPane("Cars", carsBox);
    Label stages = new Label();
    stages.textProperty().bind(model.stages);
    stages.getStyleClass().add("stages");
    charts.getChildren().addAll(new Label("Where a frame's time goes (last second)"), stages);
    TitledPane statsPane = new TitledPane("Last 60 s", charts);
    Label padLine = new Label();
    padLine.textProperty().bind(model.inputName.map(n -> "In use: " + n));
    padLine.setWrapText(true);
    Button padSettings = new Button("Controller settings…");
    padSettings.setOnAction(e -> showControllerWindow());
    TitledPane controllerPane = new TitledPane("Controller", new VBox(6, padLine, padSettings));
    VBox side = new VBox(8, connectPane, carsPane, statsPane, controllerPane);
    side.setPadding(new Insets(8));
    // Scrolls instead of pushing the window taller than the screen.
    javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(side);
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
    scroll.getStyleClass().add("side-panel");
    scroll.setPrefWidth(330);
    scroll.setMinHeight(0);
    return scroll;
  }

  // ---- input --------------------------------------------------------------------------------

  private void keyPressed(KeyEvent event) {
    if (event.getTarget() instanceof TextInputControl && event.getCode() != KeyCode.ESCAPE) {
      return; // typing in the connect form
    }
    KeyboardInput.Key key = drivingKey(event.getCode());
    if (key != null) {
      model.keyboard().press(key);
      event.consume();
      return;
    }
    switch (event.getCode()) {
      case ENTER -> model.toggleArm();
      case ESCAPE -> model.emergencyStop();
      case F11 -> toggleFullScreen();
      case F12 -> snapshot();
      default -> {
        return;
      }
    }
    event.consume();
  }

  private void keyReleased(KeyEvent event) {
    KeyboardInput.Key key = drivingKey(event.getCode());
    if (key != null) {
      model.keyboard().release(key);
      event.consume();
    }
  }

  static KeyboardInput.Key drivingKey(KeyCode code) {
    return switch (code) {
      case W, UP -> KeyboardInput.Key.THROTTLE;
      case S, DOWN -> KeyboardInput.Key.REVERSE;
      case A, LEFT -> KeyboardInput.Key.LEFT;
      case D, RIGHT -> KeyboardInput.Key.RIGHT;
      case SPACE -> KeyboardInput.Key.BRAKE;
      default -> null;
    };
  }

  private Stage controllerWindow;

  /**
   * The controller page in a window of its own: live axes, binding, calibration need more room than
   * the side panel. Opening it takes the focus from the driving window, which disarms.
   */
  private void showControllerWindow() {
    if (controllerWindow == null) {
      controllerWindow = new Stage();
      controllerWindow.initOwner(stage);
      controllerWindow.setTitle("rcdrive · controller");
      StackPane page =
          new StackPane(
              new dev.rcdrive.station.gamepad.ControllerPage(
                  new dev.rcdrive.station.gamepad.ControllerPageModel(
                      model.gamepad(), model.mappings())));
      page.getStyleClass().add("station"); // the main window's dark background
      Scene scene = new Scene(page, 960, 720);
      scene.getStylesheets().addAll(stage.getScene().getStylesheets());
      controllerWindow.setScene(scene);
      controllerWindow.getIcons().addAll(stage.getIcons());
    }
    controllerWindow.show();
    controllerWindow.toFront();
  }

  private void toggleFullScreen() {
    stage.setFullScreen(!stage.isFullScreen());
  }

  /** Saves the video as on screen as a PNG (see {@link Snapshots#folder}), off the FX thread. */
  private void snapshot() {
    Image image = videoView.imageView().getImage();
    if (image == null) {
      model.message.set("No video to save yet");
      return;
    }
    Snapshots.Picture picture = Snapshots.capture(image, videoView.imageView().getViewport());
    Path folder = Snapshots.folder();
    LocalDateTime now = LocalDateTime.now();
    java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Snapshots.write(picture, folder, now);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .whenComplete(
            (file, failure) ->
                Platform.runLater(
                    () ->
                        model.message.set(
                            failure == null
                                ? "Saved " + file
                                : "Could not save the snapshot: "
                                    + StationViewModel.explain(failure))));
  }

  private Image icon() {
    var stream = getClass().getResourceAsStream("/station/icon.png");
    return stream == null ? null : new Image(stream);
  }

  /** For tests: the view model and the video view of the running window. */
  StationViewModel model() {
    return model;
  }

  VideoView videoView() {
    return videoView;
  }

  static void exit() {
    Platform.exit();
  }
}
