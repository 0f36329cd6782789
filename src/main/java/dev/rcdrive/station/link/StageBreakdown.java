package dev.rcdrive.station.link;

import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.rtc.VideoCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a video frame's time goes, from the lens to the screen: the mean per frame of each stage
 * over an interval, from the differences of two {@link Sample}s. Measured, not guessed: the car's
 * own counters (capture → encoder, encode, pacer), libwebrtc's receiver counters (jitter buffer,
 * decode), the link's round trip (half of it is the network) and the station's own timings
 * (conversion, the wait for the pulse). The stamped capture time in each picture gives the
 * end-to-end figure the stages are checked against; what the stages do not cover (queue hand-offs
 * between libwebrtc's threads, packetization) is the difference, {@link Stages#unaccountedMs}.
 */
public final class StageBreakdown {
  private StageBreakdown() {}

  /**
   * Cumulative counters at one moment.
   *
   * @param receiver libwebrtc's counters on this (receiving) side
   * @param sender the car's last {@link SenderStatsFrame}, null when the car sends none
   * @param rttMs the link's current round trip (NaN when unknown)
   * @param captureToDecoded capture → the frame reached the sink (from the picture's stamp)
   * @param convert the station's I420 → ARGB conversion per frame ({@link Tally.Snapshot#NONE}
   *     without a screen)
   * @param sinkToShown sink → the pulse that showed it (conversion included)
   * @param captureToShown capture → shown, from the stamp
   */
  public record Sample(
      VideoCounters receiver,
      SenderStatsFrame sender,
      double rttMs,
      Tally.Snapshot captureToDecoded,
      Tally.Snapshot convert,
      Tally.Snapshot sinkToShown,
      Tally.Snapshot captureToShown) {

    public Sample withScreen(
        Tally.Snapshot convert, Tally.Snapshot sinkToShown, Tally.Snapshot captureToShown) {
      return new Sample(
          receiver, sender, rttMs, captureToDecoded, convert, sinkToShown, captureToShown);
    }
  }

  /**
   * Mean milliseconds per frame of each stage; NaN where the interval had nothing to measure it
   * with (no new frame, a counter that restarted, a car that sends no counters).
   *
   * @param captureToEncoderMs capture → handed to the encoder (the car's camera path)
   * @param encodeMs the encoder's time per frame
   * @param pacerMs the wait of a packet in the sender's pacer
   * @param networkMs half the round trip
   * @param jitterBufferMs first packet received → released for decoding (assembly included)
   * @param jitterBufferTargetMs the buffer's target delay at release, for comparison
   * @param assemblyMs of the jitter buffer's time, first → last packet of a frame of several
   *     (libwebrtc's totalAssemblyTime; not added again)
   * @param receiverMs first packet → decoded as libwebrtc counts it (totalProcessingDelay): the
   *     receiver's stages and the hand-offs between them, a check on the two stages above
   * @param decodeMs the decoder's time per frame
   * @param convertMs the station's conversion to ARGB (NaN without a screen)
   * @param pulseWaitMs converted → the pulse that shows it (NaN without a screen)
   * @param sumMs the stages up to the end point, added
   * @param endToEndMs the measured mean from capture to the end point
   * @param endPoint "decoded" (probe) or "shown" (station)
   * @param frames frames behind the end-to-end figure
   */
  public record Stages(
      double captureToEncoderMs,
      double encodeMs,
      double pacerMs,
      double networkMs,
      double jitterBufferMs,
      double jitterBufferTargetMs,
      double assemblyMs,
      double receiverMs,
      double decodeMs,
      double convertMs,
      double pulseWaitMs,
      double sumMs,
      double endToEndMs,
      String endPoint,
      long frames) {

    /** End to end minus the sum: the hand-offs the stages do not cover. */
    public double unaccountedMs() {
      return endToEndMs - sumMs;
    }

    /** The stages in order, as {@code rcdrive probe --json} prints them (NaN as null). */
    public Map<String, Double> asMap() {
      Map<String, Double> map = new LinkedHashMap<>();
      map.put("captureToEncoderMs", round(captureToEncoderMs));
      map.put("encodeMs", round(encodeMs));
      map.put("pacerMs", round(pacerMs));
      map.put("networkMs", round(networkMs));
      map.put("jitterBufferMs", round(jitterBufferMs));
      map.put("jitterBufferTargetMs", round(jitterBufferTargetMs));
      map.put("assemblyMs", round(assemblyMs));
      map.put("receiverMs", round(receiverMs));
      map.put("decodeMs", round(decodeMs));
      if (endPoint.equals("shown")) {
        map.put("convertMs", round(convertMs));
        map.put("pulseWaitMs", round(pulseWaitMs));
      }
      map.put("sumMs", round(sumMs));
      map.put("endToEndMs", round(endToEndMs));
      map.put("unaccountedMs", round(unaccountedMs()));
      return map;
    }

    private static Double round(double value) {
      return Double.isNaN(value) || Double.isInfinite(value)
          ? null
          : Math.round(value * 100) / 100.0;
    }
  }

  /**
   * The stages between two samples of the same link. The end point is the screen when {@code after}
   * has screen timings for the interval, else the decoder's sink.
   */
  public static Stages between(Sample before, Sample after) {
    VideoCounters b = before.receiver();
    VideoCounters a = after.receiver();
    double jitterBuffer =
        perItem(
            a.jitterBufferDelay() - b.jitterBufferDelay(),
            a.jitterBufferEmittedCount() - b.jitterBufferEmittedCount());
    double jitterTarget =
        perItem(
            a.jitterBufferTargetDelay() - b.jitterBufferTargetDelay(),
            a.jitterBufferEmittedCount() - b.jitterBufferEmittedCount());
    double decode =
        perItem(a.totalDecodeTime() - b.totalDecodeTime(), a.framesDecoded() - b.framesDecoded());
    double assembly =
        perItem(
            a.totalAssemblyTime() - b.totalAssemblyTime(),
            a.framesAssembledFromMultiplePackets() - b.framesAssembledFromMultiplePackets());
    double receiver =
        perItem(
            a.totalProcessingDelay() - b.totalProcessingDelay(),
            a.framesDecoded() - b.framesDecoded());
    double captureToEncoder = Double.NaN;
    double encode = Double.NaN;
    double pacer = Double.NaN;
    SenderStatsFrame sb = before.sender();
    SenderStatsFrame sa = after.sender();
    if (sb != null && sa != null) {
      captureToEncoder =
          perItem(
              (sa.captureToPushMicros() - sb.captureToPushMicros()) / 1e6,
              sa.framesPushed() - sb.framesPushed());
      encode =
          perItem(
              (sa.encodeMicros() - sb.encodeMicros()) / 1e6,
              sa.framesEncoded() - sb.framesEncoded());
      pacer =
          perItem(
              (sa.packetSendDelayMicros() - sb.packetSendDelayMicros()) / 1e6,
              sa.packetsSent() - sb.packetsSent());
    }
    double network =
        Double.isNaN(after.rttMs()) || after.rttMs() < 0 ? Double.NaN : after.rttMs() / 2;
    double convert = after.convert().meanMillisSince(before.convert());
    double sinkToShown = after.sinkToShown().meanMillisSince(before.sinkToShown());
    double shown = after.captureToShown().meanMillisSince(before.captureToShown());
    boolean toScreen = !Double.isNaN(shown);
    double pulseWait =
        toScreen && !Double.isNaN(convert) ? Math.max(0, sinkToShown - convert) : Double.NaN;
    double sum =
        sumOf(captureToEncoder, encode, pacer, network, jitterBuffer, decode)
            + (toScreen ? sumOf(convert, pulseWait) : 0);
    double endToEnd =
        toScreen ? shown : after.captureToDecoded().meanMillisSince(before.captureToDecoded());
    Tally.Snapshot end = toScreen ? after.captureToShown() : after.captureToDecoded();
    Tally.Snapshot start = toScreen ? before.captureToShown() : before.captureToDecoded();
    return new Stages(
        captureToEncoder,
        encode,
        pacer,
        network,
        jitterBuffer,
        jitterTarget,
        assembly,
        receiver,
        decode,
        toScreen ? convert : Double.NaN,
        pulseWait,
        sum,
        endToEnd,
        toScreen ? "shown" : "decoded",
        Math.max(0, end.count() - start.count()));
  }

  /** Seconds over a count, in ms per item; NaN when there is no item or a counter went back. */
  private static double perItem(double seconds, long count) {
    return count <= 0 || seconds < 0 ? Double.NaN : seconds * 1000 / count;
  }

  /** The known stages added; NaN stages count as 0 (the difference shows them as unaccounted). */
  private static double sumOf(double... stages) {
    double sum = 0;
    for (double stage : stages) {
      if (!Double.isNaN(stage)) {
        sum += stage;
      }
    }
    return sum;
  }
}
