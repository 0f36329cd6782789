package dev.rcdrive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.station.link.Samples;
import dev.rcdrive.station.link.StageBreakdown;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rcdrive probe}: connects to a car as a driver without arming it, measures the link for a
 * while, releases the car and reports. What a user runs to see whether their 4G and TURN setup is
 * good enough to drive.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Check the link to a car without driving it: connect, measure video and the control round"
          + " trip, release the car, report.",
      "Exit codes: 0 connected and video flowed; 3 credentials refused; 4 car unknown, offline or"
          + " busy; 5 no connection (signaling unreachable or ICE failed); 6 no video; 2 usage."
    },
    sortOptions = false)
final class ProbeCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int AUTH_REFUSED = 3;
  static final int CAR_UNAVAILABLE = 4;
  static final int NO_CONNECTION = 5;
  static final int NO_VIDEO = 6;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "Signaling server, ws:// or wss://.")
  URI server;

  @Option(names = "--car", required = true, paramLabel = "ID", description = "The car to probe.")
  String car;

  @Option(
      names = "--token",
      required = true,
      paramLabel = "TOKEN",
      description = "Driver token (or env:NAME).")
  String token;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "10",
      description = "How long to measure (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--relay-only",
      description = "Use TURN relay candidates only (tests the TURN path).")
  boolean relayOnly;

  @Option(
      names = "--codec",
      paramLabel = "CODEC",
      defaultValue = "VP8",
      description = "Video codec to ask for: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  VideoCodec codec;

  @Option(
      names = "--json",
      description = "Print exactly one JSON object instead of the text report.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 3600) {
      spec.commandLine().getErr().println("rcdrive probe: --seconds must be 1-3600");
      return 2;
    }
    String credential = token.startsWith("env:") ? System.getenv(token.substring(4)) : token;
    Map<String, Object> report = new LinkedHashMap<>();
    int exit;
    try (RtcEngine engine = RtcEngine.create()) {
      exit = probe(engine, credential == null ? "" : credential, report);
    }
    print(report);
    return exit;
  }

  private int probe(RtcEngine engine, String credential, Map<String, Object> report)
      throws Exception {
    report.put("connected", false);
    report.put("car", car);
    LinkOptions options = LinkOptions.defaults().withRelayOnly(relayOnly).withCodec(codec);
    try (DriverSession session = DriverSession.open(engine, server, credential, options, null)) {
      // Neutral, disarmed heartbeats: the car echoes them, which gives the control round trip.
      ControlLoop heartbeats = ControlLoop.start(() -> DriveIntent.NEUTRAL, session::sendControl);
      try {
        return measure(session, report);
      } finally {
        heartbeats.close(); // its last frame goes out while the link is still up
      }
    }
  }

  private int measure(DriverSession session, Map<String, Object> report) throws Exception {
    try {
      session.ready().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      int exit = isAuthRefusal(e.getCause()) ? AUTH_REFUSED : NO_CONNECTION;
      return fail(report, exit, "signaling refused: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      return fail(report, NO_CONNECTION, "cannot reach the signaling server at " + server);
    }
    long requested = System.nanoTime();
    try {
      session.drive(car).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return fail(report, CAR_UNAVAILABLE, e.getCause().getMessage());
    } catch (TimeoutException e) {
      return fail(report, NO_CONNECTION, "no answer to the drive request");
    }
    long firstFrame;
    try {
      firstFrame = session.firstFrame().get(relayOnly ? 20 : 15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LinkStatus status = session.status();
      boolean connected = status.phase() == LinkStatus.Phase.CONNECTED;
      return fail(
          report,
          connected ? NO_VIDEO : NO_CONNECTION,
          connected ? "connected, but no video arrived" : "no connection: " + status.detail());
    }
    report.put("connected", true);
    report.put("connectMs", round((firstFrame - requested) / 1e6));
    // The car's first sender counters arrive about a second after the video does.
    awaitSenderStats(session);
    long framesBefore = session.status().framesReceived();
    StageBreakdown.Sample first = session.stageSample().get(5, TimeUnit.SECONDS);
    long start = System.nanoTime();
    TimeUnit.SECONDS.sleep(seconds); // the measuring window
    double elapsed = (System.nanoTime() - start) / 1e9;
    StageBreakdown.Sample last = session.stageSample().get(5, TimeUnit.SECONDS);
    LinkStats stats = session.linkStats().get(5, TimeUnit.SECONDS);
    LinkStatus status = session.status();
    long frames = status.framesReceived();
    report.put("candidateType", stats.isRelayed() ? "relay" : stats.localCandidateType());
    report.put("remoteCandidateType", stats.remoteCandidateType());
    report.put("frames", frames);
    report.put("fps", round((frames - framesBefore) / elapsed));
    report.put("width", status.width());
    // What the car sends, as negotiated ("H264" from a car on the hardware path, whatever asked).
    report.put("codec", stats.codec().replaceFirst("(?i)^video/", ""));
    report.put("height", status.height());
    report.put("rttMs", percentiles(session.rttSamples()));
    report.put(
        "glassToGlassMs",
        session.glassToGlassSamples().count() == 0
            ? null
            : percentiles(session.glassToGlassSamples()));
    report.put("stages", StageBreakdown.between(first, last).asMap());
    report.put("lossPct", round(stats.lossPercent()));
    report.put("jitterMs", round(stats.jitterMs()));
    report.put("bitrateKbps", round(status.bitrateKbps()));
    report.put("carState", status.carState() == null ? null : status.carState().name());
    report.put("error", null);
    if (frames == framesBefore) {
      report.put("error", "video stopped during the measurement");
      return NO_VIDEO;
    }
    return OK;
  }

  /** Up to 2.5 s for the car's first sender counters (an older car sends none: then go on). */
  private static void awaitSenderStats(DriverSession session) throws InterruptedException {
    long deadline = System.nanoTime() + 2_500_000_000L;
    while (!session.hasSenderStats() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static boolean isAuthRefusal(Throwable cause) {
    return cause instanceof DriverSession.DriveRefused refused
        && (refused.code().equals("AUTH_FAILED")
            || String.valueOf(refused.getMessage()).startsWith("AUTH_FAILED"));
  }

  private static int fail(Map<String, Object> report, int exit, String error) {
    report.put("error", error);
    return exit;
  }

  private static Map<String, Object> percentiles(Samples samples) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("p50", round(samples.percentile(50)));
    p.put("p99", round(samples.percentile(99)));
    p.put("samples", samples.count());
    return p;
  }

  private static Double round(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
  }

  private void print(Map<String, Object> report) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report));
    } else {
      out.println("rcdrive probe: car " + car + " via " + server);
      for (Map.Entry<String, Object> entry : report.entrySet()) {
        out.println(
            "  " + entry.getKey() + ": " + (entry.getValue() == null ? "-" : entry.getValue()));
      }
    }
    out.flush();
  }
}
