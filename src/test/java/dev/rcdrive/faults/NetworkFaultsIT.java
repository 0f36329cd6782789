package dev.rcdrive.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.gst.GstAvailable;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.ReceivedFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.Coturn;
import dev.rcdrive.testing.ScriptedControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The car in a network namespace of its own, relay-only through coturn behind an impairment proxy
 * (see {@link FaultRig}), and faults on its link: a 4G-like link, a blackout, a handover, a
 * signaling outage, a driver killed. Needs root (namespaces); skipped with the reason otherwise,
 * but never in CI, where .ci/run runs as root.
 */
@Tag("slow")
class NetworkFaultsIT {

  static final int FAILSAFE_MS = 250;

  /** The car's control thread ticks every 10 ms; its status is polled every 1 ms. */
  static final int TICK_SLACK_MS = 40;

  private FaultRig rig;
  private RtcEngine engine;
  private DriverSession session;
  private ScriptedControl control;

  @BeforeEach
  void setUp() throws Exception {
    String reason = NetNs.unavailableReason();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(reason == null, reason);
      Assumptions.assumeTrue(Coturn.installed(), "coturn is not installed");
    }
    rig = FaultRig.start(42);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (control != null) {
      control.close();
    }
    if (session != null) {
      session.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void relayOnlyAcrossNamespacesAndAKilledDriverLeavesTheCarNeutralWithinFailsafe()
      throws Exception {
    NetNs driverNs = rig.newNamespace("drv");
    Child car = rig.startCar(120);
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.server().stats().onlineCars() == 1);
    Child driver = rig.startDriver(driverNs, 120);

    driver.await(
        "STATUS", s -> s.contains("car=ARMED") && framesOver(s, 60), 0, Duration.ofSeconds(40));
    Child.Event status = driver.latest("STATUS");
    assertThat(status.text()).contains("local=relay").contains("remote=relay");
    car.await(
        "STATE", s -> s.startsWith("ARMED") && !s.contains("thr=0.0 "), 0, Duration.ofSeconds(5));

    long killed = System.nanoTime();
    driver.kill();
    Child.Event failsafe =
        car.await("STATE", s -> s.startsWith("FAILSAFE"), killed, Duration.ofSeconds(5));
    double ms = (failsafe.nanos() - killed) / 1e6;
    report("driver SIGKILL -> car FAILSAFE: %.1f ms (%s)", ms, failsafe.text());
    assertThat(failsafe.text()).contains("thr=0.0");
    assertThat(ms).isLessThanOrEqualTo(FAILSAFE_MS + TICK_SLACK_MS);
  }

  @Test
  void aFourGLinkKeepsVideoAndControlFlowingWithTheRoundTripItEmulates() throws Exception {
    // 25 ms ± 10 ms each way on the car's leg: an emulated RTT of 50 ms ± 20 ms; 1 % loss each
    // way; 8 Mbit/s.
    rig.proxy().set(ImpairProxy.Impairment.lte(25, 10));
    Child car = rig.startCar(120);
    driveFromHere(car);
    long frames0 = session.status().framesReceived();
    long sent0 = control.framesSent();
    long rtt0 = session.rttSamples().count();
    long g2g0 = session.glassToGlassSamples().count();
    Thread.sleep(10_000); // the measuring window
    LinkStats stats = session.linkStats().get(5, TimeUnit.SECONDS);
    LinkStatus status = session.status();
    double fps = (status.framesReceived() - frames0) / 10.0;
    double rttP50 = session.rttSamples().percentile(50);
    double rttP99 = session.rttSamples().percentile(99);
    double g2gP50 = session.glassToGlassSamples().percentile(50);
    double g2gP99 = session.glassToGlassSamples().percentile(99);
    report(
        "4G link (25±10 ms each way, 1%% loss, 8 Mbit/s): %.1f fps 640x360, control %d frames"
            + " sent, RTT p50 %.1f p99 %.1f ms (%d samples), glass-to-glass p50 %.1f p99 %.1f ms"
            + " (%d), loss %.2f %%, proxy dropped %d of %d",
        fps,
        control.framesSent() - sent0,
        rttP50,
        rttP99,
        session.rttSamples().count() - rtt0,
        g2gP50,
        g2gP99,
        session.glassToGlassSamples().count() - g2g0,
        stats.lossPercent(),
        rig.proxy().dropped(),
        rig.proxy().forwarded());
    assertThat(stats.isRelayed()).as("relayed through the impaired TURN leg").isTrue();
    assertThat(fps).as("video keeps flowing").isGreaterThan(15);
    assertThat(session.rttSamples().count() - rtt0).as("controls keep flowing").isGreaterThan(100);
    assertThat(rttP50).as("RTT ≈ the emulated 50 ms").isBetween(45.0, 90.0);
    assertThat(status.carState()).isEqualTo(CarState.ARMED);
    assertThat(rig.proxy().dropped()).as("the loss is real").isGreaterThan(0);
    assertThat(g2gP50).as("glass-to-glass measured").isGreaterThan(25.0);
  }

  /**
   * A 4G uplink narrower than the rate the video starts at (800 kbit/s; 25 ± 10 ms each way, 1 %
   * loss, a 200 ms queue): the car's bitrate must come down to the link, or the queue fills and
   * every frame waits behind it. On both media paths — libwebrtc's congestion control on the
   * software path, the agent's {@code BitrateControl} driving the encoder on the hardware path —
   * the video keeps flowing and its delay does not grow.
   */
  @ParameterizedTest
  @EnumSource(
      value = AgentConfig.Encoder.class,
      names = {"SOFTWARE", "HARDWARE"})
  void aNarrow4GUplinkBringsTheBitrateDownAndTheDelayDoesNotGrow(AgentConfig.Encoder encoder)
      throws Exception {
    if (encoder == AgentConfig.Encoder.HARDWARE) {
      GstAvailable.assumeInstalled();
    }
    rig.proxy().set(new ImpairProxy.Impairment(1, 25, 10, 0, NARROW_UPLINK_KBPS, false));
    Child car = rig.startCar(120, encoder);
    FrameAges ages = new FrameAges();
    driveFromHere(car, ages);
    long start = System.nanoTime();
    long frames0 = session.status().framesReceived();
    long dropped0 = rig.proxy().dropped();
    LinkStats before = session.linkStats().get(5, TimeUnit.SECONDS);
    SenderStatsFrame sent0 = session.stageSample().get(5, TimeUnit.SECONDS).sender();
    Thread.sleep(20_000); // the measuring window: adapting, then settled
    double fps = (session.status().framesReceived() - frames0) / 20.0;
    double early = ages.p50(start + seconds(5), start + seconds(10));
    double late = ages.p50(start + seconds(15), start + seconds(20));
    LinkStats stats = session.linkStats().get(5, TimeUnit.SECONDS);
    SenderStatsFrame sent = session.stageSample().get(5, TimeUnit.SECONDS).sender();
    report(
        "narrow 4G uplink (%d kbit/s, 25±10 ms, 1%% loss), %s path: %.1f fps, glass-to-glass p50"
            + " %.0f ms at 5–10 s, %.0f ms at 15–20 s (p99 %.0f), proxy dropped %d; car encoded"
            + " %s frames, the station decoded %d and dropped %d, %d packets lost",
        NARROW_UPLINK_KBPS,
        encoder,
        fps,
        early,
        late,
        ages.p99(start + seconds(15), start + seconds(20)),
        rig.proxy().dropped() - dropped0,
        sent == null || sent0 == null ? "?" : sent.framesEncoded() - sent0.framesEncoded(),
        stats.framesDecoded() - before.framesDecoded(),
        stats.framesDropped() - before.framesDropped(),
        stats.packetsLost() - before.packetsLost());
    assertThat(stats.isRelayed()).as("relayed through the impaired TURN leg").isTrue();
    assertThat(stats.codec())
        .as("the path under test")
        .containsIgnoringCase(encoder == AgentConfig.Encoder.HARDWARE ? "H264" : "VP8");
    assertThat(fps).as("video keeps flowing").isGreaterThan(15);
    // A sender that stayed above the link keeps the 200 ms queue full: every frame ≥ 200 ms late
    // on top of the 25 ms path, and more late than early.
    assertThat(late).as("glass-to-glass p50 once settled, ms").isLessThan(150);
    assertThat(late).as("the delay does not grow").isLessThan(early + 40);
    assertThat(session.status().carState()).isEqualTo(CarState.ARMED);
  }

  static final int NARROW_UPLINK_KBPS = 800;

  private static long seconds(int s) {
    return TimeUnit.SECONDS.toNanos(s);
  }

  /** Each stamped frame's age on arrival, with when it arrived. */
  static final class FrameAges implements java.util.function.Consumer<ReceivedFrame> {
    private final List<long[]> arrivals = new ArrayList<>();

    @Override
    public synchronized void accept(ReceivedFrame frame) {
      FrameStamp stamp = frame.stamp();
      if (stamp != null) {
        long micros = Math.round(stamp.ageMillis(RenderedCamera.epochMicros()) * 1000);
        arrivals.add(new long[] {frame.receivedNanos(), micros});
      }
    }

    synchronized double p50(long from, long to) {
      return percentile(from, to, 50);
    }

    synchronized double p99(long from, long to) {
      return percentile(from, to, 99);
    }

    private double percentile(long from, long to, double p) {
      double[] window =
          arrivals.stream()
              .filter(a -> a[0] >= from && a[0] < to)
              .mapToDouble(a -> a[1] / 1000.0)
              .sorted()
              .toArray();
      if (window.length == 0) {
        return Double.NaN;
      }
      return window[(int) Math.min(window.length - 1, Math.floor(p / 100 * window.length))];
    }
  }

  /** How the blackout is made: the interface down, or every packet dropped by iptables. */
  enum Blackout {
    LINK_DOWN,
    IPTABLES_DROP
  }

  @ParameterizedTest
  @EnumSource(Blackout.class)
  void afterAFiveSecondBlackoutTheLinkComesBackByItselfAndTheCarWaitsToBeReArmed(Blackout how)
      throws Exception {
    Child car = rig.startCar(120);
    driveFromHere(car);

    // The link dies somewhere while the command runs (a process of its own, tens of ms on a busy
    // machine): between `down` and `downDone`.
    long down = System.nanoTime();
    if (how == Blackout.LINK_DOWN) {
      rig.carNs().linkDown(); // the cable pulled inside the car's namespace
    } else {
      rig.carNs().dropAll();
    }
    long downDone = System.nanoTime();
    Child.Event failsafe =
        car.await("STATE", s -> s.startsWith("FAILSAFE"), down, Duration.ofSeconds(5));
    double failsafeMs = (failsafe.nanos() - downDone) / 1e6;
    double failsafeMsAtMost = (failsafe.nanos() - down) / 1e6;
    Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - down) / 1_000_000));
    long framesBefore = session.status().framesReceived();
    long rttBefore = session.rttSamples().count();
    long up = System.nanoTime();
    if (how == Blackout.LINK_DOWN) {
      rig.carNs().linkUp();
    } else {
      rig.carNs().allowAll();
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> session.status().framesReceived() > framesBefore + 5);
    double videoBackMs = (System.nanoTime() - up) / 1e6;
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> session.rttSamples().count() > rttBefore + 5);
    double controlBackMs = (System.nanoTime() - up) / 1e6;
    report(
        "blackout 5 s (%s in the car's namespace): car FAILSAFE %.1f–%.1f ms after the link"
            + " died (%s);"
            + " after the link returned: video in %.0f ms, control round trips in %.0f ms",
        how, failsafeMs, failsafeMsAtMost, failsafe.text(), videoBackMs, controlBackMs);
    // Measured from the command's end, the latest the link can have died: a car that stopped
    // late by more than the command's own duration fails this.
    assertThat(failsafeMs).isLessThanOrEqualTo(FAILSAFE_MS + TICK_SLACK_MS);
    assertThat(failsafe.text()).contains("thr=0.0");
    assertThat(videoBackMs).as("video resumes by itself").isLessThan(3000);
    assertThat(controlBackMs).as("control resumes by itself").isLessThan(3000);

    // The driver still holds "armed": the car must not drive off by itself.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> session.status().carState() == CarState.FAILSAFE);
    assertThat(car.latest("STATE").text()).startsWith("FAILSAFE");
    arm(car);
    assertThat(session.status().carState()).isEqualTo(CarState.ARMED);
  }

  @Test
  void theSessionOutlivesASignalingServerKilledAndRestartedAndBothEndsReRegister()
      throws Exception {
    Child car = rig.startCar(120);
    driveFromHere(car);
    long outage = System.nanoTime();
    rig.stopServer();
    long frames = session.status().framesReceived();
    Thread.sleep(3000);
    assertThat(session.status().framesReceived())
        .as("video through the outage")
        .isGreaterThan(frames + 45);
    assertThat(session.status().carState()).isEqualTo(CarState.ARMED);

    rig.startServer(rig.port());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> rig.server().stats().onlineCars() == 1 && rig.server().stats().drivenCars() == 1);
    double back = (System.nanoTime() - outage) / 1e9;
    report("signaling killed for 3 s: both ends re-registered %.1f s after the kill", back);
    assertThat(car.events().stream().filter(e -> e.nanos() > outage))
        .as("the car was never in failsafe during the outage")
        .noneMatch(e -> e.kind().equals("STATE") && !e.text().startsWith("ARMED"));
    assertThat(session.status().phase()).isEqualTo(LinkStatus.Phase.CONNECTED);
  }

  /** Handovers per run: enough for a median and a spread, bounded (each well under 45 s). */
  static final int HANDOVERS = 3;

  @Test
  void aHandoverToANewAddressResumesTheSessionWithoutANewDriveRequest() throws Exception {
    Child car = rig.startCar(240);
    driveFromHere(car);
    double[] videoBack = new double[HANDOVERS];
    double[] controlBack = new double[HANDOVERS];
    for (int i = 0; i < HANDOVERS; i++) {
      long moved = System.nanoTime();
      var address = rig.carNs().changeAddress();
      Child.Event failsafe =
          car.await("STATE", s -> s.startsWith("FAILSAFE"), moved, Duration.ofSeconds(5));
      // Counted from here: frames still in flight when the address changed are not "back".
      long framesBefore = session.status().framesReceived();
      long rttBefore = session.rttSamples().count();
      // The car's signaling socket died with its old address; both ends probe signaling, the car
      // re-registers, and the driver's ICE restart (after ~1 s of silence) reaches it.
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> session.status().framesReceived() > framesBefore + 5);
      videoBack[i] = (System.nanoTime() - moved) / 1e6;
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> session.rttSamples().count() > rttBefore + 5);
      controlBack[i] = (System.nanoTime() - moved) / 1e6;
      report(
          "handover %d to %s: car FAILSAFE after %.0f ms, video back after %.0f ms, control"
              + " round trips after %.0f ms",
          i + 1,
          address.getHostAddress(),
          (failsafe.nanos() - moved) / 1e6,
          videoBack[i],
          controlBack[i]);
      // Back, but the driver still holds "armed": the car stays in failsafe until re-armed.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> session.status().carState() == CarState.FAILSAFE);
      arm(car);
      assertThat(session.status().carState()).isEqualTo(CarState.ARMED);
    }
    report(
        "handover x%d: video back median %.0f ms (min %.0f, max %.0f), control back median %.0f"
            + " ms (min %.0f, max %.0f)",
        HANDOVERS,
        median(videoBack),
        min(videoBack),
        max(videoBack),
        median(controlBack),
        min(controlBack),
        max(controlBack));
    // Issue 15's goal is a median of 3 s; 5 s leaves room for a busy machine, and ICE's own
    // timers (the ~10 s of before) fail it.
    assertThat(median(controlBack)).as("handover → control back, median ms").isLessThan(5000);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return java.util.Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return java.util.Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** A driver in this namespace (the station's DriverSession), armed and driving gently. */
  private void driveFromHere(Child car) throws Exception {
    driveFromHere(car, null);
  }

  /** As {@link #driveFromHere(Child)}, each decoded frame also handed to {@code frames}. */
  private void driveFromHere(Child car, java.util.function.Consumer<ReceivedFrame> frames)
      throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.server().stats().onlineCars() == 1);
    engine = RtcEngine.create();
    session =
        DriverSession.open(
            engine,
            rig.serverUri(),
            FaultRig.TOKEN,
            LinkOptions.defaults().withRelayOnly(true),
            frames == null ? null : frames::accept);
    session.ready().get(10, TimeUnit.SECONDS);
    control = new ScriptedControl(session); // the station's control loop: 50 Hz and on change
    session.drive(FaultRig.CAR).get(10, TimeUnit.SECONDS);
    session.firstFrame().get(30, TimeUnit.SECONDS);
    arm(car);
  }

  /** Disarmed first, then armed: arming needs the edge. */
  private void arm(Child car) throws Exception {
    long from = System.nanoTime();
    control.set(DriveIntent.NEUTRAL);
    Thread.sleep(300);
    control.set(new DriveIntent(0.2, 0.2, 0, true, false, 0));
    car.await("STATE", s -> s.startsWith("ARMED"), from, Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> session.status().carState() == CarState.ARMED);
  }

  private static boolean framesOver(String status, long count) {
    for (String field : status.split(" ")) {
      if (field.startsWith("frames=")) {
        return Long.parseLong(field.substring(7)) > count;
      }
    }
    return false;
  }

  static void report(String format, Object... args) {
    System.out.println("FAULTS " + String.format(Locale.ROOT, format, args));
  }
}
