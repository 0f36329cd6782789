package dev.rcdrive.station.gamepad;

import static org.awaitility.Awaitility.await;

import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import net.java.games.input.Controller;

/**
 * The real {@link JInputGamepads} poll thread over fake controllers, a {@link GamepadInput} on it,
 * and everything they say recorded.
 */
public final class Rig implements AutoCloseable {

  /** What "plugged in" means for the scanner: tests add and remove pads here. */
  public final List<Controller> plugged = new CopyOnWriteArrayList<>();

  public final List<DriveIntent> intents = new CopyOnWriteArrayList<>();
  public final List<PadAction> actions = new CopyOnWriteArrayList<>();
  public final List<GamepadInput.Status> statuses = new CopyOnWriteArrayList<>();
  public final JInputGamepads gamepads;
  public final GamepadInput input;

  public Rig(MappingStore store, Controller... pads) {
    plugged.addAll(List.of(pads));
    gamepads =
        new JInputGamepads(() -> List.copyOf(plugged), new JInputGamepads.Options(250, 100), null);
    input = new GamepadInput(gamepads, store);
    input.connect(intents::add);
    input.setListener(
        new GamepadInput.Listener() {
          @Override
          public void onAction(PadAction action) {
            actions.add(action);
          }

          @Override
          public void onStatus(GamepadInput.Status status) {
            statuses.add(status);
          }
        });
  }

  public Rig(Controller... pads) {
    this(null, pads);
  }

  /** Waits until the newest intent matches. */
  public DriveIntent awaitIntent(Predicate<DriveIntent> wanted) {
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !intents.isEmpty() && wanted.test(intents.get(intents.size() - 1)));
    return intents.get(intents.size() - 1);
  }

  public void awaitConnected() {
    await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(3)).until(input::active);
  }

  /** What the station does: disarm (clears the re-arm latch), then arm. */
  public void armLikeTheStation() {
    input.poll(0, false, false);
    input.poll(0, true, false);
  }

  @Override
  public void close() {
    input.close();
    gamepads.close();
  }
}
