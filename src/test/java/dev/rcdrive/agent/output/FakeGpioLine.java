package dev.rcdrive.agent.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A GPIO line that records its levels; it can be made to fail. */
final class FakeGpioLine implements GpioLine {
  final int bcm;
  final List<Boolean> levels = java.util.Collections.synchronizedList(new ArrayList<>());
  boolean high;
  boolean fail;
  volatile boolean closed;

  FakeGpioLine(int bcm) {
    this.bcm = bcm;
  }

  @Override
  public void set(boolean level) throws IOException {
    if (fail) {
      throw new IOException("GPIO" + bcm + " failed");
    }
    high = level;
    levels.add(level);
  }

  @Override
  public String describe() {
    return "GPIO" + bcm;
  }

  @Override
  public void close() {
    high = false;
    closed = true;
  }
}
