package dev.rcdrive.gst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.faults.ImpairProxy;
import dev.rcdrive.faults.ImpairProxy.Impairment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The estimate against NetworkFaultsIT's narrow uplink in simulated time, through the impairment
 * proxy's own link model ({@link ImpairProxy.Direction}: a bottleneck that serializes at 800 kbit/s
 * behind its queue, 25 ms plus ±10 ms of jitter that keeps the order, 1 % loss), and a car sending
 * 30 frames a second, each frame's packets in one burst, as webrtcbin sends them.
 */
class QueueDelayTest {

  private static final int LINK_KBPS = 800;

  /** A car, its link and the estimate, in simulated time; the estimate read at every frame. */
  private static final class Uplink {
    /** NetworkFaultsIT's narrow uplink: 1 % loss, 25 ± 10 ms, 800 kbit/s. */
    private volatile Impairment link = new Impairment(1, 25, 10, 0, LINK_KBPS, false);

    private final ImpairProxy.Direction direction =
        new ImpairProxy.Direction(new Random(7), () -> link);
    private final QueueDelay estimate = new QueueDelay();
    private final List<Double> estimates = new ArrayList<>();
    private final List<Double> trueQueues = new ArrayList<>();
    private long nowNanos = TimeUnit.SECONDS.toNanos(100);
    private int frames;

    /**
     * Sends {@code seconds} of video at {@code kbps}, a keyframe of {@code keyFactor}× every 2 s.
     */
    Uplink send(double seconds, int kbps, double keyFactor) {
      long frameNanos = TimeUnit.SECONDS.toNanos(1) / 30;
      for (int i = 0; i < seconds * 30; i++, frames++) {
        double factor = frames % 60 == 0 ? keyFactor : 1;
        int frameBytes = (int) (kbps * 1000 / 8 / 30 * factor);
        long sent = nowNanos;
        trueQueues.add(direction.queuedNanos(sent) / 1e6);
        for (int left = frameBytes; left > 0; left -= 1200) {
          int bytes = Math.min(1200, left);
          long due = direction.schedule(bytes, sent);
          if (due >= 0) {
            // The driver's clock is an hour off the car's: only differences count.
            estimate.onPacket(sent, due + TimeUnit.HOURS.toNanos(1), bytes);
          }
          sent += 50_000; // a frame's packets leave 50 µs apart
        }
        estimates.add(estimate.queueMillis());
        nowNanos += frameNanos;
      }
      return this;
    }

    double highest(int fromFrame) {
      return estimates.subList(fromFrame, estimates.size()).stream()
          .mapToDouble(Double::doubleValue)
          .filter(d -> !Double.isNaN(d))
          .max()
          .orElse(Double.NaN);
    }

    /** The first frame from {@code fromFrame} on whose estimate is above {@code millis}; -1. */
    int firstAbove(double millis, int fromFrame) {
      for (int i = fromFrame; i < estimates.size(); i++) {
        if (estimates.get(i) > millis) {
          return i;
        }
      }
      return -1;
    }
  }

  @Test
  void belowTheLinkThereIsNoQueueDespiteTheJitter() {
    Uplink uplink = new Uplink().send(60, 640, 1);
    // Never as high as the queue that holds BitrateControl's rises back.
    assertThat(uplink.highest(30))
        .as("ms of queue seen, at most")
        .isLessThan(BitrateControl.QUEUE_CLEAR_MILLIS);
    assertThat(uplink.estimate.arrivedKbps())
        .as("what arrives is what was sent")
        .isBetween(600.0, 680.0);
  }

  @Test
  void keyframesAndTheFramesQueuedBehindThemAreNoQueueOnceTheyClear() {
    // A keyframe five times a frame every 2 s: 125 ms of the link, and the frames behind it wait.
    Uplink uplink = new Uplink().send(60, 600, 5);
    assertThat(uplink.trueQueues.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("the frames after a keyframe do wait")
        .isGreaterThan(80);
    // Well below the queue BitrateControl cuts at: what clears within half a second is not one.
    assertThat(uplink.highest(30)).as("ms of queue seen, at most").isLessThan(20);
  }

  @Test
  void aCarAFewPerCentAboveTheLinkShowsAQueueWithinASecondAndAHalf() {
    Uplink uplink = new Uplink().send(10, 640, 1);
    int start = uplink.estimates.size();
    uplink.send(10, 840, 1); // 5 % above the link: its queue grows 50 ms a second
    int seen = uplink.firstAbove(25, start);
    assertThat(seen).as("a queue of 25 ms seen").isPositive();
    assertThat((seen - start) / 30.0).as("seconds until then").isLessThan(1.5);
    assertThat(uplink.trueQueues.get(seen)).as("the true queue by then, ms").isLessThan(80);
    assertThat(uplink.estimate.arrivedKbps()).as("the link's rate").isBetween(760.0, 840.0);
  }

  @Test
  void theEstimateFollowsTheQueueDownAsItDrains() {
    Uplink uplink = new Uplink().send(5, 640, 1).send(3, 1000, 1);
    double built = uplink.estimate.queueMillis();
    assertThat(built).as("a queue built").isGreaterThan(80);
    uplink.send(0.5, 480, 1);
    double draining = uplink.estimate.queueMillis();
    assertThat(draining).as("draining").isLessThan(built);
    uplink.send(5, 480, 1);
    assertThat(uplink.estimate.queueMillis())
        .as("drained")
        .isLessThan(BitrateControl.QUEUE_CLEAR_MILLIS);
  }

  @Test
  void aSlowerPathReadsAsAQueueOnlyUntilTheBaseForgetsTheFasterOne() {
    Uplink uplink = new Uplink().send(5, 640, 1);
    uplink.link = new Impairment(1, 65, 10, 0, LINK_KBPS, false); // a handover: 40 ms more
    uplink.send(3, 640, 1);
    assertThat(uplink.estimate.queueMillis()).isGreaterThan(30);
    uplink.send(10, 640, 1);
    assertThat(uplink.estimate.queueMillis()).isLessThan(BitrateControl.QUEUE_CLEAR_MILLIS);
  }

  @Test
  void nothingIsSaidBeforeHalfASecondOfPackets() {
    QueueDelay estimate = new QueueDelay();
    estimate.onPacket(0, 20_000_000L, 1000);
    estimate.onPacket(33_000_000L, 400_000_000L, 1000);
    assertThat(estimate.queueMillis()).isNaN();
    estimate.onPacket(66_000_000L, 600_000_000L, 1000);
    // The lowest of the last 500 ms (367 ms, the second packet) above the lowest of all (20 ms).
    assertThat(estimate.queueMillis()).isEqualTo(347.0);
  }
}
