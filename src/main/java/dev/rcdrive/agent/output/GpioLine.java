package dev.rcdrive.agent.output;

import java.io.IOException;

/** One GPIO output line (an H-bridge direction input). Starts low. */
public interface GpioLine extends AutoCloseable {

  void set(boolean high) throws IOException;

  /** e.g. "GPIO23". */
  String describe();

  /** Drives the line low and releases it. */
  @Override
  void close();
}
