package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FrameStampTest {

  @Property(tries = 300)
  void stampReadsBackFromThePicture(
      @ForAll @LongRange(min = 0, max = (1L << 24) - 1) long counter,
      @ForAll @LongRange(min = 0, max = (1L << 32) - 1) long time,
      @ForAll @IntRange(min = 0, max = 2) int size) {
    int[][] sizes = {{320, 180}, {640, 360}, {1280, 720}};
    I420Image image = new I420Image(sizes[size][0], sizes[size][1]);
    FrameStamp stamp = new FrameStamp(counter, time);

    stamp.writeInto(image);

    assertThat(
            FrameStamp.read(
                image.width(), image.height(), (x, y) -> image.y()[y * image.width() + x] & 0xFF))
        .isEqualTo(stamp);
  }

  @Test
  void survivesCodecLikeNoise() {
    I420Image image = new I420Image(640, 360);
    FrameStamp stamp = new FrameStamp(123_456, 987_654_321L);
    stamp.writeInto(image);
    java.util.Random random = new java.util.Random(7);

    FrameStamp read =
        FrameStamp.read(
            640,
            360,
            (x, y) ->
                Math.max(
                    0, Math.min(255, (image.y()[y * 640 + x] & 0xFF) + random.nextInt(61) - 30)));

    assertThat(read).isEqualTo(stamp);
  }

  @Test
  void pictureWithoutAStampReadsAsNone() {
    I420Image image = new I420Image(640, 360);
    java.util.Arrays.fill(image.y(), (byte) 90);

    assertThat(FrameStamp.read(640, 360, (x, y) -> image.y()[y * 640 + x] & 0xFF)).isNull();
  }

  @Test
  void flippedBitIsCaughtByTheChecksum() {
    I420Image image = new I420Image(640, 360);
    new FrameStamp(5, 6).writeInto(image);
    int blockWidth = 640 / FrameStamp.BITS;
    for (int row = 0; row < FrameStamp.ROWS; row++) {
      for (int x = 3 * blockWidth; x < 4 * blockWidth; x++) {
        image.y()[row * 640 + x] = (byte) (255 - (image.y()[row * 640 + x] & 0xFF));
      }
    }

    assertThat(FrameStamp.read(640, 360, (x, y) -> image.y()[y * 640 + x] & 0xFF)).isNull();
  }

  @Test
  void ageIsMeasuredAcrossTheWrap() {
    long now = 1_000_000_000_000L; // epoch µs
    FrameStamp stamp = new FrameStamp(1, FrameStamp.tenthsOfMillis(now - 42_300));

    assertThat(stamp.ageMillis(now)).isEqualTo(42.3);
    FrameStamp wrapped = new FrameStamp(1, (1L << 32) - 5);
    assertThat(wrapped.ageMillis(300)).isEqualTo(0.8); // 5 units before the wrap + 3 after
  }
}
