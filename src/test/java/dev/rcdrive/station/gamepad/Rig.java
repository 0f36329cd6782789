package dev.rcdrive.station.gamepad;

import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.drive.DriveState;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import net.java.games.input.Controller;

/**
 * The real {@link JInputGamepads} poll thread over fake controllers, a {@link GamepadInput} on it
 * wired to a {@link DriveController} as the station wires it, and a {@link ControlLoop} whose
 * heartbeat is an hour away: every frame recorded after the first comes from a change.
 */
public final class Rig implements AutoCloseable {

  /** What "plugged in" means for the scanner: tests add and remove pads here. */
  public final List<Controller> plugged = new CopyOnWriteArrayList<>();

  public final List<PadAction> actions = new CopyOnWriteArrayList<>();
  public final List<GamepadInput.Status> statuses = new CopyOnWriteArrayList<>();
  public final List<ControlFrame> frames = new CopyOnWriteArrayList<>();

  /** The name of the thread each frame was sent on, in the order of {@link #frames}. */
  public final List<String> senders = new CopyOnWriteArrayList<>();

  public final JInputGamepads gamepads;
  public final GamepadInput input;
  public final DriveController drive =
      new DriveController(
          System::nanoTime,
          (source, channel) -> ControlLoop.start(source, channel, 3_600_000, true));

  public Rig(MappingStore store, Controller... pads) {
    plugged.addAll(List.of(pads));
    gamepads =
        new JInputGamepads(() -> List.copyOf(plugged), new JInputGamepads.Options(250, 100), null);
    input =
        new GamepadInput(
            gamepads,
            store,
            GamepadInput.driving(
                drive,
                new GamepadInput.Listener() {
                  @Override
                  public void onStatus(GamepadInput.Status status) {
                    statuses.add(status);
                  }

                  @Override
                  public void onAction(PadAction action) {
                    actions.add(action);
                  }
                }));
    drive.attach(this::record);
  }

  public Rig(Controller... pads) {
    this(null, pads);
  }

  private synchronized boolean record(byte[] bytes) {
    frames.add(ControlFrame.decode(bytes).orElseThrow());
    senders.add(Thread.currentThread().getName());
    return true;
  }

  public ControlFrame lastFrame() {
    return frames.isEmpty() ? null : frames.get(frames.size() - 1);
  }

  /** Waits until the newest frame matches. */
  public ControlFrame awaitFrame(Predicate<ControlFrame> wanted) {
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> lastFrame() != null && wanted.test(lastFrame()));
    return lastFrame();
  }

  /** Waits until the input's newest axes match. */
  public Axes awaitAxes(Predicate<Axes> wanted) {
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> wanted.test(input.axes()));
    return input.axes();
  }

  /** Waits until the controller's state matches. */
  public DriveState awaitState(Predicate<DriveState> wanted) {
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> wanted.test(drive.state()));
    return drive.state();
  }

  public void awaitConnected() {
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> input.active() && drive.state().input() == DriveState.Input.CONTROLLER);
  }

  /** What the driver does with Enter: arm (the station is disarmed when this is called). */
  public void arm() {
    if (!drive.state().armRequested()) {
      drive.toggleArm();
    }
  }

  @Override
  public void close() {
    drive.close();
    input.close();
    gamepads.close();
  }
}
