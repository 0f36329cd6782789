package dev.rcdrive.station.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the window was and how big, kept in the per-user config folder between runs. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowState(double x, double y, double width, double height, boolean maximized) {

  private static final Logger log = LoggerFactory.getLogger(WindowState.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static WindowState load() {
    Path file = UserFolders.config().resolve("window.json");
    try {
      if (Files.exists(file)) {
        return JSON.readValue(file.toFile(), WindowState.class);
      }
    } catch (IOException e) {
      log.warn("ignoring {}: {}", file, e.getMessage()); // a bad file only costs the position
    }
    return new WindowState(Double.NaN, Double.NaN, 1280, 800, false);
  }

  public void applyTo(Stage stage) {
    stage.setWidth(Math.max(stage.getMinWidth(), width));
    stage.setHeight(Math.max(stage.getMinHeight(), height));
    boolean onScreen =
        !Double.isNaN(x)
            && Screen.getScreens().stream()
                .map(Screen::getVisualBounds)
                .anyMatch((Rectangle2D bounds) -> bounds.contains(x + 40, y + 40));
    if (onScreen) {
      stage.setX(x);
      stage.setY(y);
    } else {
      stage.centerOnScreen();
    }
    stage.setMaximized(maximized);
  }

  public void saveFrom(Stage stage) {
    if (stage == null) {
      return;
    }
    WindowState now =
        new WindowState(
            stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
    Path dir = UserFolders.config();
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve("window.json").toFile(), now);
    } catch (IOException e) {
      log.warn("cannot save the window position in {}: {}", dir, e.getMessage());
    }
  }
}
