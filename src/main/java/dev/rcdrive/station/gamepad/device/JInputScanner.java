package dev.rcdrive.station.gamepad.device;

import java.lang.reflect.Constructor;
import java.util.List;
import net.java.games.input.Controller;
import net.java.games.input.ControllerEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans with a brand-new {@code DefaultControllerEnvironment} each time: JInput 2.0.10 has no
 * hot-plug, and its shared default environment never looks again after the first scan. The
 * constructor is package-private, hence reflection (PLATFORM.md, measured).
 */
public final class JInputScanner implements ControllerScanner {

  private static final Logger log = LoggerFactory.getLogger(JInputScanner.class);

  /**
   * JInput logs each scan at INFO through java.util.logging, straight to the console; a rescan
   * every 2 s would fill it. Held in a field: java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger JINPUT_LOG =
      java.util.logging.Logger.getLogger("net.java.games.input");

  static {
    if (!log.isDebugEnabled()) {
      JINPUT_LOG.setLevel(java.util.logging.Level.WARNING);
    }
  }

  private Constructor<? extends ControllerEnvironment> constructor;

  @Override
  public List<Controller> scan() {
    JInputNatives.prepare(); // before any JInput plugin class loads its library
    try {
      if (constructor == null) {
        Class<? extends ControllerEnvironment> type =
            Class.forName("net.java.games.input.DefaultControllerEnvironment")
                .asSubclass(ControllerEnvironment.class);
        constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
      }
      return List.of(constructor.newInstance().getControllers());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // A missing library or an unknown JInput: no controllers, said once per scan in the log.
      log.warn("JInput could not scan for controllers: {}", e.toString());
      return List.of();
    }
  }
}
