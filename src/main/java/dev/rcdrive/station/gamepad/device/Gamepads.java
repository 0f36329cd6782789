package dev.rcdrive.station.gamepad.device;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The game controllers attached to this computer, behind an interface so nothing else touches
 * JInput (and tests can stand in for the hardware). One controller is active at a time; it is
 * polled on the implementation's own thread and every poll is published as an immutable {@link
 * PadSnapshot}.
 */
public interface Gamepads extends AutoCloseable {

  /** The controllers of the last scan (keyboards and mice are never among them). */
  List<PadInfo> pads();

  /** The newest poll of the active controller, or {@link PadSnapshot#NONE}. */
  PadSnapshot latest();

  /** Makes the controller with this key the active one (it is remembered across unplugs). */
  void select(String key);

  /** Scans again now (the Rescan button); completes with what was found. */
  CompletableFuture<List<PadInfo>> rescan();

  /** Why no controller can be seen and how to fix it (Linux permissions), or null. */
  String diagnostic();

  /** Called on the poll thread with every snapshot; must not block. */
  void addListener(Consumer<PadSnapshot> listener);

  void removeListener(Consumer<PadSnapshot> listener);

  @Override
  void close();
}
