package dev.rcdrive.station.app;

import atlantafx.base.theme.PrimerDark;
import dev.rcdrive.station.connect.ConnectPanel;
import dev.rcdrive.station.connect.Profiles;
import dev.rcdrive.station.gamepad.page.ControllerPageModel;
import dev.rcdrive.station.gamepad.page.ControllerWindow;
import dev.rcdrive.station.hud.HudModel;
import dev.rcdrive.station.hud.HudView;
import dev.rcdrive.station.hud.LinkCharts;
import dev.rcdrive.station.input.KeyboardInput;
import dev.rcdrive.station.settings.WindowState;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.station.video.Snapshots;
import dev.rcdrive.station.video.VideoView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TitledPane;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The driver station's window: the car's video as large as possible with the {@link HudView} over
 * it, a toolbar, and a side panel ({@link ConnectPanel}, the last minute's {@link LinkCharts}, the
 * controller). It puts the rooms together, forwards keys and the window's focus, and reads and
 * writes only {@link StationViewModel}; the link works off the FX thread.
 */
public final class StationApp extends Application {

  /**
   * JavaFX pulses at 60 Hz by default, so a decoded frame waits 8.3 ms on average for the pulse
   * that shows it; the wait is half the pulse period, whatever the rest of the path does. At 240 Hz
   * (a 4 ms period: JavaFX rounds it to whole milliseconds) it is about 2 ms against 4.4 ms at 120
   * Hz, for 4–8 % of a core more (docs/benchmarks.md, latency-floor); pulses with nothing new draw
   * nothing. {@code -Djavafx.animation.pulse=N} still overrides it.
   */
  public static final String PULSE_HZ = "240";

  private static volatile StationContext context;

  private final LatestFrame frames = new LatestFrame(Platform::requestNextPulse);
  private StationViewModel model;
  private VideoView videoView;
  private AnimationTimer ticker;
  private Stage stage;
  private WindowState windowState;
  private ControllerWindow controllerWindow;
  private Label keyHelp;

  /**
   * The side panel's place at the window's right. Its controls' skins, styles and layout took ~0.3
   * s of the FX thread in the window's first showing, on two cores shared with the demo's car,
   * while the first frame waited (docs/benchmarks.md, "Start-up, an eighth time"): it is filled
   * right after the first video frame is on screen, or {@link #SIDE_PANEL_AT_LATEST} after the
   * window is shown when no frame comes.
   */
  private final StackPane sideSlot = new StackPane();

  private PauseTransition sidePanelAtLatest;
  private volatile boolean sidePanelShown;

  /** Sets what the next {@link StationApp} instance starts with (tests launch it themselves). */
  static void useContext(StationContext startWith) {
    context = Objects.requireNonNull(startWith);
  }

  /** Starts the station and returns when its window has closed. */
  public static void launch(StationContext startWith) {
    context = Objects.requireNonNull(startWith);
    if (System.getProperty("javafx.animation.pulse") == null) {
      System.setProperty("javafx.animation.pulse", PULSE_HZ);
    }
    Application.launch(StationApp.class);
  }

  /** After a {@code selfTestFrames} run: whether enough frames were shown. */
  public static boolean selfTestPassed() {
    return SelfTest.passed();
  }

  @Override
  public void start(Stage primary) {
    this.stage = primary;
    StationContext ctx = Objects.requireNonNull(context, "launch with StationApp.launch(context)");
    // The first car's connection starts as soon as the engine and the target are there (the demo
    // is up about when JavaFX is): signaling, the lock and WebRTC go ahead while the window is
    // built, and the window takes the connection over once it is up.
    CompletableFuture<StationViewModel.Opening> first =
        ctx.autoConnect()
            .thenCombine(
                ctx.engine(),
                (target, engine) ->
                    StationViewModel.opensAsIs(target)
                        ? StationViewModel.open(engine, frames, target)
                        : null);
    model = new StationViewModel(ctx.engine()::join, frames, StationServices.forUser());
    model.setViewActions(this::snapshot, this::toggleFullScreen);
    videoView = new VideoView(frames);
    model.setClearVideoAction(videoView::clear);
    controllerWindow =
        new ControllerWindow(
            primary, () -> new ControllerPageModel(model.gamepad(), model.mappings(), Fx::run));

    // The binary form of the theme: parsed when AtlantaFX was built, not at every start.
    Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheetBSS());
    BorderPane root = new BorderPane();
    root.getStyleClass().add("station");
    root.setTop(toolbar());
    keyHelp = keyHelp();
    StackPane videoArea = new StackPane(videoView, new HudView(model.hud()), keyHelp);
    videoArea.getStyleClass().add("video-area");
    root.setCenter(videoArea);
    sideSlot.setPrefWidth(SIDE_PANEL_WIDTH);
    sideSlot.setMinHeight(0);
    root.setRight(sideSlot);

    Scene scene = new Scene(root);
    scene
        .getStylesheets()
        .add(Objects.requireNonNull(getClass().getResource("/station/app.css")).toExternalForm());
    scene.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
    scene.addEventFilter(KeyEvent.KEY_RELEASED, this::keyReleased);
    primary.setScene(scene);
    primary.setTitle("rcdrive Station");
    primary.setMinWidth(MIN_WIDTH);
    primary.setMinHeight(MIN_HEIGHT);
    // Esc is the E-STOP and nothing else: only F11 leaves fullscreen.
    primary.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
    primary.setFullScreenExitHint("F11 leaves fullscreen · Esc is E-STOP");
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
    ctx.onWindowShown().run();
    // A window manager may map the window at its minimum size whatever was asked before it was
    // shown (openbox does): ask again once it is up.
    Platform.runLater(() -> windowState.applyTo(primary));

    SelfTest selfTest =
        ctx.selfTestFrames() > 0
            ? new SelfTest(
                ctx.selfTestFrames(),
                primary,
                videoView,
                frames,
                model::stagesSinceFirst,
                model::focusLost)
            : null;
    sidePanelAtLatest = new PauseTransition(SIDE_PANEL_AT_LATEST);
    sidePanelAtLatest.setOnFinished(e -> showSidePanel());
    sidePanelAtLatest.play();
    videoView.setOnShown(
        (nanos, swapNanos, frame) -> {
          if (!sidePanelShown) {
            Platform.runLater(this::showSidePanel); // after this pulse, which shows the frame
          }
          model.frameShown(nanos, frame.ageAtDecodeMillis());
          if (selfTest != null) {
            selfTest.shown(nanos, swapNanos, frame);
          }
        });
    if (selfTest != null) {
      selfTest.start();
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
    first.whenComplete(
        (opening, failure) ->
            Fx.run(
                () -> {
                  if (failure != null) { // e.g. the WebRTC library could not load
                    model.tell("Could not start: " + StationViewModel.explain(failure));
                  } else if (opening != null) {
                    if (opening.target().demo()) {
                      model.rememberDemo(opening.target());
                    }
                    model.adopt(opening);
                  } else {
                    StationContext.Target given = ctx.autoConnect().join();
                    if (given != null) { // not usable as given: connect says what is wrong
                      model.connect(given.serverUrl(), given.token(), given.carId(), given.demo());
                    }
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
    if (sidePanelAtLatest != null) {
      sidePanelAtLatest.stop(); // nothing is built into a window that is closing
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

  // ---- layout -------------------------------------------------------------------------------

  /** The smallest window: every toolbar button still fits (see StationLayoutUiTest). */
  static final double MIN_WIDTH = 900;

  static final double MIN_HEIGHT = 540;

  /**
   * The toolbar. Not a JavaFX ToolBar: that hides what does not fit in an overflow menu, and the
   * E-STOP, the arm state and Leave must always be visible. Here the labels on the left give way
   * (ellipsis) and the buttons keep their size.
   */
  private HBox toolbar() {
    Label title = new Label("rcdrive");
    title.getStyleClass().add("app-title");
    title.setMinWidth(Region.USE_PREF_SIZE);
    Label demo = new Label("DEMO · simulated car");
    demo.getStyleClass().add("demo-badge");
    demo.visibleProperty().bind(model.demoProperty());
    demo.managedProperty().bind(model.demoProperty());
    demo.setMinWidth(0);
    Label car = new Label();
    car.textProperty().bind(model.carNameProperty());
    car.setMinWidth(0);
    Region spacer = new Region();
    spacer.setMinWidth(0);
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button arm = button("", model::toggleArm);
    arm.textProperty()
        .bind(Bindings.when(model.armedProperty()).then("Disarm (Enter)").otherwise("Arm (Enter)"));
    arm.getStyleClass().add("arm-button");
    Button estop = button("E-STOP (Esc)", model::emergencyStop);
    estop.getStyleClass().add("estop-button");
    Button clear = button("Clear E-STOP", model::clearEmergencyStop);
    clear.visibleProperty().bind(model.estopProperty());
    clear.managedProperty().bind(model.estopProperty());
    HudModel hud = model.hud();
    Button leave = button("Leave", model::leave);
    leave.disableProperty().bind(model.linkedProperty().not());
    Button backToDemo = button("Back to demo", model::backToDemo);
    backToDemo.visibleProperty().bind(model.demoOfferedProperty());
    backToDemo.managedProperty().bind(model.demoOfferedProperty());
    HBox bar =
        new HBox(
            4,
            title,
            demo,
            car,
            spacer,
            arm,
            estop,
            clear,
            leave,
            backToDemo,
            button("Keys (F1)", this::toggleKeyHelp),
            button("Snapshot (F12)", this::snapshot),
            button("Fullscreen (F11)", this::toggleFullScreen));
    for (Node node : bar.getChildren()) {
      if (node instanceof Button b) {
        b.setMinWidth(Region.USE_PREF_SIZE);
      }
    }
    bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    bar.setPadding(new Insets(6, 8, 6, 8));
    bar.getStyleClass().addAll("tool-bar", "station-toolbar");
    return bar;
  }

  /** F1 or ?: every key, over the video, until pressed again or clicked. */
  private Label keyHelp() {
    Label help =
        new Label(
            String.join(
                "\n",
                "Keys",
                "W / \u2191   throttle          S / \u2193   brake, then reverse",
                "A / \u2190   steer left        D / \u2192   steer right",
                "Space     brake",
                "Enter     arm / disarm        Esc   E-STOP (Clear E-STOP releases it)",
                "F11       fullscreen on/off   F12   snapshot",
                "F1 or ?   this help"));
    help.getStyleClass().add("key-help");
    help.setVisible(false);
    help.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    help.setOnMouseClicked(e -> help.setVisible(false));
    return help;
  }

  private void toggleKeyHelp() {
    keyHelp.setVisible(!keyHelp.isVisible());
  }

  /** A toolbar button that never takes the focus (the keys drive the car, not the buttons). */
  private static Button button(String text, Runnable action) {
    Button button = new Button(text);
    button.setOnAction(e -> action.run());
    button.setFocusTraversable(false);
    return button;
  }

  static final double SIDE_PANEL_WIDTH = 330;

  static final javafx.util.Duration SIDE_PANEL_AT_LATEST = javafx.util.Duration.millis(500);

  private void showSidePanel() {
    if (sidePanelShown) {
      return;
    }
    sidePanelAtLatest.stop();
    sideSlot.getChildren().setAll(sidePanel());
    // Only once it is in the scene: a test waiting on another thread then finds it there (set
    // before building, a lookup in between found no panel). Nothing calls this re-entrantly.
    sidePanelShown = true;
  }

  /** For tests: whether the side panel has been put in its place. */
  boolean sidePanelShown() {
    return sidePanelShown;
  }

  private Node sidePanel() {
    if (model.profilesProblem() != null) {
      model.tell(model.profilesProblem());
    }
    ConnectPanel connect =
        new ConnectPanel(
            model.cars(),
            model.savedConnections(),
            model.carNameProperty(),
            new ConnectPanel.Actions() {
              @Override
              public void connect(String serverUrl, String token) {
                model.connect(serverUrl, token, null, false);
              }

              @Override
              public void drive(String carId) {
                model.drive(carId);
              }

              @Override
              public void forget(Profiles.Profile profile) {
                model.forget(profile);
              }
            });
    Label padLine = new Label();
    padLine.textProperty().bind(model.hud().inputNameProperty().map(n -> "In use: " + n));
    padLine.setWrapText(true);
    Button padSettings = new Button("Controller settings…");
    padSettings.setOnAction(e -> controllerWindow.show());
    VBox side =
        new VBox(
            8,
            connect,
            new TitledPane("Last 60 s", new LinkCharts(model.hud())),
            new TitledPane("Controller", new VBox(6, padLine, padSettings)),
            events());
    side.setPadding(new Insets(8));
    // Scrolls instead of pushing the window taller than the screen.
    ScrollPane scroll = new ScrollPane(side);
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    scroll.getStyleClass().add("side-panel");
    scroll.setPrefWidth(SIDE_PANEL_WIDTH);
    scroll.setMinHeight(0);
    return scroll;
  }

  private TitledPane events() {
    javafx.scene.control.ListView<String> list =
        new javafx.scene.control.ListView<>(model.events().lines());
    list.setPrefHeight(160);
    list.getStyleClass().add("event-log");
    list.setFocusTraversable(false);
    model
        .events()
        .lines()
        .addListener(
            (javafx.collections.ListChangeListener<String>)
                change -> list.scrollTo(list.getItems().size() - 1));
    TitledPane pane = new TitledPane("Events", list);
    pane.setExpanded(true);
    return pane;
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
    if ("?".equals(event.getText())) {
      toggleKeyHelp();
      event.consume();
      return;
    }
    switch (event.getCode()) {
      case ENTER -> model.toggleArm();
      case ESCAPE -> model.emergencyStop();
      case F1 -> toggleKeyHelp();
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

  private void toggleFullScreen() {
    stage.setFullScreen(!stage.isFullScreen());
  }

  /** Saves the video as on screen as a PNG (see {@link Snapshots#folder}), off the FX thread. */
  private void snapshot() {
    Image image = videoView.imageView().getImage();
    if (image == null) {
      model.tell("No video to save yet");
      return;
    }
    Snapshots.Picture picture = Snapshots.capture(image, videoView.imageView().getViewport());
    Path folder = Snapshots.folder();
    LocalDateTime now = LocalDateTime.now();
    CompletableFuture.supplyAsync(
            () -> {
              try {
                return Snapshots.write(picture, folder, now);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .whenComplete(
            (file, failure) ->
                Fx.run(
                    () -> {
                      if (failure == null) {
                        model.tellGood("Saved " + file);
                      } else {
                        model.tell(
                            "Could not save the snapshot: " + StationViewModel.explain(failure));
                      }
                    }));
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

  Stage stage() {
    return stage;
  }

  static void exit() {
    Platform.exit();
  }
}
