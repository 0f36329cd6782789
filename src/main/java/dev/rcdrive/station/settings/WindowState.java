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
    return new WindowState(Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
  }

  /**
   * Puts the window where it was, sized to fit the screen it is on and wholly on it; the first time
   * (or when that screen is gone) at {@link #FIRST_SHARE} of the primary screen, centred. Never
   * relies on a window manager to place it: without one JavaFX may put it off the top.
   */
  public void applyTo(Stage stage) {
    Rectangle2D screen =
        Double.isNaN(x)
            ? Screen.getPrimary().getVisualBounds()
            : Screen.getScreens().stream()
                .map(Screen::getVisualBounds)
                .filter(bounds -> bounds.contains(x + 40, y + 40))
                .findFirst()
                .orElse(null);
    WindowState fitted =
        screen == null ? fresh(Screen.getPrimary().getVisualBounds()) : fit(screen);
    stage.setMinWidth(Math.min(stage.getMinWidth(), fitted.width)); // a screen smaller than it
    stage.setMinHeight(Math.min(stage.getMinHeight(), fitted.height));
    stage.setWidth(fitted.width);
    stage.setHeight(fitted.height);
    stage.setX(fitted.x);
    stage.setY(fitted.y);
    stage.setMaximized(maximized);
  }

  /** A first window takes this share of the screen (a window manager's frame still fits). */
  static final double FIRST_SHARE = 0.9;

  /** The first window on a screen: {@link #FIRST_SHARE} of it, at most 1600×1000, centred. */
  static WindowState fresh(Rectangle2D screen) {
    double w = Math.min(1600, Math.floor(screen.getWidth() * FIRST_SHARE));
    double h = Math.min(1000, Math.floor(screen.getHeight() * FIRST_SHARE));
    return new WindowState(
        screen.getMinX() + Math.floor((screen.getWidth() - w) / 2),
        screen.getMinY() + Math.floor((screen.getHeight() - h) / 2),
        w,
        h,
        false);
  }

  /** This window, shrunk to fit {@code screen} and moved wholly onto it; fresh if never placed. */
  WindowState fit(Rectangle2D screen) {
    if (Double.isNaN(x) || Double.isNaN(y) || !(width > 0) || !(height > 0)) {
      return fresh(screen);
    }
    double w = Math.min(width, screen.getWidth());
    double h = Math.min(height, screen.getHeight());
    double left = Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - w));
    double top = Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - h));
    return new WindowState(left, top, w, h, maximized);
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
