/**
 * Game controllers: JInput behind {@link dev.rcdrive.station.gamepad.device.Gamepads}, mappings,
 * the controller page, and the input that drives with them.
 *
 * <p>The pieces, from the device to the frame: {@link
 * dev.rcdrive.station.gamepad.device.JInputGamepads} (its own {@code gamepad-poll} thread: scans,
 * polls at 250 Hz, publishes immutable {@link dev.rcdrive.station.gamepad.device.PadSnapshot}s) →
 * {@link dev.rcdrive.station.gamepad.GamepadInput} (maps each snapshot through the pad's {@link
 * dev.rcdrive.station.gamepad.mapping.PadMapping}, applies the safety rules, and hands the intent
 * to the control loop on the poll thread) → {@code ControlLoop.setAndSend} → the data channel.
 *
 * <p>Wiring into the station (the window's owner does this):
 *
 * <pre>{@code
 * // StationViewModel: create once, close in shutdown()
 * MappingStore mappings = new MappingStore(WindowState.configDir());
 * Gamepads gamepads = JInputGamepads.system();
 * GamepadInput gamepad = new GamepadInput(gamepads, mappings);
 * InputSelector inputs = new InputSelector(keyboard, gamepad);
 * gamepad.connect(intent -> {            // on the poll thread
 *   DriverSession s = session;           // (make the field volatile)
 *   if (s != null && drivingCarId != null) s.setIntentNow(intent);
 * });
 * gamepad.setListener(new GamepadInput.Listener() {   // on the poll thread: hop to FX
 *   public void onAction(PadAction a) { Fx.run(() -> ...toggleArm / emergencyStop / view's
 *                                         snapshot() / fullscreen); }
 *   public void onStatus(GamepadInput.Status s) { Fx.run(() -> ...a property the HUD shows); }
 * });
 *
 * // tick(): instead of input.poll + pushIntent
 * InputSelector.Pulse p = inputs.pulse(seconds, armed.get(), estop.get());
 * if (p.disarm()) { armed.set(false); message.set(p.message()); }
 * if (p.push()) pushIntent(p.intent());
 * inputName.set(p.source().name());      // gauges from p.intent()
 *
 * // the page, anywhere in the window (it refreshes itself while in a scene)
 * new ControllerPage(new ControllerPageModel(gamepad, mappings));
 *
 * // shutdown(): gamepad.close(); gamepads.close();
 * }</pre>
 */
package dev.rcdrive.station.gamepad;
