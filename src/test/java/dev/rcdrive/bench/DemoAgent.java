package dev.rcdrive.bench;

import java.util.List;

/** The command line of an agent that joins {@code signal --demo} as its car "demo". */
final class DemoAgent {

  private DemoAgent() {}

  /** {@code agent --server SERVER --car demo --key demo-key --size SIZE}. */
  static List<String> args(String server, String size) {
    return List.of(
        "agent", "--server", server, "--car", "demo", "--key", "demo-key", "--size", size);
  }
}
