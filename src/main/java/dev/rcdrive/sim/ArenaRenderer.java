package dev.rcdrive.sim;

import dev.rcdrive.protocol.I420Image;
import java.util.Arrays;

/**
 * Renders what a camera on the car's nose sees: sky, a checkered floor fading into haze, and
 * coloured posts as landmarks, straight into I420. Cheap enough for 1280x720 at 30 fps on one core:
 * each floor row is an affine walk through world coordinates.
 */
public final class ArenaRenderer {

  private static final double CAMERA_HEIGHT = 0.12;
  private static final double POST_RADIUS = 0.25;
  private static final double POST_HEIGHT = 1.4;
  private static final double HAZE_DISTANCE = 30;

  /** A post: position in metres and its colour in Y, U, V. */
  private record Post(double x, double y, int luma, int u, int v) {}

  private static final Post[] POSTS = {
    new Post(4, 0, 82, 90, 240), // red
    new Post(7, 5, 41, 240, 110), // blue
    new Post(-6, 6, 210, 16, 146), // yellow
    new Post(-7, -6, 145, 54, 34), // green
    new Post(3, -7, 107, 202, 222), // magenta
    new Post(0, 8, 170, 166, 16), // cyan
    new Post(8, -3, 230, 128, 128), // white
    new Post(-2, -2, 60, 128, 128), // dark
  };

  private final double arenaHalfSize;

  public ArenaRenderer(double arenaHalfSize) {
    this.arenaHalfSize = arenaHalfSize;
  }

  public void render(CarModel.Pose pose, I420Image image) {
    renderPlane(pose, image.y(), image.width(), image.height(), Plane.Y);
    renderPlane(pose, image.u(), image.chromaWidth(), image.chromaHeight(), Plane.U);
    renderPlane(pose, image.v(), image.chromaWidth(), image.chromaHeight(), Plane.V);
  }

  private enum Plane {
    Y(235, 150, 95, 120, 200),
    U(128, 122, 128, 128, 150),
    V(128, 118, 130, 128, 108);

    final int lightTile;
    final int darkTile;
    final int outside;
    final int haze;
    final int sky;

    Plane(int lightTile, int darkTile, int outside, int haze, int sky) {
      this.lightTile = lightTile;
      this.darkTile = darkTile;
      this.outside = outside;
      this.haze = haze;
      this.sky = sky;
    }

    int of(Post post) {
      return this == Y ? post.luma() : this == U ? post.u() : post.v();
    }
  }

  private void renderPlane(CarModel.Pose pose, byte[] plane, int width, int height, Plane kind) {
    double focal = width / 2.0; // 90 degree horizontal field of view
    double cx = width / 2.0;
    double horizon = height * 0.38;
    double fx = Math.cos(pose.heading());
    double fy = Math.sin(pose.heading());
    double rx = Math.sin(pose.heading()); // right of the heading
    double ry = -Math.cos(pose.heading());
    int horizonRow = (int) Math.ceil(horizon);
    for (int row = 0; row < Math.min(horizonRow, height); row++) {
      int shade = kind == Plane.Y ? kind.sky + (int) (25.0 * row / horizon) : kind.sky;
      Arrays.fill(plane, row * width, (row + 1) * width, (byte) shade);
    }
    for (int row = Math.max(horizonRow, 0); row < height; row++) {
      double below = row + 0.5 - horizon;
      double distance = CAMERA_HEIGHT * focal / below;
      double haze = Math.min(1, distance / HAZE_DISTANCE);
      double lateralStep = distance / focal;
      double wx = pose.x() + distance * fx + (0 - cx) * lateralStep * rx;
      double wy = pose.y() + distance * fy + (0 - cx) * lateralStep * ry;
      double dx = lateralStep * rx;
      double dy = lateralStep * ry;
      int light = blend(kind.lightTile, kind.haze, haze);
      int dark = blend(kind.darkTile, kind.haze, haze);
      int outside = blend(kind.outside, kind.haze, haze);
      int offset = row * width;
      for (int col = 0; col < width; col++) {
        int value;
        if (Math.abs(wx) > arenaHalfSize || Math.abs(wy) > arenaHalfSize) {
          value = outside;
        } else {
          // +1000 keeps the casts flooring; 1 m tiles
          value = ((((int) (wx + 1000)) + ((int) (wy + 1000))) & 1) == 0 ? light : dark;
        }
        plane[offset + col] = (byte) value;
        wx += dx;
        wy += dy;
      }
    }
    drawPosts(pose, plane, width, height, kind, focal, cx, horizon, fx, fy, rx, ry);
  }

  private void drawPosts(
      CarModel.Pose pose,
      byte[] plane,
      int width,
      int height,
      Plane kind,
      double focal,
      double cx,
      double horizon,
      double fx,
      double fy,
      double rx,
      double ry) {
    Post[] sorted = POSTS.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(depth(pose, b, fx, fy), depth(pose, a, fx, fy)));
    for (Post post : sorted) {
      double depth = depth(pose, post, fx, fy);
      if (depth < 0.3) {
        continue;
      }
      double lateral = (post.x() - pose.x()) * rx + (post.y() - pose.y()) * ry;
      int centre = (int) (cx + focal * lateral / depth);
      int half = Math.max(1, (int) (focal * POST_RADIUS / depth));
      int bottom = (int) (horizon + focal * CAMERA_HEIGHT / depth);
      int top = (int) (horizon - focal * (POST_HEIGHT - CAMERA_HEIGHT) / depth);
      int left = Math.max(0, centre - half);
      int right = Math.min(width, centre + half);
      if (left >= right) {
        continue;
      }
      int value = blend(kind.of(post), kind.haze, Math.min(1, depth / HAZE_DISTANCE));
      for (int row = Math.max(0, top); row < Math.min(height, bottom); row++) {
        Arrays.fill(plane, row * width + left, row * width + right, (byte) value);
      }
    }
  }

  private static double depth(CarModel.Pose pose, Post post, double fx, double fy) {
    return (post.x() - pose.x()) * fx + (post.y() - pose.y()) * fy;
  }

  private static int blend(int near, int far, double amount) {
    return (int) Math.round(near + (far - near) * amount);
  }
}
