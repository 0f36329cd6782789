/**
 * Game controllers as a driving input.
 *
 * <ul>
 *   <li>{@code device/}: JInput behind {@link dev.rcdrive.station.gamepad.device.Gamepads} — its
 *       own {@code gamepad-poll} thread scans, polls the active controller at 250 Hz and publishes
 *       immutable {@link dev.rcdrive.station.gamepad.device.PadSnapshot}s; nothing else touches
 *       JInput.
 *   <li>{@code mapping/}: what each control does — {@link
 *       dev.rcdrive.station.gamepad.mapping.PadMapping}s, the built-in profiles (data, in {@code
 *       /station/gamepad-profiles.json}), the per-user store, binding and calibration.
 *   <li>{@code page/}: the controller page (JavaFX).
 *   <li>{@link dev.rcdrive.station.gamepad.GamepadInput}: a snapshot through its mapping becomes
 *       axes and button presses, on the poll thread. No arm state: the station's {@code
 *       DriveController} decides what they may do.
 * </ul>
 *
 * <p>From the device to the frame: {@code gamepad-poll} → {@code GamepadInput} → {@code
 * DriveController.controller(axes)} → {@code ControlLoop.changedHere()} → the data channel, all on
 * the poll thread (ADR 0005).
 */
package dev.rcdrive.station.gamepad;
