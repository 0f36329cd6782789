package dev.rcdrive.sim;

import dev.rcdrive.protocol.I420Image;
import java.util.Arrays;

/** Colour bars with a bar sweeping across, for checking a video path without the simulator. */
public final class TestPattern {
  private static final int[][] BARS = {
    {235, 128, 128}, {210, 16, 146}, {170, 166, 16}, {145, 54, 34},
    {107, 202, 222}, {82, 90, 240}, {41, 240, 110}, {16, 128, 128}
  };

  private TestPattern() {}

  public static void render(I420Image image, long frameIndex) {
    int width = image.width();
    int chromaWidth = image.chromaWidth();
    int sweep = (int) (frameIndex * 8 % width);
    for (int row = 0; row < image.height(); row++) {
      for (int bar = 0; bar < BARS.length; bar++) {
        int from = bar * width / BARS.length;
        int to = (bar + 1) * width / BARS.length;
        Arrays.fill(image.y(), row * width + from, row * width + to, (byte) BARS[bar][0]);
      }
      int sweepTo = Math.min(width, sweep + 16);
      Arrays.fill(image.y(), row * width + sweep, row * width + sweepTo, (byte) 128);
    }
    for (int row = 0; row < image.chromaHeight(); row++) {
      for (int bar = 0; bar < BARS.length; bar++) {
        int from = bar * chromaWidth / BARS.length;
        int to = (bar + 1) * chromaWidth / BARS.length;
        Arrays.fill(
            image.u(), row * chromaWidth + from, row * chromaWidth + to, (byte) BARS[bar][1]);
        Arrays.fill(
            image.v(), row * chromaWidth + from, row * chromaWidth + to, (byte) BARS[bar][2]);
      }
    }
  }
}
