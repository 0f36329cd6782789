package dev.rcdrive.agent;

import dev.rcdrive.agent.telemetry.PiSensors;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link CarAgent} drives and reads: its actuator (outputs at neutral), camera, optional Pi
 * sensors, an optional output heartbeat (toggled by every control tick), and resources to release
 * after them (the hardware buses). Made by {@link CarAssembly} from the config, or by tests from
 * fakes. {@link #close} releases them in the safe order: the actuator first (neutral, then no
 * pulses), the buses last.
 */
public record CarParts(
    Actuator actuator,
    CameraSource camera,
    PiSensors sensors,
    Heartbeat heartbeat,
    List<AutoCloseable> resources)
    implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CarParts.class);

  /**
   * A line the control tick toggles while it runs: a board whose outputs are enabled only while the
   * line keeps changing stops pulsing by itself when the tick stops (README, the OE heartbeat).
   */
  public interface Heartbeat extends AutoCloseable {
    void toggle() throws Exception;

    /** Stops toggling for good (the outputs are disabled). */
    @Override
    void close();
  }

  public CarParts {
    resources = List.copyOf(resources);
  }

  /** An actuator and a camera, nothing else (tests, the simulator). */
  public CarParts(Actuator actuator, CameraSource camera) {
    this(actuator, camera, null, null, List.of());
  }

  @Override
  public void close() {
    List<AutoCloseable> order = new ArrayList<>();
    order.add(actuator);
    if (heartbeat != null) {
      order.add(heartbeat);
    }
    order.add(camera);
    if (sensors != null) {
      order.add(sensors);
    }
    order.addAll(resources);
    for (AutoCloseable part : order) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("closing {}: {}", part, e.toString());
      }
    }
  }
}
