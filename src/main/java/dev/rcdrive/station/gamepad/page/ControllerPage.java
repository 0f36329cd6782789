package dev.rcdrive.station.gamepad.page;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.util.Locale;
import java.util.Objects;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The controller page: pick a controller, rescan, see every axis and button live, bind actions by
 * pressing the control, tune each axis, calibrate, and read why no controller shows up. A
 * self-contained node: it refreshes itself each pulse while it is in a scene and stops when it is
 * taken out. It only reads and calls {@link ControllerPageModel}.
 */
public final class ControllerPage extends ScrollPane {

  private final ControllerPageModel model;
  private final GridPane live = new GridPane();
  private final AnimationTimer pulse =
      new AnimationTimer() {
        @Override
        public void handle(long now) {
          model.refresh();
        }
      };

  public ControllerPage(ControllerPageModel model) {
    this.model = Objects.requireNonNull(model);
    getStyleClass().add("controller-page");
    getStylesheets()
        .add(
            Objects.requireNonNull(getClass().getResource("/station/gamepad.css"))
                .toExternalForm());
    setFitToWidth(true);
    setHbarPolicy(ScrollBarPolicy.NEVER);

    // Two columns: a pad has up to ~20 controls, so the live list is tall; the settings beside it.
    TitledPane livePane = new TitledPane("Live", liveGrid());
    livePane.setCollapsible(false);
    VBox settings =
        new VBox(
            10,
            new TitledPane("Mapping", mapping()),
            new TitledPane("Feel", feel()),
            new TitledPane("Calibration", calibration()));
    HBox columns = new HBox(10, livePane, settings);
    HBox.setHgrow(settings, Priority.ALWAYS);
    VBox content = new VBox(10, header(), messages(), columns);
    content.setPadding(new Insets(10));
    setContent(content);

    // Refresh only while shown: a page left in memory must not poll forever (Bisq's onDeactivate).
    sceneProperty()
        .addListener(
            (o, was, scene) -> {
              if (scene == null) {
                pulse.stop();
              } else {
                pulse.start();
              }
            });
  }

  public ControllerPageModel model() {
    return model;
  }

  private Node header() {
    ComboBox<PadInfo> chooser = new ComboBox<>(model.pads);
    chooser.setId("pad-chooser");
    chooser.setPromptText("No controller");
    chooser.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(chooser, Priority.ALWAYS);
    model.selectedKey.addListener(
        (o, was, key) ->
            model.pads.stream()
                .filter(p -> p.key().equals(key))
                .findFirst()
                .ifPresent(p -> chooser.getSelectionModel().select(p)));
    chooser.setOnAction(
        e -> {
          PadInfo picked = chooser.getValue();
          if (picked != null) {
            model.select(picked.key());
          }
        });
    Button rescan = new Button("Rescan");
    rescan.setId("pad-rescan");
    rescan.setOnAction(e -> model.rescan());
    Label status = new Label();
    status.setId("pad-status");
    status.textProperty().bind(model.status);
    HBox row = new HBox(8, new Label("Controller"), chooser, rescan);
    row.setAlignment(Pos.CENTER_LEFT);
    return new VBox(6, row, status);
  }

  private Node messages() {
    Label diagnostic = wrapping("pad-diagnostic", "pad-diagnostic");
    diagnostic.textProperty().bind(model.diagnostic);
    visibleWhenText(diagnostic);
    Label message = wrapping("pad-message", "pad-message");
    message.textProperty().bind(model.message);
    visibleWhenText(message);
    Label prompt = wrapping("pad-prompt", "pad-prompt");
    prompt.textProperty().bind(model.prompt);
    visibleWhenText(prompt);
    return new VBox(6, diagnostic, prompt, message);
  }

  private Node liveGrid() {
    live.setHgap(8);
    live.setVgap(3);
    live.setId("pad-live");
    model.rows.addListener((ListChangeListener<ControllerPageModel.Row>) c -> rebuildLive());
    rebuildLive();
    return live;
  }

  private void rebuildLive() {
    live.getChildren().clear();
    int r = 0;
    for (ControllerPageModel.Row row : model.rows) {
      PadControl control = row.control;
      Label name = new Label(control.id());
      name.setMinWidth(Region.USE_PREF_SIZE); // "Right Thumb 3" in full, never "Right T…"
      Label kind = new Label(control.kind().name().toLowerCase(Locale.ROOT));
      kind.getStyleClass().add("pad-kind");
      kind.setMinWidth(Region.USE_PREF_SIZE);
      ProgressBar bar = new ProgressBar();
      bar.setPrefWidth(140);
      bar.progressProperty()
          .bind(
              control.kind() == PadControl.Kind.AXIS
                  ? row.value.add(1).divide(2) // −1…1 shown as 0…1, centre in the middle
                  : row.value);
      Label value = new Label();
      value.setId("pad-value-" + control.id().replace(' ', '_'));
      value.textProperty().bind(row.value.asString(Locale.ROOT, "%.2f"));
      value.setMinWidth(48);
      live.addRow(r++, name, kind, bar, value);
    }
    if (model.rows.isEmpty()) {
      Label hint = wrapping("pad-live-hint", "pad-diagnostic");
      hint.setPrefWidth(320);
      hint.textProperty()
          .bind(
              Bindings.when(model.liveHint.isEmpty())
                  .then("Plug in a controller, or press Rescan.")
                  .otherwise(model.liveHint));
      live.addRow(0, hint);
    }
  }

  private Node mapping() {
    ComboBox<String> profiles = new ComboBox<>();
    profiles.getItems().setAll(model.profileNames());
    profiles.setPromptText("Use a built-in profile…");
    profiles.setOnAction(
        e -> {
          if (profiles.getValue() != null) {
            model.useProfile(profiles.getValue());
          }
        });
    Button reset = new Button("Defaults");
    reset.setId("pad-reset");
    reset.setOnAction(e -> model.resetToDefaults());
    reset.setMinWidth(Region.USE_PREF_SIZE);
    Label profile = new Label();
    profile.setId("pad-profile");
    profile.setWrapText(true);
    profile.textProperty().bind(model.profile.map(p -> p.isEmpty() ? "" : "Profile: " + p));
    HBox choose = new HBox(8, profiles, reset);
    choose.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(6, profile, choose);

    GridPane grid = new GridPane();
    grid.setHgap(10);
    grid.setVgap(4);
    int r = 0;
    for (PadAction action : PadAction.values()) {
      Label control = new Label();
      control.setId("pad-bound-" + action.name());
      control.textProperty().bind(model.bound.get(action));
      control.setMinWidth(90);
      Button bind = new Button("Bind");
      bind.setId("pad-bind-" + action.name());
      bind.setOnAction(e -> model.startBinding(action));
      bind.disableProperty().bind(model.binding.or(model.padConnected.not()));
      grid.addRow(r++, new Label(action.label()), control, bind);
    }
    Button cancel = new Button("Cancel");
    cancel.setId("pad-bind-cancel");
    cancel.visibleProperty().bind(model.binding);
    cancel.managedProperty().bind(model.binding);
    cancel.setOnAction(e -> model.cancelBinding());
    return new VBox(8, top, grid, cancel);
  }

  private Node feel() {
    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(4);
    grid.addRow(0, new Label(""), new Label("Deadzone"), new Label("Expo"), new Label("Trim"));
    int r = 1;
    for (PadAction action :
        new PadAction[] {PadAction.STEER, PadAction.THROTTLE, PadAction.BRAKE}) {
      ControllerPageModel.Feel f = model.feel.get(action);
      CheckBox invert = new CheckBox("Invert");
      invert.setId("pad-invert-" + action.name());
      invert.setMinWidth(Region.USE_PREF_SIZE);
      invert.selectedProperty().bindBidirectional(f.invert);
      invert.setOnAction(e -> model.saveFeel());
      grid.addRow(
          r++,
          new Label(action.label()),
          slider(action, "deadzone", f.deadzone, 0, 0.5),
          slider(action, "expo", f.expo, 0, 1),
          slider(action, "trim", f.trim, -0.5, 0.5),
          invert);
    }
    return grid;
  }

  private Slider slider(
      PadAction action,
      String what,
      javafx.beans.property.DoubleProperty value,
      double min,
      double max) {
    Slider slider = new Slider(min, max, value.get());
    slider.setId("pad-" + what + "-" + action.name());
    slider.setPrefWidth(90);
    slider.setMinWidth(60);
    slider.valueProperty().bindBidirectional(value);
    // Save once the drag ends, not at every step of it.
    slider
        .valueChangingProperty()
        .addListener(
            (o, was, changing) -> {
              if (!changing) {
                model.saveFeel();
              }
            });
    return slider;
  }

  private Node calibration() {
    Button start = new Button("Calibrate");
    start.setId("pad-calibrate");
    start.setOnAction(e -> model.startCalibration());
    start.disableProperty().bind(model.calibrationStep.isNotEqualTo(0));
    Button next = new Button("Next");
    next.setId("pad-calibrate-next");
    next.setOnAction(e -> model.nextCalibrationStep());
    next.disableProperty().bind(model.calibrationStep.isNotEqualTo(1));
    Button done = new Button("Done");
    done.setId("pad-calibrate-done");
    done.setOnAction(e -> model.finishCalibration());
    done.disableProperty().bind(model.calibrationStep.isNotEqualTo(2));
    Button cancel = new Button("Cancel");
    cancel.setOnAction(e -> model.cancelCalibration());
    cancel.disableProperty().bind(model.calibrationStep.isEqualTo(0));
    Label hint =
        new Label("Centre and range of the steering stick, rest and full travel of the triggers.");
    hint.setWrapText(true);
    return new VBox(6, hint, new HBox(8, start, next, done, cancel));
  }

  private static Label wrapping(String id, String styleClass) {
    Label label = new Label();
    label.setId(id);
    label.getStyleClass().add(styleClass);
    label.setWrapText(true);
    label.setMaxWidth(Double.MAX_VALUE);
    return label;
  }

  private static void visibleWhenText(Label label) {
    label.visibleProperty().bind(Bindings.isNotEmpty(label.textProperty()));
    label.managedProperty().bind(label.visibleProperty());
  }
}
