package dev.rcdrive.station.gamepad.device;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.java.games.input.AbstractComponent;
import net.java.games.input.AbstractController;
import net.java.games.input.Component;
import net.java.games.input.Controller;
import net.java.games.input.Event;

/**
 * A controller for tests, through JInput's own base classes (PLATFORM.md): values set here appear
 * after {@link #poll()}, and {@link #unplug()} makes the next poll fail as a pulled cable does.
 * Layouts name controls as JInput does on each OS.
 */
public final class FakePad extends AbstractController {

  /** Control names per OS, as JInput reports them. */
  public enum Layout {
    /** Linux evdev, xpad-style: A/B/X/Y buttons, triggers on z (left) and rz (right), rest −1. */
    EVDEV_XBOX(
        List.of("x", "y", "z", "rx", "ry", "rz", "pov"),
        List.of(
            "A",
            "B",
            "X",
            "Y",
            "Left Thumb",
            "Right Thumb",
            "Select",
            "Start",
            "Mode",
            "Left Thumb 3",
            "Right Thumb 3"),
        "z",
        "rz"),
    /** Windows DirectInput, Xbox: numbered buttons, both triggers on z (left +, right −). */
    DINPUT_XBOX(
        List.of("y", "x", "ry", "rx", "z", "pov"),
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        "z",
        "z"),
    /** Plain HID (Windows, macOS), DualShock 4 / DualSense: □0 ✕1 ○2 △3, L2 rx, R2 ry. */
    HID_PLAYSTATION(
        List.of("x", "y", "z", "rz", "rx", "ry", "pov"),
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"),
        "rx",
        "ry"),
    /** Logitech in DirectInput mode on Windows: triggers are buttons 6 and 7. */
    DINPUT_LOGITECH(
        List.of("x", "y", "z", "rz", "pov"),
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
        "6",
        "7"),
    /** Logitech in DirectInput mode on Linux (hid-generic joystick button names). */
    EVDEV_LOGITECH(
        List.of("x", "y", "z", "rz", "pov"),
        List.of(
            "Trigger", "Thumb", "Thumb 2", "Top", "Top 2", "Pinkie", "Base", "Base 2", "Base 3",
            "Base 4", "Base 5", "Base 6"),
        "Base",
        "Base 2"),
    /** Something unknown: two sticks (x/y, z/rz), eight buttons. */
    GENERIC(
        List.of("x", "y", "z", "rz"), List.of("0", "1", "2", "3", "4", "5", "6", "7"), null, null);

    public final List<String> axes;
    public final List<String> buttons;
    public final String leftTrigger;
    public final String rightTrigger;

    Layout(List<String> axes, List<String> buttons, String leftTrigger, String rightTrigger) {
      this.axes = axes;
      this.buttons = buttons;
      this.leftTrigger = leftTrigger;
      this.rightTrigger = rightTrigger;
    }

    /** Where a trigger rests: −1 for full-range trigger axes, 0 for the combined z and buttons. */
    public float triggerRest() {
      return this == EVDEV_XBOX || this == HID_PLAYSTATION ? -1 : 0;
    }
  }

  /** One control whose value the test sets. */
  static final class Part extends AbstractComponent {
    volatile float value;
    private final boolean analog;

    Part(Component.Identifier id) {
      super(id.getName(), id);
      analog = id instanceof Component.Identifier.Axis;
    }

    @Override
    protected float poll() {
      return value;
    }

    @Override
    public boolean isRelative() {
      return false;
    }

    @Override
    public boolean isAnalog() {
      return analog;
    }
  }

  private final Type type;
  private volatile boolean unplugged;
  private volatile java.util.function.Consumer<Event> onEvent = e -> {};

  private FakePad(String name, Type type, Component[] parts) {
    super(name, parts, new Controller[0], new net.java.games.input.Rumbler[0]);
    this.type = type;
  }

  public static FakePad of(String name, Layout layout) {
    FakePad pad = of(name, Type.GAMEPAD, layout.axes, layout.buttons);
    if (layout.leftTrigger != null && layout.triggerRest() != 0) {
      pad.set(layout.leftTrigger, layout.triggerRest());
      pad.set(layout.rightTrigger, layout.triggerRest());
    }
    return pad;
  }

  public static FakePad of(String name, Type type, List<String> axes, List<String> buttons) {
    List<Component> parts = new ArrayList<>();
    for (String axis : axes) {
      parts.add(new Part(axis(axis)));
    }
    for (String button : buttons) {
      parts.add(new Part(button(button)));
    }
    return new FakePad(name, type, parts.toArray(new Component[0]));
  }

  /** A keyboard, which must never be offered as a gamepad. */
  public static FakePad keyboard() {
    List<Component> parts =
        List.of(new Part(Component.Identifier.Key.A), new Part(Component.Identifier.Axis.X));
    return new FakePad(
        "AT Translated Set 2 keyboard", Type.KEYBOARD, parts.toArray(new Component[0]));
  }

  public static FakePad mouse() {
    List<Component> parts =
        List.of(
            new Part(Component.Identifier.Axis.X),
            new Part(Component.Identifier.Axis.Y),
            new Part(Component.Identifier.Button.LEFT));
    return new FakePad("Logitech USB Optical Mouse", Type.MOUSE, parts.toArray(new Component[0]));
  }

  public FakePad set(String id, float value) {
    for (Component c : getComponents()) {
      if (c.getIdentifier().getName().equals(id)) {
        ((Part) c).value = value;
        return this;
      }
    }
    throw new IllegalArgumentException("no control " + id + " on " + getName());
  }

  /** Runs {@code check} at each poll (a test's hook to fail the way a driver might). */
  public FakePad onEvent(java.util.function.Consumer<Event> check) {
    onEvent = check;
    return this;
  }

  public void unplug() {
    unplugged = true;
  }

  @Override
  public Type getType() {
    return type;
  }

  @Override
  protected void pollDevice() throws IOException {
    if (unplugged) {
      throw new IOException("No such device"); // what a pulled USB cable gives on Linux
    }
  }

  @Override
  protected boolean getNextDeviceEvent(Event event) {
    onEvent.accept(event);
    return false;
  }

  private static Component.Identifier axis(String name) {
    return switch (name) {
      case "x" -> Component.Identifier.Axis.X;
      case "y" -> Component.Identifier.Axis.Y;
      case "z" -> Component.Identifier.Axis.Z;
      case "rx" -> Component.Identifier.Axis.RX;
      case "ry" -> Component.Identifier.Axis.RY;
      case "rz" -> Component.Identifier.Axis.RZ;
      case "pov" -> Component.Identifier.Axis.POV;
      case "slider" -> Component.Identifier.Axis.SLIDER;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Component.Identifier button(String name) {
    for (java.lang.reflect.Field f : Component.Identifier.Button.class.getFields()) {
      try {
        if (f.get(null) instanceof Component.Identifier.Button b && b.getName().equals(name)) {
          return b;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("no JInput button named " + name);
  }
}
