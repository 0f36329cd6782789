package dev.rcdrive.station.app;

import dev.rcdrive.station.hud.HudModel;
import dev.rcdrive.station.link.Samples;
import dev.rcdrive.station.link.StageBreakdown;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.station.video.VideoView;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * {@code rcdrive station --self-test N}: times the frames the window shows, prints one line with
 * what it measured once N were shown (or after 60 s without them: failed), and closes the window
 * the way a user would. The installer check, the tests and the station benchmark read that line.
 */
final class SelfTest {

  private static volatile boolean passed;

  private final int frames;
  private final Stage stage;
  private final VideoView video;
  private final LatestFrame latest;
  private final Supplier<StageBreakdown.Stages> wholeRun;
  private final Runnable beforeClosing;
  private final Samples sinkToScreen = new Samples(10_000);
  private final Samples glassToScreen = new Samples(10_000);
  private long firstFrameCpuNanos = -1;
  private long firstFrameEpochMillis;
  private long firstFrameWallNanos;

  /**
   * @param wholeRun the stage breakdown over the run so far (null before two samples)
   * @param beforeClosing what closing the window does first (neutral, disarmed)
   */
  SelfTest(
      int frames,
      Stage stage,
      VideoView video,
      LatestFrame latest,
      Supplier<StageBreakdown.Stages> wholeRun,
      Runnable beforeClosing) {
    this.frames = frames;
    this.stage = stage;
    this.video = video;
    this.latest = latest;
    this.wholeRun = wholeRun;
    this.beforeClosing = beforeClosing;
  }

  /** After a run: whether enough frames were shown. */
  static boolean passed() {
    return passed;
  }

  /** On the FX thread, before the video view starts; the window tells it {@link #shown}. */
  void start() {
    PauseTransition deadline = new PauseTransition(Duration.seconds(60));
    deadline.setOnFinished(e -> finish(false));
    deadline.play();
  }

  /** FX thread: the video view showed a frame. */
  void shown(long sinkToScreenNanos, long swapNanos, LatestFrame.Frame frame) {
    if (video.framesShown() == 1) {
      firstFrameEpochMillis = System.currentTimeMillis();
      firstFrameCpuNanos = processCpuNanos();
      firstFrameWallNanos = System.nanoTime();
    }
    sinkToScreen.add(sinkToScreenNanos / 1e6);
    if (!Double.isNaN(frame.ageAtDecodeMillis())) {
      glassToScreen.add(frame.ageAtDecodeMillis() + sinkToScreenNanos / 1e6);
    }
    if (video.framesShown() == frames) {
      finish(true);
    }
  }

  /** Reports what was measured and closes the window the way a user would. */
  private void finish(boolean ok) {
    if (!stage.isShowing()) {
      return;
    }
    passed = ok;
    double cpuPercent =
        firstFrameCpuNanos < 0 || processCpuNanos() < 0
            ? Double.NaN
            : (processCpuNanos() - firstFrameCpuNanos)
                * 100.0
                / (System.nanoTime() - firstFrameWallNanos);
    System.out.printf(
        Locale.ROOT,
        "self-test %s: %d frames shown; sink to screen p50 %.2f ms, p99 %.2f ms; capture to screen"
            + " p50 %.1f ms, p99 %.1f ms; %d frames replaced before shown; process CPU %.0f %% of"
            + " a core while showing video; first frame at epoch ms %d, %d ms after the JVM"
            + " started%n",
        ok ? "passed" : "FAILED (no video within 60 s)",
        video.framesShown(),
        sinkToScreen.percentile(50),
        sinkToScreen.percentile(99),
        glassToScreen.percentile(50),
        glassToScreen.percentile(99),
        latest.dropped(),
        cpuPercent,
        firstFrameEpochMillis,
        firstFrameEpochMillis - ManagementFactory.getRuntimeMXBean().getStartTime());
    // The breakdown over the run (from the first second with video), one line.
    StageBreakdown.Stages whole = wholeRun.get();
    System.out.println(
        "self-test stages: "
            + (whole == null
                ? "-"
                : String.join("; ", HudModel.stagesText(whole).strip().split("\\R"))));
    // Where the window is, as a window manager left it (installer tests check it fits).
    javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getBounds();
    System.out.printf(
        Locale.ROOT,
        "self-test window: %.0fx%.0f at %.0f,%.0f on a %.0fx%.0f screen%n",
        stage.getWidth(),
        stage.getHeight(),
        stage.getX(),
        stage.getY(),
        screen.getWidth(),
        screen.getHeight());
    System.out.flush();
    beforeClosing.run(); // as a closing window does: neutral, then disarmed
    stage.close();
  }

  /** CPU time of this whole process (all threads), or -1 where the JVM can't tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
