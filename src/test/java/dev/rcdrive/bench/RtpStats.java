package dev.rcdrive.bench;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.Locale;
import java.util.Map;

/**
 * The video figures of both ends of a link from libwebrtc's stats: the sender's (encoder, pacer)
 * and the receiver's (jitter buffer, decoder). Counters are totals; {@link #since} turns two
 * snapshots into the figures of the window between them, which say where a frame's time goes on
 * average and where frames vanish (source → encoder → network → decoder).
 */
record RtpStats(
    long timestampMicros,
    // sender
    double sourceFrames,
    double framesEncoded,
    double framesSent,
    double keyFramesEncoded,
    double hugeFramesSent,
    double totalEncodeTime,
    double totalPacketSendDelay,
    double packetsSent,
    double bytesSent,
    double qpSum,
    double targetBitrate,
    String qualityLimitationReason,
    double limitedByCpu,
    double limitedByBandwidth,
    double limitedByOther,
    String encoder,
    String sentSize,
    double availableOutgoingBitrate,
    double nacksReceived,
    double plisReceived,
    double retransmittedPacketsSent,
    // receiver
    String codec,
    String decoder,
    String receivedSize,
    double framesReceived,
    double framesDecoded,
    double framesDropped,
    double keyFramesDecoded,
    double totalDecodeTime,
    double jitterBufferDelay,
    double jitterBufferTargetDelay,
    double jitterBufferEmittedCount,
    double totalProcessingDelay,
    double totalAssemblyTime,
    double framesAssembled,
    double packetsLost,
    double packetsReceived,
    double freezeCount,
    double totalFreezesDuration,
    double bytesReceived,
    String candidates) {

  /** Reads the receiving (driver) and sending (car) reports of one link. */
  static RtpStats of(RTCStatsReport receiverReport, RTCStatsReport senderReport) {
    Map<String, RTCStats> rx = receiverReport.getStats();
    Map<String, RTCStats> tx = senderReport.getStats();
    RTCStats in = video(rx, RTCStatsType.INBOUND_RTP);
    RTCStats out = video(tx, RTCStatsType.OUTBOUND_RTP);
    RTCStats source = video(tx, RTCStatsType.MEDIA_SOURCE);
    RTCStats txPair = selectedPair(tx);
    RTCStats rxPair = selectedPair(rx);
    Object durations = out == null ? null : out.getAttributes().get("qualityLimitationDurations");
    Map<?, ?> limited = durations instanceof Map<?, ?> map ? map : Map.of();
    return new RtpStats(
        receiverReport.getTimestamp(),
        number(source, "frames"),
        number(out, "framesEncoded"),
        number(out, "framesSent"),
        number(out, "keyFramesEncoded"),
        number(out, "hugeFramesSent"),
        number(out, "totalEncodeTime"),
        number(out, "totalPacketSendDelay"),
        number(out, "packetsSent"),
        number(out, "bytesSent"),
        number(out, "qpSum"),
        number(out, "targetBitrate"),
        text(out, "qualityLimitationReason"),
        value(limited.get("cpu")),
        value(limited.get("bandwidth")),
        value(limited.get("other")),
        text(out, "encoderImplementation"),
        size(out),
        number(txPair, "availableOutgoingBitrate"),
        number(out, "nackCount"),
        number(out, "pliCount"),
        number(out, "retransmittedPacketsSent"),
        codec(rx, in),
        text(in, "decoderImplementation"),
        size(in),
        number(in, "framesReceived"),
        number(in, "framesDecoded"),
        number(in, "framesDropped"),
        number(in, "keyFramesDecoded"),
        number(in, "totalDecodeTime"),
        number(in, "jitterBufferDelay"),
        number(in, "jitterBufferTargetDelay"),
        number(in, "jitterBufferEmittedCount"),
        number(in, "totalProcessingDelay"),
        number(in, "totalAssemblyTime"),
        number(in, "framesAssembledFromMultiplePackets"),
        number(in, "packetsLost"),
        number(in, "packetsReceived"),
        number(in, "freezeCount"),
        number(in, "totalFreezesDuration"),
        number(in, "bytesReceived"),
        candidateTypes(rx, rxPair));
  }

  /** The window's figures: counters as differences, gauges as they are now. */
  Window since(RtpStats start) {
    double seconds = (timestampMicros - start.timestampMicros) / 1e6;
    double encoded = framesEncoded - start.framesEncoded;
    double decoded = framesDecoded - start.framesDecoded;
    double emitted = jitterBufferEmittedCount - start.jitterBufferEmittedCount;
    double packets = packetsSent - start.packetsSent;
    double assembled = framesAssembled - start.framesAssembled;
    return new Window(
        seconds,
        codec,
        encoder,
        decoder,
        sentSize,
        receivedSize,
        sourceFrames - start.sourceFrames,
        encoded,
        framesSent - start.framesSent,
        framesReceived - start.framesReceived,
        decoded,
        framesDropped - start.framesDropped,
        keyFramesEncoded - start.keyFramesEncoded,
        hugeFramesSent - start.hugeFramesSent,
        per(totalEncodeTime - start.totalEncodeTime, encoded) * 1000,
        per(totalPacketSendDelay - start.totalPacketSendDelay, packets) * 1000,
        per(packets, encoded),
        per(jitterBufferDelay - start.jitterBufferDelay, emitted) * 1000,
        per(jitterBufferTargetDelay - start.jitterBufferTargetDelay, emitted) * 1000,
        per(totalDecodeTime - start.totalDecodeTime, decoded) * 1000,
        per(totalProcessingDelay - start.totalProcessingDelay, decoded) * 1000,
        per(totalAssemblyTime - start.totalAssemblyTime, assembled) * 1000,
        per(qpSum - start.qpSum, encoded),
        per((bytesSent - start.bytesSent) * 8 / 1000, seconds),
        targetBitrate / 1000,
        availableOutgoingBitrate / 1000,
        qualityLimitationReason,
        limitedByCpu - start.limitedByCpu,
        limitedByBandwidth - start.limitedByBandwidth,
        limitedByOther - start.limitedByOther,
        packetsLost - start.packetsLost,
        nacksReceived - start.nacksReceived,
        plisReceived - start.plisReceived,
        retransmittedPacketsSent - start.retransmittedPacketsSent,
        freezeCount - start.freezeCount,
        totalFreezesDuration - start.totalFreezesDuration,
        candidates);
  }

  /** Averages per frame (ms) and counts over a measuring window. */
  record Window(
      double seconds,
      String codec,
      String encoder,
      String decoder,
      String sentSize,
      String receivedSize,
      double sourceFrames,
      double framesEncoded,
      double framesSent,
      double framesReceived,
      double framesDecoded,
      double framesDropped,
      double keyFrames,
      double hugeFrames,
      double encodeMs,
      double pacerMsPerPacket,
      double packetsPerFrame,
      double jitterBufferMs,
      double jitterTargetMs,
      double decodeMs,
      double processingMs,
      double assemblyMs,
      double averageQp,
      double sentKbps,
      double targetKbps,
      double availableKbps,
      String limitation,
      double cpuLimitedSeconds,
      double bandwidthLimitedSeconds,
      double otherLimitedSeconds,
      double packetsLost,
      double nacks,
      double plis,
      double retransmits,
      double freezes,
      double freezeSeconds,
      String candidates) {

    /** One line for logs and reports. */
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s (%s → %s) %s→%s; frames source %.0f, encoded %.0f, sent %.0f, received %.0f,"
              + " decoded %.0f, receiver-dropped %.0f, key %.0f, huge %.0f; per frame: encode %.2f"
              + " ms, %.1f packets, pacer %.2f ms/packet, jitter buffer %.2f ms (target %.2f),"
              + " decode %.2f ms, receive→decoded %.2f ms; QP %.1f; %.0f kbps sent, target %.0f,"
              + " available %.0f; limited: %s (cpu %.1f s, bandwidth %.1f s, other %.1f s); lost"
              + " %.0f, NACK %.0f, PLI %.0f, rtx %.0f; freezes %.0f (%.2f s); pair %s",
          codec,
          encoder,
          decoder,
          sentSize,
          receivedSize,
          sourceFrames,
          framesEncoded,
          framesSent,
          framesReceived,
          framesDecoded,
          framesDropped,
          keyFrames,
          hugeFrames,
          encodeMs,
          packetsPerFrame,
          pacerMsPerPacket,
          jitterBufferMs,
          jitterTargetMs,
          decodeMs,
          processingMs,
          averageQp,
          sentKbps,
          targetKbps,
          availableKbps,
          limitation,
          cpuLimitedSeconds,
          bandwidthLimitedSeconds,
          otherLimitedSeconds,
          packetsLost,
          nacks,
          plis,
          retransmits,
          freezes,
          freezeSeconds,
          candidates);
    }
  }

  private static double per(double amount, double count) {
    return count <= 0 ? Double.NaN : amount / count;
  }

  private static RTCStats video(Map<String, RTCStats> stats, RTCStatsType type) {
    RTCStats found = null;
    for (RTCStats s : stats.values()) {
      if (s.getType() == type && "video".equals(String.valueOf(s.getAttributes().get("kind")))) {
        // the placeholder track of a receive-only transceiver reports a source with no frames
        if (found == null || number(s, "frames") > number(found, "frames")) {
          found = s;
        }
      }
    }
    return found;
  }

  private static RTCStats selectedPair(Map<String, RTCStats> stats) {
    for (RTCStats s : stats.values()) {
      if (s.getType() == RTCStatsType.TRANSPORT) {
        Object id = s.getAttributes().get("selectedCandidatePairId");
        if (id != null && stats.containsKey(id.toString())) {
          return stats.get(id.toString());
        }
      }
    }
    return null;
  }

  private static String candidateTypes(Map<String, RTCStats> stats, RTCStats pair) {
    if (pair == null) {
      return "none";
    }
    return candidateType(stats, pair, "localCandidateId")
        + "/"
        + candidateType(stats, pair, "remoteCandidateId");
  }

  private static String candidateType(Map<String, RTCStats> stats, RTCStats pair, String key) {
    Object id = pair.getAttributes().get(key);
    RTCStats candidate = id == null ? null : stats.get(id.toString());
    return candidate == null ? "?" : text(candidate, "candidateType");
  }

  private static String codec(Map<String, RTCStats> stats, RTCStats inbound) {
    Object id = inbound == null ? null : inbound.getAttributes().get("codecId");
    RTCStats codec = id == null ? null : stats.get(id.toString());
    return codec == null ? "?" : text(codec, "mimeType").replace("video/", "");
  }

  private static String size(RTCStats stats) {
    return (long) number(stats, "frameWidth") + "x" + (long) number(stats, "frameHeight");
  }

  private static double number(RTCStats stats, String key) {
    return stats == null ? 0 : value(stats.getAttributes().get(key));
  }

  private static double value(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  private static String text(RTCStats stats, String key) {
    Object value = stats == null ? null : stats.getAttributes().get(key);
    return value == null ? "?" : value.toString();
  }
}
