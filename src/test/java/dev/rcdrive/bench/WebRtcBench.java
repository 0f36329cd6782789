package dev.rcdrive.bench;

import java.util.List;

/**
 * The WebRTC benchmarks (docs/benchmarks.md): {@code webrtc-control} (control round trip, ours
 * beside raw webrtc-java), {@code webrtc-video} (camera → decoded frame latency and dropped frames,
 * ours beside raw) and {@code webrtc-connect} (drive request → first frame, host and relay-only
 * through coturn). {@code webrtc} runs all three ({@code parts=control,video,connect} to choose).
 * Everything on this machine's own addresses; each phase closes its peer connections in the order
 * PLATFORM.md gives before the next starts.
 */
final class WebRtcBench {
  private static final List<String> PARTS = List.of("control", "video", "connect");

  private WebRtcBench() {}

  static boolean all(BenchOptions options) throws Exception {
    List<String> parts = options.subsetOf("parts", PARTS, PARTS);
    ControlRttBench.Settings control = ControlRttBench.Settings.from(options);
    VideoLatencyBench.Settings video = VideoLatencyBench.Settings.from(options);
    ConnectTimeBench.Settings connect = ConnectTimeBench.Settings.from(options);
    options.rejectUnread();
    boolean ok = true;
    if (parts.contains("control")) {
      ok &= ControlRttBench.run(control);
    }
    if (parts.contains("video")) {
      ok &= VideoLatencyBench.run(video);
    }
    if (parts.contains("connect")) {
      ok &= ConnectTimeBench.run(connect);
    }
    return ok;
  }

  static boolean control(BenchOptions options) throws Exception {
    ControlRttBench.Settings settings = ControlRttBench.Settings.from(options);
    options.rejectUnread();
    return ControlRttBench.run(settings);
  }

  static boolean video(BenchOptions options) throws Exception {
    VideoLatencyBench.Settings settings = VideoLatencyBench.Settings.from(options);
    options.rejectUnread();
    return VideoLatencyBench.run(settings);
  }

  static boolean connect(BenchOptions options) throws Exception {
    ConnectTimeBench.Settings settings = ConnectTimeBench.Settings.from(options);
    options.rejectUnread();
    return ConnectTimeBench.run(settings);
  }
}
