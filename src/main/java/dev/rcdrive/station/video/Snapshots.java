package dev.rcdrive.station.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javax.imageio.ImageIO;

/**
 * Snapshots of the video as PNG files. The FX thread only copies the visible pixels out in one bulk
 * read ({@link #capture}); encoding and writing the file ({@link #write}) happen on another thread,
 * so a snapshot never stalls the video.
 */
public final class Snapshots {

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("'rcdrive-'yyyyMMdd-HHmmss-SSS'.png'");

  /** The visible pixels of a frame: ARGB, row by row. */
  public record Picture(int width, int height, int[] argb) {}

  private Snapshots() {}

  /**
   * FX thread: the part of {@code image} inside {@code viewport} (the whole image when null), which
   * leaves out the rows that carry the camera's frame stamp.
   */
  public static Picture capture(Image image, Rectangle2D viewport) {
    int x = 0;
    int y = 0;
    int width = (int) image.getWidth();
    int height = (int) image.getHeight();
    if (viewport != null) {
      x = (int) viewport.getMinX();
      y = (int) viewport.getMinY();
      width = Math.min(width - x, (int) viewport.getWidth());
      height = Math.min(height - y, (int) viewport.getHeight());
    }
    int[] argb = new int[width * height];
    image
        .getPixelReader()
        .getPixels(x, y, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
    return new Picture(width, height, argb);
  }

  /** Any thread: writes the picture as a PNG named by {@code now} into {@code folder}. */
  public static Path write(Picture picture, Path folder, LocalDateTime now) throws IOException {
    BufferedImage out =
        new BufferedImage(picture.width(), picture.height(), BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, picture.width(), picture.height(), picture.argb(), 0, picture.width());
    Files.createDirectories(folder);
    Path file = folder.resolve(NAME.format(now));
    if (!ImageIO.write(out, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java runtime");
    }
    return file;
  }

  /** Where snapshots go: {@code -Drcdrive.snapshotDir}, else ~/Pictures, else the home folder. */
  public static Path folder() {
    String configured = System.getProperty("rcdrive.snapshotDir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path pictures = Path.of(System.getProperty("user.home"), "Pictures");
    return Files.isDirectory(pictures) ? pictures : Path.of(System.getProperty("user.home"));
  }
}
