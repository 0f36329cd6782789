package dev.rcdrive.rtc;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.Map;

/** Turns libwebrtc's stats report (a map of typed attribute maps) into one {@link LinkStats}. */
final class StatsReader {
  private StatsReader() {}

  static LinkStats read(RTCStatsReport report) {
    Map<String, RTCStats> stats = report.getStats();
    RTCStats pair = selectedPair(stats);
    double rttMs = Double.NaN;
    String localType = "";
    String remoteType = "";
    if (pair != null) {
      rttMs = number(pair, "currentRoundTripTime", Double.NaN) * 1000;
      localType = candidateType(stats, pair, "localCandidateId");
      remoteType = candidateType(stats, pair, "remoteCandidateId");
    }
    RTCStats inbound = video(stats, RTCStatsType.INBOUND_RTP);
    RTCStats outbound = video(stats, RTCStatsType.OUTBOUND_RTP);
    RTCStats frames = inbound != null ? inbound : outbound;
    double jitterBufferDelayMs = Double.NaN;
    if (inbound != null) {
      double emitted = number(inbound, "jitterBufferEmittedCount", 0);
      if (emitted > 0) {
        jitterBufferDelayMs = number(inbound, "jitterBufferDelay", 0) / emitted * 1000;
      }
    }
    return new LinkStats(
        rttMs,
        localType,
        remoteType,
        (long) number(inbound, "framesDecoded", 0),
        (long) number(inbound, "framesDropped", 0),
        number(frames, "framesPerSecond", Double.NaN),
        (int) number(frames, "frameWidth", -1),
        (int) number(frames, "frameHeight", -1),
        (long) number(inbound, "bytesReceived", 0),
        (long) number(outbound, "bytesSent", 0),
        (long) number(outbound, "framesEncoded", 0),
        (long) number(inbound, "packetsLost", 0),
        (long) number(inbound, "packetsReceived", 0),
        number(inbound, "jitter", Double.NaN) * 1000,
        jitterBufferDelayMs,
        report.getTimestamp(),
        codec(stats, frames),
        counters(outbound, inbound));
  }

  private static VideoCounters counters(RTCStats outbound, RTCStats inbound) {
    return new VideoCounters(
        (long) number(outbound, "framesEncoded", 0),
        number(outbound, "totalEncodeTime", 0),
        (long) number(outbound, "packetsSent", 0),
        number(outbound, "totalPacketSendDelay", 0),
        (long) number(inbound, "framesDecoded", 0),
        number(inbound, "totalDecodeTime", 0),
        (long) number(inbound, "jitterBufferEmittedCount", 0),
        number(inbound, "jitterBufferDelay", 0),
        number(inbound, "jitterBufferTargetDelay", 0),
        number(inbound, "jitterBufferMinimumDelay", 0),
        number(inbound, "totalProcessingDelay", 0),
        number(inbound, "totalAssemblyTime", 0),
        (long) number(inbound, "framesAssembledFromMultiplePackets", 0));
  }

  /** The transport's selected pair, else a nominated succeeded one. */
  private static RTCStats selectedPair(Map<String, RTCStats> stats) {
    for (RTCStats s : stats.values()) {
      if (s.getType() == RTCStatsType.TRANSPORT) {
        Object id = s.getAttributes().get("selectedCandidatePairId");
        if (id != null && stats.containsKey(id.toString())) {
          return stats.get(id.toString());
        }
      }
    }
    for (RTCStats s : stats.values()) {
      if (s.getType() == RTCStatsType.CANDIDATE_PAIR
          && Boolean.TRUE.equals(s.getAttributes().get("nominated"))
          && "succeeded".equals(String.valueOf(s.getAttributes().get("state")))) {
        return s;
      }
    }
    return null;
  }

  private static String candidateType(Map<String, RTCStats> stats, RTCStats pair, String key) {
    Object id = pair.getAttributes().get(key);
    RTCStats candidate = id == null ? null : stats.get(id.toString());
    Object type = candidate == null ? null : candidate.getAttributes().get("candidateType");
    return type == null ? "" : type.toString();
  }

  private static String codec(Map<String, RTCStats> stats, RTCStats rtp) {
    Object id = rtp == null ? null : rtp.getAttributes().get("codecId");
    RTCStats codec = id == null ? null : stats.get(id.toString());
    Object mime = codec == null ? null : codec.getAttributes().get("mimeType");
    return mime == null ? "" : mime.toString();
  }

  private static RTCStats video(Map<String, RTCStats> stats, RTCStatsType type) {
    for (RTCStats s : stats.values()) {
      if (s.getType() == type && "video".equals(String.valueOf(s.getAttributes().get("kind")))) {
        return s;
      }
    }
    return null;
  }

  private static double number(RTCStats stats, String key, double fallback) {
    if (stats == null) {
      return fallback;
    }
    Object value = stats.getAttributes().get(key);
    return value instanceof Number n ? n.doubleValue() : fallback;
  }
}
