package dev.rcdrive.station.gamepad.page;

import java.util.function.Supplier;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The controller page in a window of its own, made on first use: live axes, binding and calibration
 * need more room than the side panel. Opening it takes the focus from the driving window, which
 * disarms.
 */
public final class ControllerWindow {

  public static final String TITLE = "rcdrive · controller";

  private final Stage owner;
  private final Supplier<ControllerPageModel> model;
  private Stage window;

  /**
   * @param model makes the page's model when the window first opens
   */
  public ControllerWindow(Stage owner, Supplier<ControllerPageModel> model) {
    this.owner = owner;
    this.model = model;
  }

  public void show() {
    if (window == null) {
      window = new Stage();
      window.initOwner(owner);
      window.setTitle(TITLE);
      StackPane page = new StackPane(new ControllerPage(model.get()));
      page.getStyleClass().add("station"); // the main window's dark background
      Scene scene = new Scene(page, 960, 720);
      scene.getStylesheets().addAll(owner.getScene().getStylesheets());
      window.setScene(scene);
      window.getIcons().addAll(owner.getIcons());
    }
    window.show();
    window.toFront();
  }
}
