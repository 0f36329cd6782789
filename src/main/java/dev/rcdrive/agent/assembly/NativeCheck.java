package dev.rcdrive.agent.assembly;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.gst.GstRuntime;
import dev.rcdrive.rtc.LoopbackCheck;
import dev.rcdrive.rtc.NativeLoadFailure;
import dev.rcdrive.rtc.RtcEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One native library the agent will use, for {@code rcdrive agent --check}: {@code load} loads and
 * exercises it and says what it did, or throws; {@code unusedBecause} says why this config does not
 * need it (then nothing is loaded).
 *
 * @param name the check's label (at most 10 characters, like the other lines)
 * @param unusedBecause null when the config uses the library
 * @param load loads it; its exception's message is the reason it failed
 */
public record NativeCheck(String name, String unusedBecause, Callable<String> load) {

  /** JNA: Pi4J's linuxfs plugin calls libc through it; loads libjnidispatch when initialized. */
  static final String JNA = "com.sun.jna.Native";

  /** Loads libpi4j-linuxfs.so (I2C through /dev/i2c-N) in its static initializer. */
  static final String PI4J_LINUXFS = "com.pi4j.library.linuxfs.LinuxFile";

  /**
   * Loads Pi4J's libgpiod.so and libpi4j-gpiod.so (GPIO) in its static initializer, but only on a
   * board it recognises as a Raspberry Pi (by /proc/cpuinfo or the device tree): elsewhere it logs
   * a warning and loads nothing. So the check calls one of its natives to know.
   */
  static final String PI4J_GPIOD = "com.pi4j.library.gpiod.internal.GpioD";

  /**
   * What the agent loads with this config: WebRTC always (a loopback peer connection proves it
   * works, within {@code webrtcTimeout}); GStreamer and the elements of the hardware video path
   * unless {@code camera.encoder} is software; Pi4J's libraries when the outputs or the battery
   * sensor are on I2C or GPIO (Pi4J's automatic context starts every plugin it finds, so all of
   * them).
   */
  public static List<NativeCheck> forConfig(AgentConfig config, Duration webrtcTimeout) {
    List<NativeCheck> checks = new ArrayList<>();
    checks.add(
        new NativeCheck(
            "webrtc",
            null,
            () -> {
              RtcEngine engine = RtcEngine.create();
              try {
                return "native library loaded; " + LoopbackCheck.run(engine, webrtcTimeout);
              } finally {
                engine.close();
              }
            }));
    AgentConfig.Encoder encoder = config.camera().encoder();
    checks.add(
        new NativeCheck(
            "gstreamer",
            encoder == AgentConfig.Encoder.SOFTWARE ? "camera.encoder software" : null,
            () -> GstRuntime.check(encoder == AgentConfig.Encoder.AUTO)));
    String unused = usesPi4j(config) ? null : "actuator " + config.actuator() + ", no INA219";
    checks.add(new NativeCheck("jna", unused, () -> loaded(JNA, "libjnidispatch", null)));
    checks.add(
        new NativeCheck(
            "pi4j i2c",
            unused,
            () -> loaded(PI4J_LINUXFS, "libpi4j-linuxfs", c -> call(c, "errno"))));
    checks.add(
        new NativeCheck(
            "pi4j gpio",
            unused,
            () ->
                loaded(
                    PI4J_GPIOD,
                    "libgpiod, libpi4j-gpiod",
                    c -> call(c, "chipOpen", "/dev/rcdrive-check-no-such-gpiochip"))));
    return checks;
  }

  /** I2C (a PCA9685, an INA219) and GPIO (the H-bridge's direction lines) go through Pi4J. */
  static boolean usesPi4j(AgentConfig config) {
    AgentConfig.ActuatorKind actuator = config.actuator();
    boolean outputs =
        actuator == AgentConfig.ActuatorKind.PCA9685
            || actuator == AgentConfig.ActuatorKind.HBRIDGE; // direction lines are GPIO
    return outputs || config.telemetry().ina219() != null;
  }

  /** A call into a library that must not fail with UnsatisfiedLinkError if it is loaded. */
  interface NativeCall {
    void call(Class<?> owner) throws Exception;
  }

  /**
   * Initializes {@code className}, whose static initializer loads {@code libraries}, then makes
   * {@code probe} (when not null) call one of its natives: only then is the library known to be
   * loaded.
   */
  static String loaded(String className, String libraries, NativeCall probe) throws Exception {
    Class<?> owner;
    try {
      owner = Class.forName(className, true, NativeCheck.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(className + " is not on the class path", e);
    } catch (LinkageError | RuntimeException e) {
      throw new IllegalStateException(
          "cannot load " + libraries + ": " + NativeLoadFailure.explain(e), e);
    }
    if (probe != null) {
      try {
        probe.call(owner);
      } catch (java.lang.reflect.InvocationTargetException e) {
        if (e.getCause() instanceof UnsatisfiedLinkError) {
          throw new IllegalStateException(
              libraries
                  + " not loaded (Pi4J loads it only on a board it recognises as a Raspberry Pi"
                  + " and logs why above)",
              e.getCause());
        }
        // any other outcome of the call: the native code ran
      }
    }
    return libraries + " loaded";
  }

  /** Calls the static method {@code name} of {@code owner} (whatever its access) with args. */
  static void call(Class<?> owner, String name, Object... args) throws Exception {
    for (java.lang.reflect.Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(name)
          && m.getParameterCount() == args.length
          && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        m.setAccessible(true);
        m.invoke(null, args);
        return;
      }
    }
    throw new NoSuchMethodException(owner.getName() + "." + name);
  }
}
