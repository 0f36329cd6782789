package dev.rcdrive.rtc;

/**
 * One snapshot of a link's statistics (from RTCPeerConnection.getStats). Counters are totals since
 * the link started; a field is NaN or -1 when the stack did not report it.
 *
 * @param rttMs the selected candidate pair's current round trip time
 * @param localCandidateType host, srflx, prflx or relay ("" before a pair is selected)
 * @param remoteCandidateType the same for the remote side
 * @param framesDecoded video frames decoded (receiver)
 * @param framesDropped frames the receiver dropped
 * @param framesPerSecond decode rate as the stack reports it
 * @param frameWidth last decoded (or sent) frame width
 * @param frameHeight last decoded (or sent) frame height
 * @param bytesReceived video payload bytes received
 * @param bytesSent video payload bytes sent (sender)
 * @param framesEncoded frames encoded (sender)
 * @param packetsLost video packets lost (receiver)
 * @param packetsReceived video packets received
 * @param jitterMs interarrival jitter
 * @param jitterBufferDelayMs average time a frame spent in the jitter buffer
 * @param timestampMicros when the stack took the snapshot
 * @param codec the video codec in use, e.g. "video/VP8" ("" when unknown)
 * @param counters the cumulative timing counters behind the stage breakdown
 */
public record LinkStats(
    double rttMs,
    String localCandidateType,
    String remoteCandidateType,
    long framesDecoded,
    long framesDropped,
    double framesPerSecond,
    int frameWidth,
    int frameHeight,
    long bytesReceived,
    long bytesSent,
    long framesEncoded,
    long packetsLost,
    long packetsReceived,
    double jitterMs,
    double jitterBufferDelayMs,
    long timestampMicros,
    String codec,
    VideoCounters counters) {

  public static final LinkStats EMPTY =
      new LinkStats(
          Double.NaN,
          "",
          "",
          0,
          0,
          Double.NaN,
          -1,
          -1,
          0,
          0,
          0,
          0,
          0,
          Double.NaN,
          Double.NaN,
          0,
          "",
          VideoCounters.NONE);

  /** Lost packets as a share of all video packets, in percent (0 when none were expected). */
  public double lossPercent() {
    long expected = packetsLost + packetsReceived;
    return expected == 0 ? 0 : 100.0 * packetsLost / expected;
  }

  public boolean isRelayed() {
    return "relay".equals(localCandidateType) || "relay".equals(remoteCandidateType);
  }
}
