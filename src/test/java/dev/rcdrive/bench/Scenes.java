package dev.rcdrive.bench;

import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.sim.ArenaRenderer;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.sim.TestPattern;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What the benchmark camera shows. {@code arena}: the simulator's view (flat tiles and posts: the
 * encoder's easy case, QP near its minimum at megabit rates). {@code noisy}: the same view with
 * sensor-like noise on every pixel (±{@value #NOISE} luma, ±{@value #CHROMA_NOISE} chroma, a new
 * pattern each frame), which a real camera's picture is closer to: the encoder must spend its whole
 * budget, frames come out near the rate cap, and rate control has to work. {@code bars}: colour
 * bars with a moving bar.
 */
final class Scenes {
  static final List<String> NAMES = List.of("arena", "noisy", "bars");

  private static final int NOISE = 12;
  private static final int CHROMA_NOISE = 4;
  private static final int TABLE = 1 << 22;

  /** Pre-drawn noise: adding a slice of it at a random offset costs about a millisecond. */
  private static final byte[] LUMA_NOISE = table(NOISE, 1);

  private static final byte[] CHROMA = table(CHROMA_NOISE, 2);

  private Scenes() {}

  private static byte[] table(int amplitude, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] table = new byte[TABLE];
    for (int i = 0; i < table.length; i++) {
      table[i] = (byte) random.nextInt(-amplitude, amplitude + 1);
    }
    return table;
  }

  /**
   * A painter for the scene; {@code pose} gives the car's pose at each frame (the agent's model, or
   * a model the benchmark steps itself).
   */
  static RenderedCamera.Painter painter(
      String scene, double arenaHalfSize, Supplier<CarModel.Pose> pose) {
    if (scene.equals("bars")) {
      return TestPattern::render;
    }
    ArenaRenderer renderer = new ArenaRenderer(arenaHalfSize);
    if (scene.equals("arena")) {
      return (image, index) -> renderer.render(pose.get(), image);
    }
    SplittableRandom random = new SplittableRandom(7);
    return (image, index) -> {
      renderer.render(pose.get(), image);
      addNoise(image.y(), LUMA_NOISE, random.nextInt(TABLE - image.y().length));
      addNoise(image.u(), CHROMA, random.nextInt(TABLE - image.u().length));
      addNoise(image.v(), CHROMA, random.nextInt(TABLE - image.v().length));
    };
  }

  private static void addNoise(byte[] plane, byte[] noise, int offset) {
    for (int i = 0; i < plane.length; i++) {
      int value = (plane[i] & 0xFF) + noise[offset + i];
      plane[i] = (byte) (value < 16 ? 16 : Math.min(value, 235));
    }
  }
}
