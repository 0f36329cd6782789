package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingClient;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A whole session with known secrets through the server, the car agent and a driver, with every
 * logger at TRACE (far more than an operator would ever switch on) and System.out/err captured:
 * neither the car key, the driver token, the TURN secret, a minted TURN password nor a resume token
 * may appear, not even when a client sends a secret in the wrong place or in broken JSON.
 */
@Tag("slow")
class SecretsInLogsTest {

  private static final String CAR_KEY = "car-key-Q7v9XzLm4Rt";
  private static final String TOKEN = "driver-token-P3kW8rTn2Vb";
  private static final String TURN_SECRET = "turn-secret-H5jD2sYb9Kq";

  /** Every event, rendered with its arguments and its stack trace. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      String text = event.getLoggerName() + " " + event.getFormattedMessage();
      if (event.getThrowableProxy() != null) {
        text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
      }
      lines.add(text + " " + event.getMDCPropertyMap());
    }
  }

  @Test
  void noSecretAppearsInAnyLogOrConsoleOutput() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    Capture capture = new Capture();
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    root.setLevel(Level.TRACE);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, console), true, StandardCharsets.UTF_8));
    List<String> minted = new ArrayList<>();
    try {
      runScenario(minted);
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.detachAppender(capture);
      root.setLevel(before);
    }

    String logs =
        String.join("\n", capture.lines) + "\n" + console.toString(StandardCharsets.UTF_8);
    // The capture saw the session and the refusals, so an absent secret means something.
    assertThat(logs).contains("authenticated").contains("refused AUTH_FAILED");
    assertThat(minted).hasSize(2);
    for (String secret : List.of(CAR_KEY, TOKEN, TURN_SECRET, minted.get(0), minted.get(1))) {
      assertThat(logs).as("logs must not contain a secret").doesNotContain(secret);
    }
  }

  private void runScenario(List<String> minted) throws Exception {
    RtcEngine engine = RtcEngine.create();
    SignalingServer server =
        SignalingServer.start(
            new SignalingConfig(
                "127.0.0.1",
                0,
                null,
                List.of(new SignalingConfig.Car("sim", "Sim car", CAR_KEY)),
                List.of(new SignalingConfig.Driver("alice", TOKEN)),
                List.of(
                    new SignalingConfig.IceServerConfig(
                        List.of("turn:127.0.0.1:9?transport=udp"), null, null, TURN_SECRET, 600L)),
                null));
    CarAgent agent = null;
    TestDriver driver = null;
    SignalingClient extra = null;
    try {
      agent =
          CarAssembly.start(
              new AgentConfig(
                  server.uri().toString(),
                  "sim",
                  CAR_KEY,
                  new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 320, 180, 15),
                  AgentConfig.ActuatorKind.SIM,
                  250,
                  null,
                  null,
                  false),
              engine);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
      driver = new TestDriver(engine, server.uri(), TOKEN, LinkOptions.defaults());
      driver.drive("sim");
      driver.awaitOpen();
      driver.hold(0, 0, false, 100);
      driver.hold(0.2, 0.3, true, 300);
      CarAgent car = agent;
      await().atMost(Duration.ofSeconds(2)).until(() -> car.status().state() == CarState.ARMED);

      // A second driver session: its welcome holds a minted TURN password and a resume token.
      java.util.concurrent.BlockingQueue<SignalMessage> inbox =
          new java.util.concurrent.LinkedBlockingQueue<>();
      extra = SignalingClient.connect(server.uri(), Hello.driver(TOKEN, "extra"), inbox::add);
      SignalingClient client = extra;
      await().atMost(Duration.ofSeconds(5)).until(() -> client.welcome() != null);
      Welcome welcome = client.welcome();
      IceServer turn = welcome.iceServers().get(0);
      minted.add(turn.credential());
      minted.add(welcome.resumeToken());

      misbehave(server.uri());
    } finally {
      if (extra != null) {
        extra.close();
      }
      if (driver != null) {
        driver.close();
      }
      if (agent != null) {
        agent.close();
      }
      server.close();
      engine.close();
    }
  }

  /** Secrets where they do not belong: wrong role, broken JSON, over-long, unknown car. */
  private static void misbehave(URI uri) throws Exception {
    List<String> texts =
        List.of(
            "{\"type\":\"hello\",\"role\":\"car\",\"carId\":\"sim\",\"credential\":\""
                + TOKEN
                + "\",\"protocol\":1}",
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\""
                + CAR_KEY
                + "\",\"protocol\":1}",
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":" + TOKEN + ",\"protocol\":1}",
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\""
                + TURN_SECRET.repeat(40)
                + "\",\"protocol\":1}",
            "{\"type\":\"hello\",\"role\":\"car\",\"carId\":\"nope\",\"credential\":\""
                + TURN_SECRET
                + "\",\"protocol\":1}",
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"" + CAR_KEY);
    for (String text : texts) {
      Raw raw = new Raw(uri);
      assertThat(raw.connectBlocking(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      raw.send(text);
      await().atMost(Duration.ofSeconds(5)).until(() -> !raw.received.isEmpty());
      raw.closeBlocking();
    }
  }

  private static final class Raw extends WebSocketClient {
    final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    Raw(URI uri) {
      super(uri);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      received.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {}

    @Override
    public void onError(Exception ex) {}
  }

  /** Writes to the real stream and to the capture. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    Tee(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
