package dev.rcdrive.station.gamepad.device;

import java.util.List;
import net.java.games.input.Controller;

/**
 * One fresh look at the devices JInput can see. JInput caches its list for the life of an
 * environment, so each call must build a new one (see {@link JInputScanner}); tests hand in fake
 * {@link Controller}s instead.
 */
@FunctionalInterface
public interface ControllerScanner {
  List<Controller> scan();
}
