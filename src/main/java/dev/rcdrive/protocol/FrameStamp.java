package dev.rcdrive.protocol;

/**
 * A frame counter and capture time written into the picture itself, so a receiver can tell which
 * frame it shows and how old it is, through any encoder, decoder and scaler.
 *
 * <p>Layout: 64 blocks side by side across the top 16 rows (one macroblock row), each black (Y=16)
 * for 0 or white (Y=235) for 1, most significant bit first: 24 bits counter, 32 bits capture time
 * in 100 µs units of the wall clock (modulo 2^32, about 5 days), 8 bits checksum. Large flat blocks
 * survive lossy compression; the checksum rejects a misread.
 */
public record FrameStamp(long counter, long captureTenthsOfMillis) {

  public static final int BITS = 64;
  public static final int ROWS = 16;
  private static final int BLACK = 16;
  private static final int WHITE = 235;
  private static final long COUNTER_MASK = (1L << 24) - 1;
  private static final long TIME_MASK = (1L << 32) - 1;

  public FrameStamp {
    counter &= COUNTER_MASK;
    captureTenthsOfMillis &= TIME_MASK;
  }

  /** The wall clock in the stamp's unit: epoch microseconds / 100, modulo 2^32. */
  public static long tenthsOfMillis(long epochMicros) {
    return (epochMicros / 100) & TIME_MASK;
  }

  /** Milliseconds from this frame's capture to {@code nowEpochMicros} (same wall clock). */
  public double ageMillis(long nowEpochMicros) {
    long delta = (tenthsOfMillis(nowEpochMicros) - captureTenthsOfMillis) & TIME_MASK;
    if (delta > TIME_MASK / 2) {
      delta -= TIME_MASK + 1; // the sender's clock is ahead of ours: report it as negative
    }
    return delta / 10.0;
  }

  private long bits() {
    long payload = (counter << 32) | captureTenthsOfMillis; // 56 bits
    return (payload << 8) | checksum(payload);
  }

  private static long checksum(long payload) {
    long sum = 0x5A;
    for (int shift = 0; shift < 56; shift += 8) {
      sum = (sum * 31 + ((payload >>> shift) & 0xFF)) & 0xFF;
    }
    return sum;
  }

  /** Writes the stamp into the top rows of the image, neutral chroma under the blocks. */
  public void writeInto(I420Image image) {
    int width = image.width();
    int blockWidth = width / BITS;
    byte[] y = image.y();
    long bits = bits();
    for (int bit = 0; bit < BITS; bit++) {
      byte value = (byte) (((bits >>> (BITS - 1 - bit)) & 1) == 1 ? WHITE : BLACK);
      int x0 = bit * blockWidth;
      for (int row = 0; row < ROWS; row++) {
        java.util.Arrays.fill(y, row * width + x0, row * width + x0 + blockWidth, value);
      }
    }
    int chromaWidth = image.chromaWidth();
    int stampChromaWidth = (blockWidth * BITS) / 2;
    for (int row = 0; row < ROWS / 2; row++) {
      java.util.Arrays.fill(
          image.u(), row * chromaWidth, row * chromaWidth + stampChromaWidth, (byte) 128);
      java.util.Arrays.fill(
          image.v(), row * chromaWidth, row * chromaWidth + stampChromaWidth, (byte) 128);
    }
  }

  /** Reads luma at (x, y) of a decoded picture; lets the reader stay free of any video API. */
  @FunctionalInterface
  public interface LumaReader {
    int luma(int x, int y);
  }

  /**
   * Reads a stamp from a picture of the given size, or returns null when there is none (or it was
   * misread: wrong checksum).
   */
  public static FrameStamp read(int width, int height, LumaReader luma) {
    int blockWidth = width / BITS;
    if (blockWidth < 2 || height < ROWS) {
      return null;
    }
    long bits = 0;
    for (int bit = 0; bit < BITS; bit++) {
      int cx = bit * blockWidth + blockWidth / 2;
      int sum = 0;
      int samples = 0;
      for (int dy = -2; dy <= 2; dy += 2) {
        for (int dx = -(blockWidth / 4); dx <= blockWidth / 4; dx += Math.max(1, blockWidth / 4)) {
          sum += luma.luma(cx + dx, ROWS / 2 + dy);
          samples++;
        }
      }
      bits = (bits << 1) | (sum / samples > (BLACK + WHITE) / 2 ? 1 : 0);
    }
    long payload = bits >>> 8;
    if ((bits & 0xFF) != checksum(payload)) {
      return null;
    }
    return new FrameStamp(payload >>> 32, payload & TIME_MASK);
  }
}
