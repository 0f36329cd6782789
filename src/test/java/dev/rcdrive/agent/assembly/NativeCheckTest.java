package dev.rcdrive.agent.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.gst.GstAvailable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which native libraries --check loads for a config, and how a failure to load reads. */
class NativeCheckTest {

  private static AgentConfig config(String actuator, boolean ina219) {
    return config(AgentConfig.ActuatorKind.of(actuator), ina219);
  }

  private static AgentConfig config(AgentConfig.ActuatorKind actuator, boolean ina219) {
    return new AgentConfig(
        null,
        null,
        null,
        new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 64, 64, 30),
        actuator,
        null,
        null,
        null,
        null,
        null,
        new AgentConfig.Telemetry(true, ina219 ? new AgentConfig.Ina219(1, 0x41) : null));
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          sim,       false, false
          sysfs-pwm, false, false
          sysfs-pwm, true,  true
          pca9685,   false, true
          hbridge,   false, true
          """)
  void pi4jIsCheckedWhenTheConfigUsesI2cOrGpio(String actuator, boolean ina219, boolean pi4j) {
    List<NativeCheck> checks =
        NativeCheck.forConfig(config(actuator, ina219), Duration.ofSeconds(5));

    assertThat(checks)
        .extracting(NativeCheck::name)
        .containsExactly("webrtc", "gstreamer", "jna", "pi4j i2c", "pi4j gpio");
    assertThat(checks.get(0).unusedBecause()).isNull();
    for (NativeCheck check : checks.subList(2, 5)) {
      assertThat(check.unusedBecause() == null).as(check.name()).isEqualTo(pi4j);
    }
  }

  private static NativeCheck gstreamer(AgentConfig.Encoder encoder) {
    AgentConfig base = config("sim", false);
    AgentConfig config =
        base.with(
            base.server(),
            base.carId(),
            base.key(),
            base.camera().withEncoder(encoder),
            base.actuator(),
            base.failsafeMs());
    return NativeCheck.forConfig(config, Duration.ofSeconds(5)).stream()
        .filter(c -> c.name().equals("gstreamer"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void gstreamerIsCheckedOnlyWhenTheVideoPathMayUseIt() {
    assertThat(gstreamer(AgentConfig.Encoder.SOFTWARE).unusedBecause())
        .isEqualTo("camera.encoder software");
    assertThat(gstreamer(AgentConfig.Encoder.HARDWARE).unusedBecause()).isNull();
    assertThat(gstreamer(AgentConfig.Encoder.AUTO).unusedBecause()).isNull();
  }

  @Test
  void theHardwarePathsCheckLoadsGStreamerAndNamesItsEncoder() throws Exception {
    GstAvailable.assumeInstalled();
    assertThat(gstreamer(AgentConfig.Encoder.HARDWARE).load().call())
        .startsWith("GStreamer 1.")
        .contains("webrtcbin and the rest found")
        .contains("H.264 by x264enc in software (no v4l2h264enc on this board)");
  }

  @Test
  void jnaLoadsOnThisMachine() throws Exception {
    assertThat(NativeCheck.loaded(NativeCheck.JNA, "libjnidispatch", null))
        .isEqualTo("libjnidispatch loaded");
  }

  /** Fails to initialize the way a native library with a missing dependency does. */
  static final class NeedsLibXfixes {
    static {
      if (true) {
        throw new UnsatisfiedLinkError(
            "/tmp/libwebrtc-java-linux-aarch64123.so: libXfixes.so.3: cannot open shared object"
                + " file: No such file or directory");
      }
    }
  }

  @Test
  void aLibraryWithAMissingDependencyNamesThePackageToInstall() {
    assertThatThrownBy(
            () -> NativeCheck.loaded(NeedsLibXfixes.class.getName(), "libwebrtc-java", null))
        .hasMessage(
            "cannot load libwebrtc-java: libXfixes.so.3 is missing:"
                + " sudo apt-get install libxfixes3");
  }

  /** Loads nothing, like Pi4J's gpiod on a board it does not know; its native is unbound. */
  static final class LoadsNothing {
    static native int probe();
  }

  @Test
  void aLibraryThatSilentlyDidNotLoadIsCaughtByCallingIt() {
    assertThatThrownBy(
            () ->
                NativeCheck.loaded(
                    LoadsNothing.class.getName(), "libgpiod", c -> NativeCheck.call(c, "probe")))
        .hasMessageStartingWith("libgpiod not loaded (Pi4J loads it only on a board");
  }

  @Test
  void aMissingClassIsSaidPlainly() {
    assertThatThrownBy(() -> NativeCheck.loaded("no.such.Library", "libnothing", null))
        .hasMessage("no.such.Library is not on the class path");
  }
}
