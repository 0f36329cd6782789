package dev.rcdrive.bench;

import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Relayed ICE candidates used as latency probes. Each candidate string carries the {@link
 * System#nanoTime()} at which it was meant to be sent and the one at which it was sent; sender and
 * receiver live in this JVM, so the clocks agree. Latency is measured from the <em>intended</em>
 * time: were the sender (or the machine) to stall, the messages due meanwhile count the stall
 * instead of hiding it (no coordinated omission). Latency from the actual send time is kept beside
 * it to show how much the load generator itself adds.
 */
final class RelayProbe {

  /** A host candidate of realistic length; the probe's timestamps follow the marker. */
  private static final String CANDIDATE_TEXT =
      "candidate:1467250027 1 udp 2122260223 127.0.0.1 46243 typ host generation 0 ufrag rcbn";

  private static final String MARKER = " rcbench ";

  private final Histogram fromIntended = new ConcurrentHistogram(3);
  private final Histogram fromSent = new ConcurrentHistogram(3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder sentMeasured = new LongAdder();
  private final LongAdder receivedMeasured = new LongAdder();
  private final LongAdder misrouted = new LongAdder();
  private final LongAdder malformed = new LongAdder();

  /** Messages meant to be sent before this time are warm-up: counted, but not in the histograms. */
  private volatile long measureFrom = Long.MAX_VALUE;

  void measureFrom(long nanoTime) {
    measureFrom = nanoTime;
  }

  /** The {@code candidate} message to send; call just before sending it. */
  String message(long intendedAt, long sentAt) {
    sent.increment();
    if (intendedAt >= measureFrom) {
      sentMeasured.increment();
    }
    String candidate = CANDIDATE_TEXT + MARKER + intendedAt + " " + sentAt;
    return SignalCodec.encode(new Candidate(candidate, "0", 0));
  }

  /**
   * A candidate arrived at {@code receivedAt}; it should come from the peer {@code expectedFrom}.
   */
  void received(Candidate candidate, String expectedFrom, long receivedAt) {
    received.increment();
    if (!candidate.from().equals(expectedFrom)) {
      misrouted.increment();
    }
    String text = candidate.candidate();
    int marker = text.lastIndexOf(MARKER);
    String[] times =
        marker < 0 ? new String[0] : text.substring(marker + MARKER.length()).split(" ");
    if (times.length != 2) {
      malformed.increment();
      return;
    }
    long intendedAt = Long.parseLong(times[0]);
    long sentAt = Long.parseLong(times[1]);
    if (intendedAt >= measureFrom) {
      receivedMeasured.increment();
      fromIntended.recordValue(receivedAt - intendedAt);
      fromSent.recordValue(receivedAt - sentAt);
    }
  }

  long sent() {
    return sent.sum();
  }

  long received() {
    return received.sum();
  }

  /** Read once the relay has drained; histograms are copied so later stragglers do not skew it. */
  Summary summary() {
    return new Summary(
        sent.sum(),
        received.sum(),
        sentMeasured.sum(),
        receivedMeasured.sum(),
        misrouted.sum(),
        malformed.sum(),
        fromIntended.copy(),
        fromSent.copy());
  }

  /** Counts and latencies (nanoseconds) of one run. */
  record Summary(
      long sent,
      long received,
      long sentMeasured,
      long receivedMeasured,
      long misrouted,
      long malformed,
      Histogram fromIntended,
      Histogram fromSent) {

    long lost() {
      return sent - received;
    }
  }
}
