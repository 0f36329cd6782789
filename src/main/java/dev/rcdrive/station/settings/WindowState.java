package dev.rcdrive.station.settings;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcdrive.protocol.ConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the window was and how big, kept in the per-user config folder between runs. Read by {@link
 * ConfigReader} and written with Jackson's streaming generator: its data binding's first use, on
 * the FX thread as the window is built, cost tens of milliseconds of every start.
 */
public record WindowState(double x, double y, double width, double height, boolean maximized) {

  private static final Logger log = LoggerFactory.getLogger(WindowState.class);
  private static final JsonFactory JSON = new JsonFactory();

  /** Never placed: {@link #applyTo} then centres the window on the primary screen. */
  static final WindowState UNPLACED =
      new WindowState(Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);

  public static WindowState load() {
    return load(UserFolders.config().resolve("window.json"));
  }

  /** What {@code file} says; unknown keys are skipped, a bad file only costs the position. */
  static WindowState load(Path file) {
    if (!Files.exists(file)) {
      return UNPLACED;
    }
    List<String> problems = new ArrayList<>();
    try {
      WindowState saved =
          ConfigReader.readSkippingUnknown(Files.readString(file), WindowState.class, problems);
      if (saved != null) {
        return saved;
      }
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    log.warn("ignoring {}: {}", file, String.join("; ", problems));
    return UNPLACED;
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
    now.save(UserFolders.config().resolve("window.json"));
  }

  void save(Path file) {
    try {
      Files.createDirectories(file.getParent());
      try (JsonGenerator json = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
        json.writeStartObject();
        json.writeNumberField("x", x);
        json.writeNumberField("y", y);
        json.writeNumberField("width", width);
        json.writeNumberField("height", height);
        json.writeBooleanField("maximized", maximized);
        json.writeEndObject();
      }
    } catch (IOException e) {
      log.warn("cannot save the window position in {}: {}", file.getParent(), e.getMessage());
    }
  }
}
