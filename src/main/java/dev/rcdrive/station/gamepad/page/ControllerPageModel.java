package dev.rcdrive.station.gamepad.page;

import dev.rcdrive.station.gamepad.GamepadInput;
import dev.rcdrive.station.gamepad.device.Gamepads;
import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.AxisBinding;
import dev.rcdrive.station.gamepad.mapping.Calibrator;
import dev.rcdrive.station.gamepad.mapping.ControlBinder;
import dev.rcdrive.station.gamepad.mapping.DefaultProfiles;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.gamepad.mapping.PadMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Everything the controller page shows and does, as JavaFX properties and plain methods, on the FX
 * thread; {@link #refresh} is called each pulse and reads the newest immutable snapshot. The page
 * itself only binds to this.
 */
public final class ControllerPageModel {

  /** One live control: its id, kind and value (raw JInput units). */
  public static final class Row {
    public final PadControl control;
    public final DoubleProperty value = new SimpleDoubleProperty();

    Row(PadControl control) {
      this.control = control;
    }
  }

  /** The feel settings of one axis action, bound to the page's sliders. */
  public static final class Feel {
    public final DoubleProperty deadzone = new SimpleDoubleProperty();
    public final DoubleProperty expo = new SimpleDoubleProperty();
    public final DoubleProperty trim = new SimpleDoubleProperty();
    public final BooleanProperty invert = new SimpleBooleanProperty();
  }

  public final ObservableList<PadInfo> pads = FXCollections.observableArrayList();
  public final StringProperty selectedKey = new SimpleStringProperty("");
  public final StringProperty status = new SimpleStringProperty("No controller");
  public final StringProperty diagnostic = new SimpleStringProperty("");

  /**
   * What the live list says while it is empty: no controller, and how to get one. It lives in the
   * list's own place, so a controller arriving changes no layout above the buttons.
   */
  public final StringProperty liveHint = new SimpleStringProperty("");

  /** A controller is connected: only then can anything be bound or calibrated. */
  public final BooleanProperty padConnected = new SimpleBooleanProperty(false);

  public final StringProperty message = new SimpleStringProperty("");
  public final StringProperty profile = new SimpleStringProperty("");

  /** What the driver should do now (binding, calibration), empty when nothing is asked. */
  public final StringProperty prompt = new SimpleStringProperty("");

  public final BooleanProperty binding = new SimpleBooleanProperty(false);

  /** 0: not calibrating; 1: hold still; 2: move everything. */
  public final IntegerProperty calibrationStep = new SimpleIntegerProperty(0);

  public final ObservableList<Row> rows = FXCollections.observableArrayList();
  public final Map<PadAction, StringProperty> bound = new EnumMap<>(PadAction.class);
  public final Map<PadAction, Feel> feel = new EnumMap<>(PadAction.class);

  private final GamepadInput input;
  private final Gamepads gamepads;
  private final MappingStore store;
  private final Executor fxThread;
  private ControlBinder binder;
  private Calibrator calibrator;
  private long shownSeq = -1;
  private List<PadControl> shownControls = List.of();
  private PadMapping shownMapping;
  private boolean updatingFeel;

  /**
   * @param store where mappings are saved ({@code new MappingStore(UserFolders.config())}); the
   *     same store the {@link GamepadInput} loads from
   * @param fxThread runs a task on the FX thread (the station's {@code Fx::run}): a rescan answers
   *     on another thread
   */
  public ControllerPageModel(GamepadInput input, MappingStore store, Executor fxThread) {
    this.input = input;
    this.gamepads = input.gamepads();
    this.store = store;
    this.fxThread = fxThread;
    for (PadAction action : PadAction.values()) {
      bound.put(action, new SimpleStringProperty("–"));
      if (action.isAxis()) {
        Feel f = new Feel();
        feel.put(action, f);
        f.deadzone.addListener((o, was, now) -> feelChanged(action));
        f.expo.addListener((o, was, now) -> feelChanged(action));
        f.trim.addListener((o, was, now) -> feelChanged(action));
        f.invert.addListener((o, was, now) -> feelChanged(action));
      }
    }
  }

  // ---- each pulse ---------------------------------------------------------------------------

  /** Reads the newest snapshot into the properties; feeds a running binding or calibration. */
  public void refresh() {
    PadSnapshot s = gamepads.latest();
    if (!pads.equals(gamepads.pads())) {
      pads.setAll(gamepads.pads());
    }
    String why = gamepads.diagnostic();
    GamepadInput.Status st = input.status();
    padConnected.set(st.state() == PadSnapshot.State.CONNECTED);
    diagnostic.set(why != null ? why : "");
    liveHint.set(
        padConnected.get()
            ? ""
            : "No controller found: plug one in (USB, or pair it over Bluetooth); it appears"
                + " here within a second. Binding and calibration need one.");
    status.set(
        switch (st.state()) {
          case NONE -> "No controller";
          case CONNECTED -> "Connected: " + st.controller();
          case DISCONNECTED -> "Disconnected: " + st.controller();
        });
    if (s.state() != PadSnapshot.State.NONE) {
      selectedKey.set(s.key());
    }
    if (!s.controls().equals(shownControls)) {
      shownControls = s.controls();
      rows.setAll(s.controls().stream().map(Row::new).toList());
    }
    if (s.seq() != shownSeq) {
      shownSeq = s.seq();
      for (int i = 0; i < rows.size(); i++) {
        rows.get(i).value.set(s.value(i));
      }
      feed(s);
    }
    PadMapping m = input.mapping();
    if (m != shownMapping) {
      show(m);
      String problem = input.mappingProblem();
      if (problem != null && message.get().isEmpty()) {
        message.set(problem);
      }
    }
  }

  private void feed(PadSnapshot s) {
    if (binder != null && s.connected()) {
      Optional<PadMapping> result = binder.offer(s, input.mapping());
      if (result.isPresent()) {
        PadAction action = binder.action();
        binder = null;
        binding.set(false);
        prompt.set("");
        use(result.get());
        message.set(action.label() + " is now " + result.get().controlOf(action));
      }
    }
    if (calibrator != null && calibrationStep.get() == 2) {
      calibrator.observe(s);
    }
  }

  private void show(PadMapping m) {
    shownMapping = m;
    profile.set(m == null ? "" : m.profile());
    for (PadAction action : PadAction.values()) {
      String control = m == null ? null : m.controlOf(action);
      bound.get(action).set(control == null ? "–" : control);
    }
    updatingFeel = true;
    try {
      for (Map.Entry<PadAction, Feel> e : feel.entrySet()) {
        AxisBinding b = m == null ? null : m.axis(e.getKey());
        Feel f = e.getValue();
        f.deadzone.set(b == null ? 0 : b.deadzone());
        f.expo.set(b == null ? 0 : b.expo());
        f.trim.set(b == null ? 0 : b.trim());
        f.invert.set(b != null && b.invert());
      }
    } finally {
      updatingFeel = false;
    }
  }

  // ---- actions ------------------------------------------------------------------------------

  public void rescan() {
    message.set("Looking for controllers…");
    gamepads
        .rescan()
        .thenAccept(
            found ->
                fxThread.execute(
                    () -> {
                      pads.setAll(found);
                      message.set(
                          found.isEmpty()
                              ? "No controller found"
                              : found.size() == 1
                                  ? "Found 1 controller"
                                  : "Found " + found.size() + " controllers");
                    }));
  }

  public void select(String key) {
    if (key != null && !key.equals(selectedKey.get())) {
      gamepads.select(key);
    }
  }

  /** "Press the control you want for …": the next control pressed and released is bound. */
  public void startBinding(PadAction action) {
    PadSnapshot s = gamepads.latest();
    if (!s.connected() || input.mapping() == null) {
      message.set("Connect a controller first");
      return;
    }
    cancelCalibration();
    binder = new ControlBinder(action, s);
    binding.set(true);
    message.set("");
    prompt.set(
        "Press the control you want for "
            + action.label()
            + (action.isAxis() ? " all the way, then let go" : ", then let go"));
  }

  public void cancelBinding() {
    binder = null;
    binding.set(false);
    prompt.set("");
  }

  public void startCalibration() {
    if (!gamepads.latest().connected() || input.mapping() == null) {
      message.set("Connect a controller first");
      return;
    }
    cancelBinding();
    calibrationStep.set(1);
    message.set("");
    prompt.set("Leave the sticks centred and the triggers released, then press Next");
  }

  public void nextCalibrationStep() {
    PadSnapshot s = gamepads.latest();
    if (calibrationStep.get() != 1 || !s.connected()) {
      cancelCalibration();
      return;
    }
    calibrator = new Calibrator(s);
    calibrationStep.set(2);
    prompt.set(
        "Turn the steering fully both ways and press throttle and brake all the way, then press"
            + " Done");
  }

  public void finishCalibration() {
    if (calibrationStep.get() != 2 || calibrator == null) {
      cancelCalibration();
      return;
    }
    Calibrator.Result result = calibrator.apply(input.mapping());
    cancelCalibration();
    use(result.mapping());
    message.set(
        result.notMoved().isEmpty()
            ? "Calibrated"
            : "Calibrated; not moved, so unchanged: " + String.join(", ", result.notMoved()));
  }

  public void cancelCalibration() {
    calibrator = null;
    calibrationStep.set(0);
    if (binder == null) {
      prompt.set("");
    }
  }

  /** The built-in profiles by name (to override the automatic choice), plus "Generic". */
  public List<String> profileNames() {
    List<String> names = new ArrayList<>(DefaultProfiles.names());
    names.add("Generic");
    return names;
  }

  /** Replaces the mapping with a built-in profile, if this controller has its controls. */
  public void useProfile(String name) {
    PadSnapshot s = gamepads.latest();
    if (!s.connected()) {
      message.set("Connect a controller first");
      return;
    }
    PadMapping m = DefaultProfiles.named(name, new PadInfo(s.key(), s.name(), s.controls()));
    if (m == null) {
      message.set(s.name() + " lacks controls the " + name + " profile uses");
      return;
    }
    use(m);
    message.set("Using the " + name + " profile");
  }

  /** Back to the automatic built-in profile; the saved file is removed. */
  public void resetToDefaults() {
    PadSnapshot s = gamepads.latest();
    if (!s.connected()) {
      message.set("Connect a controller first");
      return;
    }
    PadMapping m = DefaultProfiles.forController(new PadInfo(s.key(), s.name(), s.controls()));
    input.useMapping(m, false);
    try {
      store.delete(s.name());
      message.set("Defaults restored (" + m.profile() + ")");
    } catch (IOException e) {
      message.set("Could not remove the saved mapping: " + e.getMessage());
    }
    show(m);
  }

  /** Saves the feel settings after a slider drag ends (not on every step of it). */
  public void saveFeel() {
    PadMapping m = input.mapping();
    if (m != null) {
      input.useMapping(m, true);
    }
  }

  private void feelChanged(PadAction action) {
    if (updatingFeel) {
      return;
    }
    PadMapping m = input.mapping();
    AxisBinding b = m == null ? null : m.axis(action);
    if (b == null) {
      return;
    }
    Feel f = feel.get(action);
    PadMapping next =
        m.withAxis(
            action, b.withFeel(f.deadzone.get(), f.expo.get(), f.invert.get(), f.trim.get()));
    input.useMapping(next, false);
    shownMapping = next; // the sliders already show it
    profile.set(next.profile());
  }

  private void use(PadMapping m) {
    input.useMapping(m, true);
    show(m);
  }
}
