package dev.rcdrive.station.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.SignalMessage.CarInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** Picking and forgetting saved connections in a real (headless, Monocle) window. */
@Tag("ui")
class ConnectPanelUiTest extends FxRobot {

  @TempDir Path config;

  private final List<String> connected = new CopyOnWriteArrayList<>();
  private final ObservableList<Profiles.Profile> saved = FXCollections.observableArrayList();
  private Profiles profiles;
  private final javafx.beans.property.SimpleStringProperty drivingNow =
      new javafx.beans.property.SimpleStringProperty("");

  private final Profiles.Profile home =
      new Profiles.Profile("wss://home.example:8443", "t-home", "buggy");
  private final Profiles.Profile club =
      new Profiles.Profile("wss://club.example:8443", "t-club", null);

  private void show() throws Exception {
    profiles = Profiles.load(config);
    profiles.remember(club);
    profiles.remember(home); // newest first: home
    saved.setAll(profiles.all());
    ConnectPanel.Actions actions =
        new ConnectPanel.Actions() {
          @Override
          public void connect(String serverUrl, String token) {
            connected.add(serverUrl + " " + token);
          }

          @Override
          public void drive(String carId) {}

          @Override
          public void forget(Profiles.Profile profile) {
            profiles.forget(profile);
            saved.setAll(profiles.all());
          }
        };
    ObservableList<CarInfo> cars =
        FXCollections.observableArrayList(
            new CarInfo("buggy", "Red buggy", true, true),
            new CarInfo("truck", "Blue truck", true, true),
            new CarInfo("van", "Old van", false, false));
    FxToolkit.registerPrimaryStage();
    FxToolkit.setupStage(
        stage -> {
          stage.setScene(new Scene(new ConnectPanel(cars, saved, drivingNow, actions), 360, 560));
          stage.show();
        });
  }

  @AfterEach
  void close() throws Exception {
    FxToolkit.cleanupStages();
  }

  private String server() {
    return lookup("#server").queryAs(TextField.class).getText();
  }

  private String token() {
    return lookup("#token").queryAs(PasswordField.class).getText();
  }

  @SuppressWarnings("unchecked")
  private ComboBox<Profiles.Profile> picker() {
    return lookup("#saved-connections").queryAs(ComboBox.class);
  }

  @Test
  void theMostRecentConnectionIsFilledInAndAnotherCanBePicked() throws Exception {
    show();
    assertThat(server()).isEqualTo("wss://home.example:8443");
    assertThat(token()).isEqualTo("t-home");

    clickOn("#saved-connections");
    clickOn("wss://club.example:8443");
    clickOn("#connect");

    assertThat(server()).isEqualTo("wss://club.example:8443");
    assertThat(connected).containsExactly("wss://club.example:8443 t-club");
  }

  @Test
  void forgettingAConnectionRemovesItsTokenFromTheFormAndTheFile() throws Exception {
    show();

    clickOn("#forget-connection");

    assertThat(server()).isEmpty();
    assertThat(token()).isEmpty();
    assertThat(picker().getItems()).containsExactly(club);
    assertThat(Profiles.load(config).all()).containsExactly(club);
    assertThat(lookup("#forget-connection").queryAs(Button.class).isDisabled())
        .as("nothing picked: nothing to forget")
        .isTrue();
  }

  @Test
  void theCarThisStationDrivesIsYoursNotBusy() throws Exception {
    show();
    interact(() -> drivingNow.set("buggy"));

    assertThat(lookup(".list-cell").queryAll())
        .extracting(n -> ((javafx.scene.control.Labeled) n).getText())
        .contains(
            "Red buggy  —  yours: you drive it", "Blue truck  —  busy", "Old van  —  offline");
  }

  @Test
  void withNothingSavedThePickerSaysSoAndIsOff() throws Exception {
    show();
    interact(() -> saved.clear());

    assertThat(picker().isDisabled()).isTrue();
    assertThat(picker().getPromptText()).isEqualTo("none saved yet");
  }
}
