package dev.rcdrive.rtc;

/** Lets the benchmarks give the raw baseline the same start bitrate as the car (no copy). */
public final class SdpForBench {
  private SdpForBench() {}

  public static String withStartBitrate(String sdp, int kbps) {
    return SdpBitrate.withStartBitrate(sdp, kbps);
  }
}
