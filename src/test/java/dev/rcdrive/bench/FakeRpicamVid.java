package dev.rcdrive.bench;

import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.I420Image;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for {@code rpicam-vid --codec yuv420 -o -}: takes its {@code --width}, {@code
 * --height} and {@code --framerate}, ignores the rest, and writes I420 frames to stdout on a fixed
 * schedule until stdout closes. The pictures move and carry sensor-like noise, so the encoder works
 * about as hard as on a real camera; they are made up front (60 of them, cycled) so this process
 * costs little CPU of its own. Each frame carries a {@link FrameStamp} (its number and the time it
 * was written), so the station measures glass-to-glass and counts the frames it never got.
 */
public final class FakeRpicamVid {

  private FakeRpicamVid() {}

  public static void main(String[] args) throws IOException {
    int width = 640;
    int height = 480;
    int fps = 30;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--width" -> width = Integer.parseInt(args[i + 1]);
        case "--height" -> height = Integer.parseInt(args[i + 1]);
        case "--framerate" -> fps = Integer.parseInt(args[i + 1]);
        default -> {
          // other options are the real camera's business
        }
      }
    }
    byte[][] frames = new byte[60][];
    long seed = 0x9E3779B97F4A7C15L;
    for (int f = 0; f < frames.length; f++) {
      byte[] frame = new byte[width * height * 3 / 2];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          seed ^= seed << 13;
          seed ^= seed >>> 7;
          seed ^= seed << 17;
          int noise = (int) (seed & 7) - 4;
          int value = ((x + y + f * 8) / 4) % 200 + 28 + noise;
          frame[y * width + x] = (byte) value;
        }
      }
      for (int i = width * height; i < frame.length; i++) {
        frame[i] = (byte) (128 + ((i + f * 3) % 32) - 16);
      }
      frames[f] = frame;
    }
    I420Image stamp = new I420Image(width, height);
    OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
    long period = 1_000_000_000L / fps;
    long next = System.nanoTime();
    try {
      for (long n = 0; ; n++) {
        byte[] frame = frames[(int) (n % frames.length)];
        // Stamped as it leaves the camera: read by the station through any encoder on the way.
        new FrameStamp(n, FrameStamp.tenthsOfMillis(RenderedCamera.epochMicros())).writeInto(stamp);
        copyTopRows(stamp, frame);
        out.write(frame);
        out.flush();
        next += period;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else if (wait < -period) {
          // A sensor keeps its rate: the frames nobody read while the pipe was full are gone, not
          // sent later in a burst (which would queue up at the receiver as lasting delay).
          next = System.nanoTime();
        }
      }
    } catch (IOException e) {
      // the agent closed the pipe: done
    }
  }

  /** The stamp's rows (luma, and the chroma under it) from {@code image} into a packed frame. */
  private static void copyTopRows(I420Image image, byte[] frame) {
    int lumaSize = image.width() * image.height();
    int chromaSize = image.chromaWidth() * image.chromaHeight();
    int chromaRows = image.chromaWidth() * (FrameStamp.ROWS / 2);
    System.arraycopy(image.y(), 0, frame, 0, image.width() * FrameStamp.ROWS);
    System.arraycopy(image.u(), 0, frame, lumaSize, chromaRows);
    System.arraycopy(image.v(), 0, frame, lumaSize + chromaSize, chromaRows);
  }
}
