package dev.rcdrive.station.gamepad.page;

import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The controller page in a window of its own, made on first use: live axes, binding and calibration
 * need more room than the side panel. Opening it takes the focus from the driving window, which
 * disarms. Esc or its Close button closes it (Esc is not an E-STOP here: the driving window's
 * focus, and with it the arm, is already gone).
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
      Button close = new Button("Close (Esc)");
      close.setId("pad-page-close");
      close.setOnAction(e -> window.hide());
      HBox bottom = new HBox(close);
      bottom.setAlignment(Pos.CENTER_RIGHT);
      bottom.setPadding(new Insets(8));
      BorderPane page = new BorderPane(new ControllerPage(model.get()));
      page.setBottom(bottom);
      page.getStyleClass().add("station"); // the main window's dark background
      Rectangle2D screen = Screen.getPrimary().getVisualBounds();
      Scene scene =
          new Scene(
              page,
              Math.min(960, screen.getWidth() * 0.9),
              Math.min(720, screen.getHeight() * 0.9));
      scene.addEventFilter(
          KeyEvent.KEY_PRESSED,
          e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
              window.hide();
              e.consume();
            }
          });
      scene.getStylesheets().addAll(owner.getScene().getStylesheets());
      window.setScene(scene);
      window.getIcons().addAll(owner.getIcons());
    }
    window.show();
    window.toFront();
  }
}
