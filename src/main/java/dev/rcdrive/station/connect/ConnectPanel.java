package dev.rcdrive.station.connect;

import dev.rcdrive.protocol.SignalMessage.CarInfo;
import javafx.collections.ObservableList;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;

/**
 * The side panel's way to a car: a server and a driver token (prefilled from the last saved
 * connection), the server's cars live (free, busy, offline), and Drive. It decides nothing: what
 * the buttons mean is the station's {@link Actions}.
 */
public final class ConnectPanel extends VBox {

  /** What the buttons do. */
  public interface Actions {
    void connect(String serverUrl, String token);

    void drive(String carId);
  }

  /**
   * @param cars the server's cars, kept current by the station
   * @param last the most recent saved connection, or null
   */
  public ConnectPanel(ObservableList<CarInfo> cars, Profiles.Profile last, Actions actions) {
    super(8);
    TextField server = new TextField();
    server.setPromptText("wss://signal.example.org:8443");
    PasswordField token = new PasswordField();
    token.setPromptText("driver token");
    if (last != null) {
      server.setText(last.server());
      token.setText(last.token());
    }
    Button connect = new Button("Connect");
    connect.setDefaultButton(false);
    connect.setOnAction(e -> actions.connect(server.getText(), token.getText()));
    VBox form = new VBox(6, new Label("Server"), server, new Label("Token"), token, connect);

    ListView<CarInfo> list = new ListView<>(cars);
    list.setPrefHeight(96); // a few cars; leaves room for the charts below
    list.setCellFactory(
        view ->
            new ListCell<>() {
              @Override
              protected void updateItem(CarInfo car, boolean empty) {
                super.updateItem(car, empty);
                setText(empty || car == null ? null : car.name() + "  —  " + availability(car));
              }
            });
    Button drive = new Button("Drive");
    drive.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
    drive.setOnAction(e -> actions.drive(list.getSelectionModel().getSelectedItem().carId()));

    getChildren()
        .addAll(new TitledPane("Connect", form), new TitledPane("Cars", new VBox(6, list, drive)));
  }

  private static String availability(CarInfo car) {
    return !car.online() ? "offline" : car.driven() ? "busy" : "free";
  }
}
