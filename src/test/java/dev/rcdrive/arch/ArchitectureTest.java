package dev.rcdrive.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.rcdrive.arch.fixture.agent.AgentThatBuildsAPipeline;
import dev.rcdrive.arch.fixture.agent.AgentThatDrawsWithJavaFx;
import dev.rcdrive.arch.fixture.agent.AgentThatKnowsItsCamera;
import dev.rcdrive.arch.fixture.agent.AgentThatOpensAWebSocket;
import dev.rcdrive.arch.fixture.agent.AgentThatOpensI2cDirectly;
import dev.rcdrive.arch.fixture.agent.camera.CameraThatCallsTheAgent;
import dev.rcdrive.arch.fixture.protocol.ProtocolThatImportsJavaFx;
import dev.rcdrive.arch.fixture.protocol.ProtocolThatImportsSignaling;
import dev.rcdrive.arch.fixture.protocol.ProtocolThatImportsWebRtc;
import dev.rcdrive.arch.fixture.protocol.ProtocolThatPrints;
import dev.rcdrive.arch.fixture.station.app.AppThatShowsAHud;
import dev.rcdrive.arch.fixture.station.hud.HudThatReadsAPad;
import dev.rcdrive.arch.fixture.station.hud.HudThatReadsTheApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md's package rules, checked on the production classes. The fixtures under {@code
 * arch.fixture} break them on purpose, to prove each rule can fail.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.rcdrive";

  /** Fixtures mirror the real packages below this root, so the same rules apply to them. */
  private static final String FIXTURE_ROOT = ROOT + ".arch.fixture";

  /** The rules for a tree of rcdrive packages under {@code root}. */
  static List<ArchRule> rules(String root) {
    return List.of(
        layer(root, "protocol", "signaling", "rtc", "gst", "agent", "sim", "station", "cli"),
        layer(root, "signaling", "rtc", "gst", "agent", "sim", "station", "cli"),
        layer(root, "rtc", "signaling", "gst", "agent", "sim", "station", "cli"),
        layer(root, "gst", "signaling", "agent", "sim", "station", "cli"),
        layer(root, "sim", "signaling", "rtc", "gst", "agent", "station", "cli"),
        layer(root, "agent", "station", "cli"),
        layer(root, "station", "gst", "agent", "cli"),
        noClasses()
            .that()
            .resideInAPackage(root + ".protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..", "dev.onvoid.webrtc..", "org.java_websocket..")
            .because("protocol is pure values and codecs: no UI, no WebRTC, no I/O"),
        noClasses()
            .that()
            .resideInAnyPackage(
                root + ".agent..",
                root + ".signaling..",
                root + ".rtc..",
                root + ".gst..",
                root + ".sim..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..")
            .because("the agent runs on the Pi with no JavaFX on its class path"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".rtc..")
            .and()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.onvoid.webrtc..")
            .because("rtc is the only package that touches webrtc-java"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".gst..")
            .and()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.freedesktop.gstreamer..", "com.sun.jna..")
            .because(
                "gst is the only package that touches GStreamer (the car's hardware H.264 path,"
                    + " docs/decisions/0020)"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".agent.output..")
            .and()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("com.pi4j..")
            .because(
                "Pi4J stays behind agent.output's Hardware interface (fakes in tests; the Pi4J"
                    + " context loads only on a car with I2C or GPIO outputs)"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".signaling..")
            .and()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.java_websocket..")
            .because("Java-WebSocket stays behind signaling's SignalingServer and SignalingClient"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".station.gamepad.device..")
            .and()
            .resideInAPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("net.java.games..")
            .because("JInput stays behind station.gamepad.device's Gamepads interface"),
        noClasses()
            .that()
            .resideOutsideOfPackage(root + ".cli..")
            .and()
            .doNotHaveFullyQualifiedName(root + ".station.app.SelfTest")
            .and()
            .resideInAPackage(root + "..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because(
                "output is the command line's (cli) and the self-test's printed figures; the rest"
                    + " logs"),
        slices()
            .matching(root + ".(**)")
            .should()
            .beFreeOfCycles()
            .as("rcdrive's packages (agent, agent.camera, station.app, …) are free of cycles")
            .because(
                "each feature room depends downwards: a package and its sub-packages never call"
                    + " each other both ways"));
  }

  private static ArchRule layer(String root, String from, String... forbidden) {
    String[] packages = Stream.of(forbidden).map(p -> root + "." + p + "..").toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(root + "." + from + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .as(from + " must not depend on " + String.join(", ", forbidden));
  }

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  static Stream<ArchRule> productionRules() {
    return rules(ROOT).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("productionRules")
  void productionCodeFollowsTheRule(ArchRule rule) {
    rule.check(PRODUCTION);
  }

  @Test
  void productionClassesWereFound() {
    assertThat(PRODUCTION.containPackage(ROOT + ".protocol")).isTrue();
    assertThat(PRODUCTION.containPackage(ROOT + ".signaling")).isTrue();
  }

  @Test
  void rulesCatchProtocolImportingJavaFx() {
    assertThat(violations(ProtocolThatImportsJavaFx.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchProtocolImportingWebRtc() {
    // protocol purity, and "only rtc touches webrtc-java"
    assertThat(violations(ProtocolThatImportsWebRtc.class)).isEqualTo(2);
  }

  @Test
  void rulesCatchProtocolImportingSignaling() {
    assertThat(violations(ProtocolThatImportsSignaling.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchAgentImportingStationAndJavaFx() {
    // agent must not use station, and agent must not use JavaFX
    assertThat(violations(AgentThatDrawsWithJavaFx.class)).isEqualTo(2);
  }

  @Test
  void rulesCatchPi4jOutsideTheOutputPackage() {
    assertThat(violations(AgentThatOpensI2cDirectly.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchGStreamerOutsideTheGstPackage() {
    assertThat(violations(AgentThatBuildsAPipeline.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchACycleBetweenStationPackages() {
    assertThat(violations(AppThatShowsAHud.class, HudThatReadsTheApp.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchACycleBetweenAPackageAndItsSubPackage() {
    assertThat(violations(AgentThatKnowsItsCamera.class, CameraThatCallsTheAgent.class))
        .isEqualTo(1);
  }

  @Test
  void rulesCatchJavaWebSocketOutsideSignaling() {
    assertThat(violations(AgentThatOpensAWebSocket.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchJInputOutsideTheDevicePackage() {
    assertThat(violations(HudThatReadsAPad.class)).isEqualTo(1);
  }

  @Test
  void rulesCatchPrintingOutsideTheCommandLine() {
    assertThat(violations(ProtocolThatPrints.class)).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("productionRules")
  void aRuleThatChecksNothingFails(ArchRule rule) {
    // A renamed package must not make a rule pass by checking nothing: every production rule
    // fails on classes outside rcdrive (archunit.properties: failOnEmptyShould).
    JavaClasses outsideRcdrive = new ClassFileImporter().importClasses(String.class, List.class);
    assertThatThrownBy(() -> rule.check(outsideRcdrive))
        .hasMessageContaining("failed to check any classes");
  }

  /**
   * How many rules the fixtures break, with the rules rooted at the fixtures' package. A handful of
   * fixtures leaves most rules nothing to check: here (only) that is allowed.
   */
  private static long violations(Class<?>... fixtures) {
    JavaClasses classes = new ClassFileImporter().importClasses(fixtures);
    return rules(FIXTURE_ROOT).stream()
        .map(rule -> rule.allowEmptyShould(true).evaluate(classes))
        .filter(result -> result.hasViolation())
        .count();
  }
}
