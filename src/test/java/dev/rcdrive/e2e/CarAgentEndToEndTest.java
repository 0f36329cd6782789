package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.Limits;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole loop in one JVM: a real signaling server on loopback, the car agent with the simulated
 * car and camera, and a driver, over real peer connections.
 */
@Tag("slow")
class CarAgentEndToEndTest {

  static final int FAILSAFE_MS = 250;
  private static RtcEngine engine;
  private static SignalingServer server;
  CarAgent agent;
  private final List<TestDriver> drivers = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    engine = RtcEngine.create();
    server = SimWorld.server();
  }

  @AfterAll
  static void stopServer() {
    server.close();
    engine.close();
  }

  @BeforeEach
  void startCar() {
    agent =
        CarAssembly.start(
            SimWorld.car(
                server,
                new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 360, 30)
                    .withEncoder(encoder()),
                new Limits(0.8, 0.4, 0, 1, 8, 20),
                false),
            engine);
  }

  /** The media path under test: the software one here (HardwarePathEndToEndTest: GStreamer). */
  AgentConfig.Encoder encoder() {
    return AgentConfig.Encoder.SOFTWARE;
  }

  @AfterEach
  void stopAll() throws Exception {
    for (TestDriver driver : drivers) {
      driver.close();
    }
    agent.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 0);
  }

  TestDriver connect(String token) {
    TestDriver driver = new TestDriver(engine, server.uri(), token, LinkOptions.defaults());
    drivers.add(driver);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
    driver.drive("sim");
    driver.awaitOpen();
    return driver;
  }

  private void arm(TestDriver driver) throws InterruptedException {
    driver.hold(0, 0, false, 100);
    driver.hold(0, 0, true, 100);
    assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
  }

  @Test
  void videoArrivesAtTheCameraRateWithIncreasingStamps() throws Exception {
    TestDriver driver = connect("alice-token");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);
    driver.stamps.clear();
    long before = driver.frames.get();

    Thread.sleep(2000); // a measuring window, not a wait for an outcome

    double fps = (driver.frames.get() - before) / 2.0;
    List<FrameStamp> stamps = new ArrayList<>(driver.stamps);
    assertThat(fps).isBetween(20.0, 35.0);
    assertThat(stamps).hasSizeGreaterThan(30);
    for (int i = 1; i < stamps.size(); i++) {
      assertThat(stamps.get(i).counter()).isGreaterThan(stamps.get(i - 1).counter());
    }
    double age =
        stamps.get(stamps.size() - 1).ageMillis(dev.rcdrive.agent.RenderedCamera.epochMicros());
    assertThat(age).isBetween(0.0, 1000.0);
  }

  /** What only the car can measure of a frame's way, for the station's stage breakdown. */
  @Test
  void theCarSendsItsVideoSenderCounters() {
    TestDriver driver = connect("alice-token");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> driver.senderStats.stream().anyMatch(s -> s.framesEncoded() > 10));
    dev.rcdrive.protocol.SenderStatsFrame last =
        driver.senderStats.stream().reduce((a, b) -> b).orElseThrow();
    assertThat(last.framesPushed()).as("frames from the camera").isPositive();
    assertThat(last.captureToPushMicros()).as("capture → encoder, summed").isPositive();
    assertThat(last.encodeMicros()).as("encode time, summed").isPositive();
  }

  @Test
  void armedThrottleMovesTheCarAndChangesTheView() throws Exception {
    TestDriver driver = connect("alice-token");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.lastLumaRow.get() != null);
    int[] viewBefore = driver.lastLumaRow.get();

    arm(driver);
    driver.hold(0.3, 0.8, true, 1500);

    TelemetryFrame telemetry = driver.latestTelemetry();
    assertThat(telemetry.state()).isEqualTo(CarState.ARMED);
    assertThat(telemetry.speedMps()).isPositive();
    assertThat(telemetry.appliedThrottle()).isEqualTo(0.8);
    assertThat(telemetry.hasEcho()).isTrue();
    assertThat(Arrays.equals(driver.lastLumaRow.get(), viewBefore))
        .as("the view changed")
        .isFalse();
  }

  @Test
  void throttleWhileDisarmedDoesNothing() throws Exception {
    TestDriver driver = connect("alice-token");

    driver.hold(0.5, 1.0, false, 1000);

    TelemetryFrame telemetry = driver.latestTelemetry();
    assertThat(telemetry.state()).isEqualTo(CarState.DISARMED);
    assertThat(telemetry.speedMps()).isZero();
    assertThat(telemetry.appliedThrottle()).isZero();
  }

  @Test
  void silenceTripsTheFailsafeWithinTheTimeoutPlusATick() throws Exception {
    TestDriver driver = connect("alice-token");
    arm(driver);
    driver.hold(0, 0.8, true, 300);
    long lastSent = driver.lastSentNanos();

    await()
        .atMost(
            Duration.ofMillis(
                FAILSAFE_MS + 10 + 90)) // failsafeMs + one 10 ms tick + scheduling slack
        .pollInterval(Duration.ofMillis(2))
        .until(() -> agent.status().state() == CarState.FAILSAFE);
    long tripped = (System.nanoTime() - lastSent) / 1_000_000;

    assertThat(tripped).isGreaterThanOrEqualTo(FAILSAFE_MS - 5);
    assertThat(agent.status().output().throttle()).isZero();
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> driver.latestTelemetry().state() == CarState.FAILSAFE);
    driver.hold(0, 0.8, true, 300); // frames again, still "armed": the car stays still
    assertThat(agent.status().state()).isEqualTo(CarState.FAILSAFE);
    assertThat(driver.latestTelemetry().appliedThrottle()).isZero();
  }

  @Test
  void estopLatchesUntilCleared() throws Exception {
    TestDriver driver = connect("alice-token");
    arm(driver);
    driver.hold(0, 0.6, true, 300);

    driver.send(0, 0.6, true, true);
    await().atMost(Duration.ofSeconds(1)).until(() -> agent.status().state() == CarState.ESTOP);
    driver.hold(0, 0.6, true, 300);

    assertThat(agent.status().state())
        .isEqualTo(CarState.DISARMED); // cleared by estop=false, not armed
    assertThat(agent.status().output().throttle()).isZero();
    arm(driver);
  }

  @Test
  void malformedBytesAreDroppedAndCountedAndTheCarStaysSafe() throws Exception {
    TestDriver driver = connect("alice-token");
    arm(driver);
    driver.hold(0, 0.5, true, 200);

    byte[] valid =
        new dev.rcdrive.protocol.ControlFrame(1_000_000, 1, 0, 1, 0, true, false, 0).encode();
    byte[] outOfRange = valid.clone();
    outOfRange[16] = 0x7F; // throttle 32,767/10,000
    for (byte[] garbage :
        List.of(new byte[] {1, 2, 3}, new byte[0], new byte[23], outOfRange, "hello".getBytes())) {
      driver.sendRaw(garbage);
    }
    driver.hold(0, 0.5, true, 200);

    TelemetryFrame telemetry = driver.latestTelemetry();
    assertThat(telemetry.rejectedFrames()).isGreaterThanOrEqualTo(4);
    assertThat(telemetry.appliedThrottle()).isEqualTo(0.5);
    assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
  }

  @Test
  void driverDisconnectStopsTheCarAndASecondDriverCanDrive() throws Exception {
    TestDriver alice = connect("alice-token");
    arm(alice);
    alice.hold(0, 0.6, true, 300);

    alice.vanish();

    await()
        .atMost(Duration.ofMillis(FAILSAFE_MS + 500))
        .until(() -> agent.status().state() == CarState.FAILSAFE);
    assertThat(agent.status().output().throttle()).isZero();
    TestDriver bob = connect("bob-token");
    arm(bob);
    bob.hold(0, 0.6, true, 500);
    assertThat(bob.latestTelemetry().speedMps()).isPositive();
  }

  @Test
  void agentShutdownGoesNeutral() throws Exception {
    TestDriver driver = connect("alice-token");
    arm(driver);
    driver.hold(0, 0.6, true, 300);

    agent.close();

    assertThat(agent.status().state()).isEqualTo(CarState.FAILSAFE);
    assertThat(agent.status().output().throttle()).isZero();
    assertThat(agent.status().reason()).isEqualTo("agent shutting down");
  }
}
