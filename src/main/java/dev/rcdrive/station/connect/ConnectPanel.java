package dev.rcdrive.station.connect;

import dev.rcdrive.protocol.SignalMessage.CarInfo;
import javafx.collections.ObservableList;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The side panel's way to a car: a server and a driver token (prefilled from the last saved
 * connection, or picked from the saved ones), the server's cars live (free, busy, offline), and
 * Drive. It decides nothing: what the buttons mean is the station's {@link Actions}.
 */
public final class ConnectPanel extends VBox {

  /** What the buttons do. */
  public interface Actions {
    void connect(String serverUrl, String token);

    void drive(String carId);

    /** Removes a saved connection and its token. */
    void forget(Profiles.Profile profile);
  }

  /**
   * @param cars the server's cars, kept current by the station
   * @param saved the saved connections, newest first, kept current by the station
   * @param drivingNow the id of the car this station drives, "" when none (listed as "yours", not
   *     "busy")
   */
  public ConnectPanel(
      ObservableList<CarInfo> cars,
      ObservableList<Profiles.Profile> saved,
      javafx.beans.value.ObservableStringValue drivingNow,
      Actions actions) {
    super(8);
    TextField server = new TextField();
    server.setId("server");
    server.setPromptText("wss://signal.example.org:8443");
    PasswordField token = new PasswordField();
    token.setId("token");
    token.setPromptText("driver token");
    ComboBox<Profiles.Profile> picker = new ComboBox<>(saved);
    picker.setId("saved-connections");
    picker
        .promptTextProperty()
        .bind(
            javafx.beans.binding.Bindings.when(javafx.beans.binding.Bindings.isEmpty(saved))
                .then("none saved yet")
                .otherwise("pick a saved connection"));
    picker.setMaxWidth(Double.MAX_VALUE);
    picker.setCellFactory(view -> new ProfileCell());
    picker.setButtonCell(new ProfileCell());
    picker.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(saved));
    picker
        .valueProperty()
        .addListener(
            (obs, was, chosen) -> {
              if (chosen != null) {
                server.setText(chosen.server());
                token.setText(chosen.token());
              }
            });
    Button forget = new Button("Forget");
    forget.setId("forget-connection");
    forget.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the picker gives way, not it
    forget.disableProperty().bind(picker.valueProperty().isNull());
    forget.setOnAction(
        e -> {
          Profiles.Profile chosen = picker.getValue();
          picker.setValue(null);
          server.clear();
          token.clear();
          actions.forget(chosen);
        });
    HBox.setHgrow(picker, Priority.ALWAYS);
    if (!saved.isEmpty()) {
      picker.setValue(saved.get(0)); // the most recent one, as the driver left it
    }
    Button connect = new Button("Connect");
    connect.setId("connect");
    connect.setDefaultButton(false);
    connect.setOnAction(e -> actions.connect(server.getText(), token.getText()));
    VBox form =
        new VBox(
            6,
            new Label("Saved"),
            new HBox(6, picker, forget),
            new Label("Server"),
            server,
            new Label("Token"),
            token,
            connect);

    ListView<CarInfo> list = new ListView<>(cars);
    list.setPrefHeight(96); // a few cars; leaves room for the charts below
    list.setCellFactory(
        view ->
            new ListCell<>() {
              @Override
              protected void updateItem(CarInfo car, boolean empty) {
                super.updateItem(car, empty);
                setText(
                    empty || car == null
                        ? null
                        : car.name() + "  —  " + availability(car, drivingNow.get()));
              }
            });
    drivingNow.addListener((obs, was, now) -> list.refresh());
    Button drive = new Button("Drive");
    drive.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
    drive.setOnAction(e -> actions.drive(list.getSelectionModel().getSelectedItem().carId()));

    getChildren()
        .addAll(new TitledPane("Connect", form), new TitledPane("Cars", new VBox(6, list, drive)));
  }

  /** "wss://host:8443 · buggy": the server and the car last driven there, never the token. */
  private static final class ProfileCell extends ListCell<Profiles.Profile> {
    @Override
    protected void updateItem(Profiles.Profile profile, boolean empty) {
      super.updateItem(profile, empty);
      setText(
          empty || profile == null
              ? null
              : profile.server() + (profile.lastCar() == null ? "" : " · " + profile.lastCar()));
    }
  }

  static String availability(CarInfo car, String drivingNow) {
    if (!car.online()) {
      return "offline";
    }
    if (car.carId().equals(drivingNow)) {
      return "yours: you drive it";
    }
    return car.driven() ? "busy" : "free";
  }
}
