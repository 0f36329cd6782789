package dev.rcdrive.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.protocol.SignalMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The car's configuration ({@code agent.json} or flags). Limits live here, on the car: a station
 * cannot exceed them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentConfig(
    String server,
    String carId,
    String key,
    Camera camera,
    String actuator,
    Integer failsafeMs,
    Limits limits,
    Video video,
    Boolean relayOnly) {

  /** Camera: {@code sim} (the simulator's view) or {@code test} (a test pattern). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Camera(String type, Integer width, Integer height, Integer fps) {
    public Camera {
      type = type == null ? "sim" : type.toLowerCase(Locale.ROOT);
      width = width == null ? 1280 : width;
      height = height == null ? 720 : height;
      fps = fps == null ? 30 : fps;
    }
  }

  /**
   * Video encoding caps, and the bitrate the encoder starts at: 1000 kbps by default (capped by
   * maxBitrateKbps); 0 for libwebrtc's 300 kbps, at which it drops the first frames of a picture
   * larger than 640x480 and the first 720p frame comes about 130 ms later (docs/benchmarks.md,
   * connect time). The estimate adapts from there within a second either way.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Video(Integer maxBitrateKbps, Integer maxFramerate, Integer startBitrateKbps) {
    public Video {
      maxBitrateKbps = maxBitrateKbps == null ? 4000 : maxBitrateKbps;
      maxFramerate = maxFramerate == null ? 0 : maxFramerate;
      startBitrateKbps = startBitrateKbps == null ? DEFAULT_START_BITRATE_KBPS : startBitrateKbps;
    }

    public static final int DEFAULT_START_BITRATE_KBPS = 1000;

    /** With the default start bitrate. */
    public Video(Integer maxBitrateKbps, Integer maxFramerate) {
      this(maxBitrateKbps, maxFramerate, null);
    }
  }

  public AgentConfig {
    camera = camera == null ? new Camera(null, null, null, null) : camera;
    actuator = actuator == null ? "sim" : actuator.toLowerCase(Locale.ROOT);
    failsafeMs = failsafeMs == null ? 250 : failsafeMs;
    limits = limits == null ? Limits.defaults() : limits;
    video = video == null ? new Video(null, null, null) : video;
    relayOnly = relayOnly != null && relayOnly;
  }

  /** Without {@code relayOnly} (it is rarely wanted on a car: only to force the TURN path). */
  public AgentConfig(
      String server,
      String carId,
      String key,
      Camera camera,
      String actuator,
      Integer failsafeMs,
      Limits limits,
      Video video) {
    this(server, carId, key, camera, actuator, failsafeMs, limits, video, null);
  }

  public static AgentConfig load(Path file) throws IOException {
    return new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(Files.readString(file), AgentConfig.class);
  }

  /** Every problem, each with its field; empty when the config is usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (server == null || !(server.startsWith("ws://") || server.startsWith("wss://"))) {
      problems.add("server: a ws:// or wss:// URL is required, got " + server);
    } else {
      try {
        URI.create(server);
      } catch (IllegalArgumentException e) {
        problems.add("server: not a URL: " + server);
      }
    }
    if (carId == null || !SignalMessage.CAR_ID.matcher(carId).matches()) {
      problems.add("carId: 1-64 letters, digits, '.', '_' or '-' required, got " + carId);
    }
    if (key == null || key.isBlank()) {
      problems.add("key: the car's key is required");
    }
    if (!List.of("sim", "test").contains(camera.type())) {
      problems.add("camera.type: 'sim' or 'test' (real cameras come later), got " + camera.type());
    }
    if (camera.width() < 64
        || camera.height() < 64
        || camera.width() % 2 != 0
        || camera.height() % 2 != 0) {
      problems.add("camera: width and height must be even and at least 64");
    }
    if (camera.fps() < 1 || camera.fps() > 120) {
      problems.add("camera.fps: 1-120, got " + camera.fps());
    }
    if (video.startBitrateKbps() < 0 || video.startBitrateKbps() > 100_000) {
      problems.add("video.startBitrateKbps: 0-100000, got " + video.startBitrateKbps());
    }
    if (!actuator.equals("sim")) {
      problems.add("actuator: 'sim' (motor drivers come later), got " + actuator);
    }
    if (failsafeMs < 20 || failsafeMs > 5000) {
      problems.add("failsafeMs: 20-5000, got " + failsafeMs);
    }
    return problems;
  }

  @Override
  public String toString() {
    return "AgentConfig[server=" + server + ", carId=" + carId + ", camera=" + camera + "]";
  }
}
