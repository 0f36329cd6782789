package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.onvoid.webrtc.RTCIceServer;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.TurnCredentials;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.Coturn;
import dev.rcdrive.testing.ScriptedControl;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drive request → first decoded frame, as the station sees it ({@code rcdrive probe} reports the
 * same figure): a car agent idles online (simulator camera running), a {@link DriverSession} is
 * authenticated, then the clock starts at {@code drive(car)} and stops when the first frame reaches
 * the session's sink. Each sample has a fresh agent and session, closed afterwards. Host
 * candidates, then relay-only through a real coturn on 127.0.0.1 with credentials the signaling
 * server mints (both peers forced to relay). Beside each ours sample, a raw reference: two plain
 * RTCPeerConnections, createOffer → first frame at the sink, with the same ICE setup.
 */
final class ConnectTimeBench {

  static final double GOAL_HOST_MS = 500;
  static final double GOAL_RELAY_MS = 1500;

  /**
   * @param startBitrateKbps the car's start bitrate, and the raw baseline's; the agent's default
   *     when not given
   */
  record Settings(
      int samples,
      int warmupSamples,
      LoopbackRig.Camera camera,
      List<String> modes,
      int startBitrateKbps) {
    static Settings from(BenchOptions options) {
      return new Settings(
          options.positiveInt("samples", 25),
          options.nonNegativeInt("warmupSamples", 2),
          new LoopbackRig.Camera(
              options.oneOf("scene", "arena", Scenes.NAMES),
              options.positiveInt("width", 1280),
              options.positiveInt("height", 720),
              options.positiveInt("fps", 30)),
          options.subsetOf("modes", List.of("host", "relay"), List.of("host", "relay")),
          options.nonNegativeInt(
              "startBitrate", new AgentConfig.Video(null, null, null).startBitrateKbps()));
    }
  }

  /** One connect, nanoseconds from the drive request (raw: from createOffer); 0 = not seen. */
  record Sample(long granted, long connected, long firstFrame, String candidates) {}

  /** The samples of one mode and path. */
  record Series(String mode, String path, List<Sample> samples, int failures) {
    Histogram histogram(java.util.function.ToLongFunction<Sample> which) {
      Histogram histogram = new Histogram(120_000_000_000L, 3);
      samples.stream().mapToLong(which).filter(v -> v > 0).forEach(histogram::recordValue);
      return histogram;
    }
  }

  private ConnectTimeBench() {}

  static boolean run(Settings settings) throws Exception {
    Md.progress(
        "connect: %s, %d samples (+%d warm-up) each, ours and raw alternating, camera %s",
        settings.modes(),
        settings.samples(),
        settings.warmupSamples(),
        settings.camera().describe());
    List<Series> series = new ArrayList<>();
    List<MachineLoad.Usage> loads = new ArrayList<>();
    for (String mode : settings.modes()) {
      boolean relay = mode.equals("relay");
      MachineLoad start = MachineLoad.sample();
      try (Coturn turn = relay ? Coturn.start("bench-secret-" + System.nanoTime()) : null;
          LoopbackRig rig = LoopbackRig.start(turn);
          RtcEngine engine = RtcEngine.create()) {
        List<Sample> ours = new ArrayList<>();
        List<Sample> raw = new ArrayList<>();
        int oursFailures = 0;
        int rawFailures = 0;
        for (int i = 0; i < settings.warmupSamples() + settings.samples(); i++) {
          boolean warm = i >= settings.warmupSamples();
          try {
            Sample sample = ours(rig, engine, settings, relay);
            if (warm) {
              ours.add(sample);
            }
            progress(mode, "ours", i, sample);
          } catch (Exception e) {
            oursFailures += warm ? 1 : 0;
            Md.progress("connect %s ours #%d failed: %s", mode, i, e);
          }
          try {
            Sample sample = raw(settings, turn);
            if (warm) {
              raw.add(sample);
            }
            progress(mode, "raw", i, sample);
          } catch (Exception e) {
            rawFailures += warm ? 1 : 0;
            Md.progress("connect %s raw #%d failed: %s", mode, i, e);
          }
        }
        series.add(new Series(mode, "ours", ours, oursFailures));
        series.add(new Series(mode, "raw", raw, rawFailures));
      }
      loads.add(MachineLoad.sample().since(start));
    }
    String markdown = report(settings, series, loads);
    System.out.println(markdown);
    Md.write("webrtc-connect.md", markdown);
    return series.stream().allMatch(s -> s.failures() == 0 && !s.samples().isEmpty());
  }

  private static void progress(String mode, String path, int index, Sample sample) {
    Md.progress(
        "connect %s %s #%d: granted %.0f ms, connected %.0f ms, first frame %.0f ms (%s)",
        mode,
        path,
        index,
        sample.granted() / 1e6,
        sample.connected() / 1e6,
        sample.firstFrame() / 1e6,
        sample.candidates());
  }

  private static Sample ours(LoopbackRig rig, RtcEngine engine, Settings settings, boolean relay)
      throws Exception {
    CarAgent agent =
        rig.startCar(engine, settings.camera(), 4000, 0, settings.startBitrateKbps(), relay, null);
    DriverSession session =
        DriverSession.open(
            engine,
            rig.uri(),
            LoopbackRig.DRIVER_TOKEN,
            LinkOptions.defaults().withRelayOnly(relay),
            null);
    ScriptedControl control = new ScriptedControl(session); // neutral heartbeats, as a station
    try {
      session.ready().get(10, TimeUnit.SECONDS);
      long[] granted = {0};
      long start = System.nanoTime();
      CompletableFuture<Void> drive = session.drive(LoopbackRig.CAR);
      drive.thenRun(() -> granted[0] = System.nanoTime());
      long connected = 0;
      long deadline = start + TimeUnit.SECONDS.toNanos(relay ? 20 : 15);
      while (!session.firstFrame().isDone() && System.nanoTime() < deadline) {
        if (connected == 0 && session.status().phase() == LinkStatus.Phase.CONNECTED) {
          connected = System.nanoTime();
        }
        LockSupport.parkNanos(500_000);
      }
      long first = session.firstFrame().get(1, TimeUnit.MILLISECONDS);
      LinkStats stats = session.linkStats().get(5, TimeUnit.SECONDS);
      return new Sample(
          granted[0] - start,
          connected == 0 ? 0 : connected - start,
          first - start,
          stats.localCandidateType() + "/" + stats.remoteCandidateType());
    } finally {
      control.close();
      session.close();
      agent.close();
      rig.awaitOnlineCars(0, Duration.ofSeconds(10));
    }
  }

  private static Sample raw(Settings settings, Coturn turn) throws Exception {
    List<RTCIceServer> ice = new ArrayList<>();
    if (turn != null) {
      TurnCredentials.Pair pair =
          TurnCredentials.mint(turn.secret(), "raw", Duration.ofMinutes(10), Instant.now());
      RTCIceServer server = new RTCIceServer();
      server.urls = List.of(turn.url());
      server.username = pair.username();
      server.password = pair.credential();
      ice.add(server);
    }
    CarModel model = new CarModel(CarModel.Spec.buggy());
    LoopbackRig.Camera cam = settings.camera();
    RenderedCamera camera =
        new RenderedCamera(
            "raw",
            cam.width(),
            cam.height(),
            cam.fps(),
            Scenes.painter(cam.scene(), model.spec().arenaHalfSizeM(), model::pose));
    RawPeers peers =
        new RawPeers(
            new RawPeers.Setup(
                true, "VP8", 4000, 0, 0, ice, turn != null, settings.startBitrateKbps()),
            new RawPeers.Listener() {});
    try {
      camera.start((image, captureNanos) -> peers.push(image));
      long start = System.nanoTime();
      peers.start();
      long first = peers.await(peers.firstFrame, turn != null ? 20_000 : 15_000);
      long connected = peers.connected.getNow(0L);
      var reports = peers.stats().get(5, TimeUnit.SECONDS);
      RtpStats stats = RtpStats.of(reports[0], reports[1]);
      return new Sample(
          0, connected == 0 ? 0 : connected - start, first - start, stats.candidates());
    } finally {
      camera.close();
      peers.close();
    }
  }

  static String report(Settings settings, List<Series> series, List<MachineLoad.Usage> loads) {
    StringBuilder md = new StringBuilder();
    md.append("### Connect time, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n")
        .append(
            f(
                "Machine: %s. %d samples per mode and path after %d warm-up; car camera %s,"
                    + " start bitrate %s."
                    + " Ours: drive request → first decoded frame at the station's sink. Raw:"
                    + " createOffer → first frame, two plain peer connections.%n%n",
                MachineLoad.machine(),
                settings.samples(),
                settings.warmupSamples(),
                settings.camera().describe(),
                settings.startBitrateKbps() == 0
                    ? "libwebrtc's (300 kbps)"
                    : settings.startBitrateKbps() + " kbps"))
        .append(
            "| Mode | Path | Samples (failed) | p50 | p90 | p99 | max | granted p50 | connected"
                + " p50 | pairs seen |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Series s : series) {
      Histogram first = s.histogram(Sample::firstFrame);
      Histogram granted = s.histogram(Sample::granted);
      Histogram connected = s.histogram(Sample::connected);
      String pairs =
          String.join(
              ", ", s.samples().stream().map(Sample::candidates).distinct().sorted().toList());
      md.append(
          f(
              "| %s | %s | %d (%d) | %.0f | %.0f | %.0f | %.0f | %s | %.0f | %s |%n",
              s.mode(),
              s.path(),
              s.samples().size(),
              s.failures(),
              Md.p50(first),
              Md.ms(first, 90),
              Md.p99(first),
              first.getTotalCount() == 0 ? Double.NaN : first.getMaxValue() / 1e6,
              granted.getTotalCount() == 0 ? "–" : f("%.1f", Md.p50(granted)),
              Md.p50(connected),
              pairs));
    }
    md.append("\nGoals (judged at p99, from drive request): ");
    List<String> verdicts = new ArrayList<>();
    for (Series s : series) {
      if (!s.path().equals("ours")) {
        continue;
      }
      double goal = s.mode().equals("relay") ? GOAL_RELAY_MS : GOAL_HOST_MS;
      double p99 = Md.p99(s.histogram(Sample::firstFrame));
      boolean met = p99 < goal && s.failures() == 0;
      verdicts.add(
          f("%s < %.0f ms **%s** (p99 %.0f ms)", s.mode(), goal, met ? "met" : "missed", p99));
    }
    md.append(String.join("; ", verdicts)).append(".\n\nLoad per mode: ");
    for (int i = 0; i < loads.size(); i++) {
      md.append(settings.modes().get(i)).append(": ").append(loads.get(i).describe()).append(". ");
    }
    md.append("\n");
    return md.toString();
  }
}
