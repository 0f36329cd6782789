package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.signaling.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Codec choice, ICE restart and a non-trickling peer, against the real car agent. */
@Tag("slow")
class LinkFeaturesTest {

  private static RtcEngine engine;
  private static SignalingServer server;
  private CarAgent agent;
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
        SimWorld.startCar(
            server, engine, new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 320, 180, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (TestDriver driver : drivers) {
      driver.close();
    }
    agent.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 0);
  }

  private TestDriver driver(LinkOptions options) {
    TestDriver driver = new TestDriver(engine, server.uri(), "alice-token", options);
    drivers.add(driver);
    return driver;
  }

  @ParameterizedTest
  @EnumSource(VideoCodec.class)
  void theCarSendsTheCodecTheDriverPrefers(VideoCodec codec) throws Exception {
    TestDriver driver = driver(LinkOptions.defaults().withCodec(codec));
    driver.drive("sim");
    driver.awaitOpen();
    await().atMost(Duration.ofSeconds(15)).until(() -> driver.frames.get() > 10);

    LinkStats stats = driver.link().stats().get(5, TimeUnit.SECONDS);

    assertThat(stats.codec()).isEqualToIgnoringCase("video/" + codec.name());
    assertThat(stats.framesDecoded()).isGreaterThan(10);
  }

  @Test
  void iceRestartKeepsVideoAndControlFlowing() throws Exception {
    TestDriver driver = driver(LinkOptions.defaults());
    driver.drive("sim");
    driver.awaitOpen();
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);

    driver.link().restartIce();

    long before = driver.frames.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > before + 30);
    assertThat(driver.link().isOpen(PeerLink.Channel.CONTROL)).isTrue();
    driver.hold(0, 0, false, 100);
    assertThat(driver.latestTelemetry().hasEcho()).isTrue();
    assertThat(driver.state.get()).isEqualTo(PeerLink.State.CONNECTED);
  }

  @Test
  void aPeerThatDoesNotTrickleConnectsThroughItsSdp() throws Exception {
    TestDriver driver = driver(LinkOptions.defaults());
    driver.trickle = false;

    driver.drive("sim");

    driver.awaitOpen();
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);
  }
}
