package dev.rcdrive.station.hud;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The HUD over the video: the link top left (stage, path, round trip, glass to glass, video,
 * network), the car top right (its state, speed, battery, health, camera), the gauges and the input
 * in use at the bottom, and the message in the middle. Only binds to a {@link HudModel}.
 */
public final class HudView extends StackPane {

  private static final PseudoClass RELAY = PseudoClass.getPseudoClass("relay");
  private static final PseudoClass GOOD = PseudoClass.getPseudoClass("good");

  /** Badge texts and their colour classes; anything else (CONNECTING, WAITING, …) is grey. */
  private static final String[][] BADGE_STYLES = {
    {"ARMED", "armed"},
    {"DISARMED", "disarmed"},
    {"FAILSAFE", "failsafe"},
    {"E-STOP", "estop"},
    {"NO LINK", "nolink"},
  };

  /** The corner boxes never take more than this share of the video's width each: no overlap. */
  static final double CORNER_SHARE = 0.42;

  private final VBox linkBox;
  private final VBox carBox;
  private final Label messageLabel;

  public HudView(HudModel model) {
    linkBox = link(model);
    carBox = car(model);
    messageLabel = message(model);
    getChildren()
        .addAll(frozenVeil(model), alarmFrame(model), linkBox, carBox, gauges(model), messageLabel);
    setPickOnBounds(false);
  }

  /**
   * Each corner box gets at most {@link #CORNER_SHARE} of the width (its lines wrap), and the
   * message at most 640 px: on a small window nothing covers the badge or the other corner.
   */
  @Override
  protected void layoutChildren() {
    double width = getWidth();
    for (VBox corner : new VBox[] {linkBox, carBox}) {
      corner.setMaxWidth(Region.USE_COMPUTED_SIZE);
      corner.setMaxWidth(Math.min(corner.prefWidth(-1), width * CORNER_SHARE));
    }
    messageLabel.setMaxWidth(Math.min(messageLabel.prefWidth(-1), Math.min(640, width - 40)));
    messageLabel.setMaxHeight(messageLabel.prefHeight(messageLabel.getMaxWidth()));
    super.layoutChildren();
  }

  private static VBox link(HudModel model) {
    Label phase = new Label();
    phase.textProperty().bind(model.phaseProperty());
    phase.getStyleClass().add("hud-phase");
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setPrefSize(22, 22);
    spinner.visibleProperty().bind(model.connectingProperty());
    spinner.managedProperty().bind(model.connectingProperty());
    Label detail = new Label();
    detail.textProperty().bind(model.detailProperty());
    detail.getStyleClass().add("hud-detail");
    Label path = value("Path", model.candidateProperty());
    path.getStyleClass().add("hud-path");
    model
        .relayedProperty()
        .addListener((o, was, relay) -> path.pseudoClassStateChanged(RELAY, relay));
    VBox link =
        new VBox(
            4,
            new HBox(8, spinner, phase),
            detail,
            path,
            value("Round trip", model.roundTripProperty()),
            value("Glass to glass", model.glassToGlassProperty()),
            value("Video", model.videoProperty()),
            value("Network", model.networkProperty()));
    detail.setWrapText(true);
    return corner(link, Pos.TOP_LEFT);
  }

  private static VBox car(HudModel model) {
    Label state = new Label();
    state.textProperty().bind(model.carStateProperty());
    state.getStyleClass().add("hud-state");
    state.setMinWidth(Region.USE_PREF_SIZE); // the state is never cut short: the box grows
    model.carStateProperty().addListener((o, was, now) -> stateStyle(state, now));
    stateStyle(state, model.carStateProperty().get());
    Label line = new Label();
    line.textProperty().bind(model.stateLineProperty());
    line.getStyleClass().add("hud-state-line");
    line.setWrapText(true);
    line.setMaxWidth(360);
    Label speed = new Label();
    speed.textProperty().bind(model.speedProperty());
    speed.getStyleClass().add("hud-speed");
    VBox car =
        new VBox(
            6,
            state,
            line,
            speed,
            shownWhenSet(model.batteryProperty(), "hud-value"), // only cars with a sensor
            shownWhenSet(model.carHealthProperty(), "hud-value"),
            shownWhenSet(model.cameraWarningProperty(), "hud-warning"));
    car.setAlignment(Pos.TOP_RIGHT);
    return corner(car, Pos.TOP_RIGHT); // boxed: readable over a bright sky
  }

  private static HBox gauges(HudModel model) {
    CenterGauge throttle = new CenterGauge(); // brake / reverse left, throttle right
    throttle.valueProperty().bind(model.throttleGaugeProperty());
    throttle.getStyleClass().add("throttle-gauge");
    CenterGauge steering = new CenterGauge();
    steering.valueProperty().bind(model.steeringGaugeProperty());
    Label input = new Label();
    input
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    "Input: "
                        + model.inputNameProperty().get()
                        + suffix(model.padStatusProperty().get())
                        + suffix(model.padDiagnosticProperty().get()),
                model.inputNameProperty(),
                model.padStatusProperty(),
                model.padDiagnosticProperty()));
    HBox gauges =
        new HBox(14, gauge("Brake · Throttle", throttle), gauge("Steering", steering), input);
    gauges.setAlignment(Pos.CENTER);
    gauges.getStyleClass().add("hud-box");
    gauges.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(gauges, Pos.BOTTOM_CENTER);
    StackPane.setMargin(gauges, new Insets(12));
    return gauges;
  }

  /**
   * Over a picture that stopped: a grey veil and "PICTURE FROZEN", so an old frame is never taken
   * for the road now.
   */
  private static StackPane frozenVeil(HudModel model) {
    Label words = new Label("PICTURE FROZEN · no video from the car");
    words.getStyleClass().add("hud-frozen-words");
    StackPane veil = new StackPane(words);
    veil.getStyleClass().add("hud-frozen");
    veil.setId("frozen-veil");
    veil.setMouseTransparent(true);
    veil.visibleProperty().bind(model.videoFrozenProperty());
    StackPane.setAlignment(words, Pos.BOTTOM_CENTER);
    StackPane.setMargin(words, new Insets(0, 0, 96, 0)); // above the gauges
    return veil;
  }

  /** A red frame around the picture, lit while the alarm flashes; never takes a click. */
  private static Region alarmFrame(HudModel model) {
    Region frame = new Region();
    frame.getStyleClass().add("hud-alarm");
    frame.setId("alarm-frame");
    frame.setMouseTransparent(true);
    frame.visibleProperty().bind(model.alarmLitProperty());
    return frame;
  }

  private static Label message(HudModel model) {
    Label message = new Label();
    message.textProperty().bind(model.messageProperty());
    message.getStyleClass().add("hud-message");
    message.visibleProperty().bind(model.messageProperty().isNotEmpty());
    message.setWrapText(true);
    message.setMinWidth(0);
    model
        .messageIsGoodProperty()
        .addListener((o, was, good) -> message.pseudoClassStateChanged(GOOD, good));
    StackPane.setAlignment(message, Pos.CENTER);
    return message;
  }

  private static <T extends Region> T corner(T box, Pos where) {
    box.getStyleClass().add("hud-box");
    box.setMaxHeight(Region.USE_PREF_SIZE);
    box.setMinWidth(0);
    StackPane.setAlignment(box, where);
    StackPane.setMargin(box, new Insets(12));
    return box;
  }

  private static String suffix(String part) {
    return part.isEmpty() ? "" : " · " + part;
  }

  private static void stateStyle(Label label, String state) {
    for (String[] style : BADGE_STYLES) {
      label.pseudoClassStateChanged(PseudoClass.getPseudoClass(style[1]), style[0].equals(state));
    }
  }

  private static Label value(String name, ObservableValue<String> value) {
    Label label = new Label();
    label.textProperty().bind(Bindings.concat(name, ": ", value));
    label.getStyleClass().add("hud-value");
    return label;
  }

  /** A line that takes no room while its text is empty. */
  private static Label shownWhenSet(ObservableValue<String> text, String styleClass) {
    Label label = new Label();
    label.textProperty().bind(text);
    label.getStyleClass().add(styleClass);
    label.visibleProperty().bind(label.textProperty().isNotEmpty());
    label.managedProperty().bind(label.visibleProperty());
    return label;
  }

  private static VBox gauge(String name, CenterGauge bar) {
    VBox box = new VBox(2, new Label(name), bar);
    box.setAlignment(Pos.CENTER);
    return box;
  }
}
