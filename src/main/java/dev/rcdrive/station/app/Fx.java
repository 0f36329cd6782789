package dev.rcdrive.station.app;

import javafx.application.Platform;

/** The one way onto the FX thread (STYLE.md): callbacks from other threads go through here. */
public final class Fx {
  private Fx() {}

  public static void run(Runnable task) {
    if (Platform.isFxApplicationThread()) {
      task.run();
    } else {
      Platform.runLater(task);
    }
  }

  /** For loops that must never run on the FX thread (they would freeze the window). */
  public static void requireNotFxThread(String what) {
    if (Platform.isFxApplicationThread()) {
      throw new IllegalStateException(what + " must not run on the FX thread");
    }
  }
}
