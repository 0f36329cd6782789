package dev.rcdrive.protocol;

/**
 * A video frame in I420 (YUV 4:2:0, the encoders' native format): a full-size luma plane and two
 * half-size chroma planes, tightly packed. Mutable and reused by whoever renders into it; the
 * WebRTC layer copies it out when it is pushed.
 */
public final class I420Image {
  private final int width;
  private final int height;
  private final byte[] y;
  private final byte[] u;
  private final byte[] v;

  public I420Image(int width, int height) {
    if (width < 64 || height < 16 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException(
          "frame size must be even and at least 64x16, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.y = new byte[width * height];
    this.u = new byte[chromaWidth() * chromaHeight()];
    this.v = new byte[chromaWidth() * chromaHeight()];
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int chromaWidth() {
    return width / 2;
  }

  public int chromaHeight() {
    return height / 2;
  }

  /** Luma, row by row, stride = width. */
  public byte[] y() {
    return y;
  }

  /** Blue-difference chroma, stride = width / 2. */
  public byte[] u() {
    return u;
  }

  /** Red-difference chroma, stride = width / 2. */
  public byte[] v() {
    return v;
  }
}
