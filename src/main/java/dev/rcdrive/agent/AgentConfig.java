package dev.rcdrive.agent;

import dev.rcdrive.protocol.ConfigReader;
import dev.rcdrive.protocol.SignalMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The car's configuration ({@code /etc/rcdrive/agent.json}, {@code --config}, or flags). Limits
 * live here, on the car: a station cannot exceed them. Every component may be absent (its default
 * applies); {@link #problems()} names each wrong value with its field. Keys starting with {@code _}
 * are comments; any other key we do not know is reported by {@link #load}, so a typo never passes
 * silently for a default.
 */
public record AgentConfig(
    String server,
    String carId,
    String key,
    Camera camera,
    ActuatorKind actuator,
    Integer failsafeMs,
    Limits limits,
    Video video,
    Boolean relayOnly,
    Outputs outputs,
    Telemetry telemetry,
    Memory memory) {

  public static final Path DEFAULT_PATH = Path.of("/etc/rcdrive/agent.json");

  /** A kind named in the config by a word: {@code "sysfs-pwm"} is {@code SYSFS_PWM}. */
  interface Kind {
    /** The word in the config file and on the command line. */
    String word();
  }

  /** The word for {@code kind}, and the one-line refusal naming every allowed word. */
  static <K extends Enum<K> & Kind> K parse(Class<K> type, String word) {
    for (K kind : type.getEnumConstants()) {
      if (kind.word().equalsIgnoreCase(word.trim())) {
        return kind;
      }
    }
    List<String> words = new ArrayList<>();
    for (K kind : type.getEnumConstants()) {
      words.add(kind.word());
    }
    throw new UnknownKindException("one of " + String.join(", ", words) + ", got '" + word + "'");
  }

  /** A kind that is not one of the allowed words; {@link #load} prefixes the field. */
  public static final class UnknownKindException extends IllegalArgumentException {
    UnknownKindException(String message) {
      super(message);
    }
  }

  /** Where the car's pictures come from ({@code camera.type}). */
  public enum CameraKind implements Kind {
    /** The simulator's view. */
    SIM("sim"),
    /** A test pattern. */
    TEST("test"),
    /** The Pi camera through rpicam-vid. */
    RPICAM("rpicam"),
    /** A V4L2 webcam. */
    USB("usb");

    private final String word;

    CameraKind(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }

    /** Case-insensitive; throws {@link UnknownKindException} naming the allowed words. */
    public static CameraKind of(String word) {
      return parse(CameraKind.class, word);
    }

    /** Rendered in the JVM (no hardware). */
    public boolean rendered() {
      return this == SIM || this == TEST;
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /**
   * Who encodes the video ({@code camera.encoder}): {@code software} (webrtc-java: VP8 or OpenH264
   * on the CPU), {@code hardware} (GStreamer: the board's H.264 encoder, v4l2h264enc on a Pi 4 and
   * older), or {@code auto} (hardware where the board has an H.264 encoder and GStreamer is
   * installed, else software). docs/decisions/0020.
   */
  public enum Encoder implements Kind {
    SOFTWARE("software"),
    HARDWARE("hardware"),
    AUTO("auto");

    private final String word;

    Encoder(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }

    /** Case-insensitive; throws {@link UnknownKindException} naming the allowed words. */
    public static Encoder of(String word) {
      return parse(Encoder.class, word);
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /** What drives the wheels ({@code actuator}). */
  public enum ActuatorKind implements Kind {
    /** The simulated car. */
    SIM("sim"),
    /** ESC and servo on a PCA9685 board. */
    PCA9685("pca9685"),
    /** ESC and servo on Linux hardware PWM. */
    SYSFS_PWM("sysfs-pwm"),
    /** A brushed motor on an H-bridge and a steering servo. */
    HBRIDGE("hbridge");

    private final String word;

    ActuatorKind(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }

    /** Case-insensitive; throws {@link UnknownKindException} naming the allowed words. */
    public static ActuatorKind of(String word) {
      return parse(ActuatorKind.class, word);
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /** The PWM device an H-bridge's enable and its steering servo are on ({@code hbridge.pwm}). */
  public enum PwmKind implements Kind {
    PCA9685("pca9685"),
    SYSFS_PWM("sysfs-pwm");

    private final String word;

    PwmKind(String word) {
      this.word = word;
    }

    @Override
    public String word() {
      return word;
    }

    /** Case-insensitive; throws {@link UnknownKindException} naming the allowed words. */
    public static PwmKind of(String word) {
      return parse(PwmKind.class, word);
    }

    @Override
    public String toString() {
      return word;
    }
  }

  /**
   * Camera: {@code sim} (the simulator's view), {@code test} (a test pattern), {@code rpicam} (the
   * Pi camera through rpicam-vid/libcamera-vid) or {@code usb} (a V4L2 webcam by name or index).
   *
   * @param rotation 0 or 180 (what rpicam-vid supports)
   * @param exposure rpicam-vid's {@code --exposure} (normal, sport, long)
   * @param awb rpicam-vid's {@code --awb} (auto, daylight, indoor, ...)
   * @param command the camera program; null finds rpicam-vid, then libcamera-vid, on the PATH
   * @param device usb: the device's name (or part of it) or its index in {@code --list-cameras}
   * @param extraArgs more rpicam-vid arguments, passed as they are (e.g. "--denoise", "cdn_off")
   * @param stamp rpicam: write a frame stamp into the top 16 rows so the station can show
   *     glass-to-glass latency (default true)
   * @param encoder software (default), hardware or auto: see {@link Encoder}
   * @param gstSource hardware path: the camera as a GStreamer source in gst-launch syntax, instead
   *     of {@code libcamerasrc} (rpicam); raw video is encoded, H.264 is sent as it comes
   */
  public record Camera(
      CameraKind type,
      Integer width,
      Integer height,
      Integer fps,
      Integer rotation,
      Boolean hflip,
      Boolean vflip,
      String exposure,
      String awb,
      String command,
      String device,
      List<String> extraArgs,
      Boolean stamp,
      Encoder encoder,
      String gstSource) {
    public Camera {
      type = type == null ? CameraKind.SIM : type;
      width = width == null ? 1280 : width;
      height = height == null ? 720 : height;
      fps = fps == null ? 30 : fps;
      rotation = rotation == null ? 0 : rotation;
      hflip = hflip != null && hflip;
      vflip = vflip != null && vflip;
      extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
      stamp = stamp == null || stamp;
      encoder = encoder == null ? Encoder.SOFTWARE : encoder;
      gstSource = gstSource == null || gstSource.isBlank() ? null : gstSource.trim();
    }

    public Camera(CameraKind type, Integer width, Integer height, Integer fps) {
      this(
          type, width, height, fps, null, null, null, null, null, null, null, null, null, null,
          null);
    }

    /** The same camera encoded by {@code by} (tests, the benchmarks). */
    public Camera withEncoder(Encoder by) {
      return new Camera(
          type, width, height, fps, rotation, hflip, vflip, exposure, awb, command, device,
          extraArgs, stamp, by, gstSource);
    }

    /** The same camera, read by GStreamer from {@code source} on the hardware path. */
    public Camera withGstSource(String source) {
      return new Camera(
          type, width, height, fps, rotation, hflip, vflip, exposure, awb, command, device,
          extraArgs, stamp, encoder, source);
    }
  }

  /**
   * Video encoding caps, and the bitrate the encoder starts at: 1000 kbps by default (capped by
   * maxBitrateKbps); 0 for libwebrtc's 300 kbps, at which it drops the first frames of a picture
   * larger than 640x480 and the first 720p frame comes about 130 ms later (docs/benchmarks.md,
   * connect time). The estimate adapts from there within a second either way.
   */
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

  /**
   * The real outputs: which board and channels, and each output's calibration. Which of the device
   * sections is used follows {@code actuator}.
   */
  public record Outputs(
      Pca9685 pca9685, SysfsPwm sysfsPwm, HBridge hbridge, Servo steering, Servo throttle) {
    public Outputs {
      pca9685 = pca9685 == null ? new Pca9685(null, null, null, null, null) : pca9685;
      sysfsPwm = sysfsPwm == null ? new SysfsPwm(null, null) : sysfsPwm;
      hbridge = hbridge == null ? new HBridge(null, null, null, null, null, null) : hbridge;
      steering = steering == null ? new Servo(0, null, null, null, null, null, 0) : steering;
      throttle = throttle == null ? new Servo(1, null, null, null, null, null, null) : throttle;
    }
  }

  /**
   * A PCA9685 board: I2C bus and address (0x40 = 64 by default), PWM frequency. {@code oeGpio}: the
   * BCM GPIO that feeds the board's OE heartbeat circuit (README, "Outputs that stop by
   * themselves"); absent (null) when OE is not wired.
   */
  public record Pca9685(
      Integer bus, Integer address, Integer frequencyHz, Integer oscillatorHz, Integer oeGpio) {
    public Pca9685(Integer bus, Integer address, Integer frequencyHz, Integer oscillatorHz) {
      this(bus, address, frequencyHz, oscillatorHz, null);
    }

    public Pca9685 {
      bus = bus == null ? 1 : bus;
      address = address == null ? 0x40 : address;
      frequencyHz = frequencyHz == null ? 50 : frequencyHz;
      oscillatorHz = oscillatorHz == null ? 25_000_000 : oscillatorHz;
    }
  }

  /** Linux hardware PWM: {@code /sys/class/pwm/pwmchip<chip>}, one frequency for both channels. */
  public record SysfsPwm(Integer chip, Integer frequencyHz) {
    public SysfsPwm {
      chip = chip == null ? 0 : chip;
      frequencyHz = frequencyHz == null ? 50 : frequencyHz;
    }
  }

  /**
   * An H-bridge motor driver: IN1/IN2 as BCM GPIO numbers, the enable PWM on {@code channel} of
   * {@code pwm} ("pca9685" or "sysfs-pwm"), which also drives the steering servo.
   */
  public record HBridge(
      PwmKind pwm, Integer in1, Integer in2, Integer channel, Boolean reverse, Double maxDuty) {
    public HBridge {
      pwm = pwm == null ? PwmKind.PCA9685 : pwm;
      in1 = in1 == null ? 23 : in1;
      in2 = in2 == null ? 24 : in2;
      channel = channel == null ? 1 : channel;
      reverse = reverse != null && reverse;
      maxDuty = maxDuty == null ? 1.0 : maxDuty;
    }
  }

  /**
   * One servo or ESC output: its channel and calibration (µs). {@code armMs}: how long the output
   * holds neutral at start (2000 for the throttle by default: ESCs arm on a steady neutral).
   */
  public record Servo(
      Integer channel,
      Integer minUs,
      Integer neutralUs,
      Integer maxUs,
      Boolean reverse,
      Integer trimUs,
      Integer armMs) {
    public Servo {
      channel = channel == null ? 0 : channel;
      minUs = minUs == null ? 1000 : minUs;
      neutralUs = neutralUs == null ? 1500 : neutralUs;
      maxUs = maxUs == null ? 2000 : maxUs;
      reverse = reverse != null && reverse;
      trimUs = trimUs == null ? 0 : trimUs;
      armMs = armMs == null ? 2000 : armMs;
    }
  }

  /**
   * Pi telemetry. {@code pi}: CPU temperature, throttling flags and modem signal when the system
   * has them (default true); {@code ina219}: a battery sensor, absent by default.
   */
  public record Telemetry(Boolean pi, Ina219 ina219) {
    public Telemetry {
      pi = pi == null || pi;
    }
  }

  /** An INA219 on I2C (0x40–0x4F; 0x41 by default so it can share the bus with a PCA9685). */
  public record Ina219(Integer bus, Integer address) {
    public Ina219 {
      bus = bus == null ? 1 : bus;
      address = address == null ? 0x41 : address;
    }
  }

  /**
   * The agent's memory (webrtc-java 0.14.0 leaks ~88 bytes of heap per received data-channel
   * message; docs/decisions/0007). {@code restartAtHeapPercent}: a disarmed agent that no driver
   * holds exits cleanly, for systemd to start it afresh, once its live heap (after a collection)
   * passes this share of the maximum (75 by default). {@code recycleWebRtc}: a new WebRTC factory
   * after every drive session, which frees the leaked messages (true; false only to measure).
   */
  public record Memory(Integer restartAtHeapPercent, Boolean recycleWebRtc) {
    public Memory {
      restartAtHeapPercent = restartAtHeapPercent == null ? 75 : restartAtHeapPercent;
      recycleWebRtc = recycleWebRtc == null || recycleWebRtc;
    }
  }

  public AgentConfig {
    camera = camera == null ? new Camera(null, null, null, null) : camera;
    actuator = actuator == null ? ActuatorKind.SIM : actuator;
    failsafeMs = failsafeMs == null ? 250 : failsafeMs;
    limits = limits == null ? Limits.defaults() : limits;
    video = video == null ? new Video(null, null, null) : video;
    relayOnly = relayOnly != null && relayOnly;
    outputs = outputs == null ? new Outputs(null, null, null, null, null) : outputs;
    telemetry = telemetry == null ? new Telemetry(null, null) : telemetry;
    memory = memory == null ? new Memory(null, null) : memory;
  }

  public AgentConfig(
      String server,
      String carId,
      String key,
      Camera camera,
      ActuatorKind actuator,
      Integer failsafeMs,
      Limits limits,
      Video video,
      Boolean relayOnly,
      Outputs outputs,
      Telemetry telemetry) {
    this(
        server,
        carId,
        key,
        camera,
        actuator,
        failsafeMs,
        limits,
        video,
        relayOnly,
        outputs,
        telemetry,
        null);
  }

  public AgentConfig(
      String server,
      String carId,
      String key,
      Camera camera,
      ActuatorKind actuator,
      Integer failsafeMs,
      Limits limits,
      Video video,
      Boolean relayOnly) {
    this(server, carId, key, camera, actuator, failsafeMs, limits, video, relayOnly, null, null);
  }

  /** Without {@code relayOnly} (it is rarely wanted on a car: only to force the TURN path). */
  public AgentConfig(
      String server,
      String carId,
      String key,
      Camera camera,
      ActuatorKind actuator,
      Integer failsafeMs,
      Limits limits,
      Video video) {
    this(server, carId, key, camera, actuator, failsafeMs, limits, video, null, null, null);
  }

  /** A copy with other components (the CLI's flags over the file). */
  public AgentConfig with(
      String server,
      String carId,
      String key,
      Camera camera,
      ActuatorKind actuator,
      Integer failsafe) {
    return new AgentConfig(
        server, carId, key, camera, actuator, failsafe, limits, video, relayOnly, outputs,
        telemetry, memory);
  }

  /**
   * Reads a config file. Throws {@link IOException} for unreadable JSON (its position only) and
   * {@link InvalidConfigException} listing every problem: unknown keys (typos), values of the wrong
   * type, words that are not a kind's, each with its path.
   */
  public static AgentConfig load(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    AgentConfig config = ConfigReader.read(Files.readString(file), AgentConfig.class, problems);
    if (config == null) {
      throw new InvalidConfigException(problems);
    }
    return config;
  }

  /** A config file with problems, each naming its field (an unknown key, a wrong value). */
  public static final class InvalidConfigException extends IOException {
    private final List<String> problems;

    InvalidConfigException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
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
    problems.addAll(hardwareProblems());
    if (video.startBitrateKbps() < 0 || video.startBitrateKbps() > 100_000) {
      problems.add("video.startBitrateKbps: 0-100000, got " + video.startBitrateKbps());
    }
    if (failsafeMs < 20 || failsafeMs > 5000) {
      problems.add("failsafeMs: 20-5000, got " + failsafeMs);
    }
    return problems;
  }

  /** The camera's, outputs' and sensors' problems (what {@code --check} needs right). */
  public List<String> hardwareProblems() {
    List<String> problems = new ArrayList<>();
    if (camera.width() < 64
        || camera.height() < 64
        || camera.width() % 2 != 0
        || camera.height() % 2 != 0
        || camera.width() > 4096
        || camera.height() > 4096) {
      problems.add(
          "camera: width and height must be even and 64-4096, got "
              + camera.width()
              + "x"
              + camera.height());
    }
    if (camera.fps() < 1 || camera.fps() > 120) {
      problems.add("camera.fps: 1-120, got " + camera.fps());
    }
    if (camera.rotation() != 0 && camera.rotation() != 180) {
      problems.add("camera.rotation: 0 or 180 (use hflip/vflip), got " + camera.rotation());
    }
    if (camera.type() == CameraKind.USB
        && camera.encoder() == Encoder.HARDWARE
        && camera.gstSource() == null) {
      problems.add(
          "camera.encoder: the hardware path reads a USB camera through camera.gstSource"
              + " (e.g. \"v4l2src device=/dev/video0\"); or use \"software\"");
    }
    if (camera.type() == CameraKind.USB && (camera.device() == null || camera.device().isBlank())) {
      problems.add("camera.device: a USB camera needs its name or index (--list-cameras)");
    }
    problems.addAll(outputProblems());
    if (memory.restartAtHeapPercent() < 30 || memory.restartAtHeapPercent() > 95) {
      problems.add("memory.restartAtHeapPercent: 30-95, got " + memory.restartAtHeapPercent());
    }
    return problems;
  }

  /**
   * The outputs' and the battery sensor's problems only: what {@code --neutral} and {@code
   * --calibrate} need right (a camera field has nothing to do with stopping the motor).
   */
  public List<String> outputProblems() {
    List<String> problems = new ArrayList<>();
    Pca9685 pca = outputs.pca9685();
    boolean usesPca = pwmKind() == PwmKind.PCA9685;
    boolean usesSysfs = pwmKind() == PwmKind.SYSFS_PWM;
    int channels = usesPca ? 16 : 4; // a Pi 5 has 4 hardware PWM channels, a Pi 4 2
    if (usesPca) {
      i2c(problems, "outputs.pca9685", pca.bus(), pca.address());
      if (pca.frequencyHz() < 40 || pca.frequencyHz() > 400) {
        problems.add(
            "outputs.pca9685.frequencyHz: 40-400 (servos want 50-60), got " + pca.frequencyHz());
      }
      if (pca.oscillatorHz() < 23_000_000 || pca.oscillatorHz() > 27_000_000) {
        problems.add("outputs.pca9685.oscillatorHz: 23000000-27000000, got " + pca.oscillatorHz());
      }
    }
    if (usesSysfs) {
      if (outputs.sysfsPwm().chip() < 0) {
        problems.add("outputs.sysfsPwm.chip: >= 0, got " + outputs.sysfsPwm().chip());
      }
      if (outputs.sysfsPwm().frequencyHz() < 40 || outputs.sysfsPwm().frequencyHz() > 400) {
        problems.add(
            "outputs.sysfsPwm.frequencyHz: 40-400 (servos want 50-60), got "
                + outputs.sysfsPwm().frequencyHz());
      }
    }
    if (usesPca && pca.oeGpio() != null && (pca.oeGpio() < 0 || pca.oeGpio() > 27)) {
      problems.add("outputs.pca9685.oeGpio: a BCM GPIO 0-27, got " + pca.oeGpio());
    }
    if (actuator == ActuatorKind.SIM) {
      return problems;
    }
    servo(problems, "outputs.steering", outputs.steering(), channels);
    if (actuator == ActuatorKind.HBRIDGE) {
      HBridge h = outputs.hbridge();
      if (usesPca && pca.oeGpio() != null && List.of(h.in1(), h.in2()).contains(pca.oeGpio())) {
        problems.add("outputs.pca9685.oeGpio: the H-bridge already uses GPIO" + pca.oeGpio());
      }
      if (h.in1() < 0 || h.in1() > 27 || h.in2() < 0 || h.in2() > 27 || h.in1().equals(h.in2())) {
        problems.add(
            "outputs.hbridge: in1 and in2 must be two different BCM GPIOs 0-27, got "
                + h.in1()
                + " and "
                + h.in2());
      }
      if (h.channel() < 0 || h.channel() >= channels) {
        problems.add("outputs.hbridge.channel: 0-" + (channels - 1) + ", got " + h.channel());
      } else if (h.channel().equals(outputs.steering().channel())) {
        problems.add("outputs.hbridge.channel: the steering servo already uses " + h.channel());
      }
      if (!(h.maxDuty() > 0 && h.maxDuty() <= 1)) {
        problems.add("outputs.hbridge.maxDuty: (0, 1], got " + h.maxDuty());
      }
    } else {
      servo(problems, "outputs.throttle", outputs.throttle(), channels);
      if (outputs.throttle().channel().equals(outputs.steering().channel())) {
        problems.add(
            "outputs.throttle.channel: the steering servo already uses "
                + outputs.steering().channel());
      }
    }
    Ina219 ina = telemetry.ina219();
    if (ina != null) {
      i2c(problems, "telemetry.ina219", ina.bus(), ina.address());
      if (usesPca && ina.bus().equals(pca.bus()) && ina.address().equals(pca.address())) {
        problems.add("telemetry.ina219.address: the PCA9685 already uses " + ina.address());
      }
    }
    return problems;
  }

  /**
   * The PWM device the outputs are on: the actuator's own, or the H-bridge's; null for the
   * simulator.
   */
  public PwmKind pwmKind() {
    return switch (actuator) {
      case SIM -> null;
      case PCA9685 -> PwmKind.PCA9685;
      case SYSFS_PWM -> PwmKind.SYSFS_PWM;
      case HBRIDGE -> outputs.hbridge().pwm();
    };
  }

  private static void i2c(List<String> problems, String field, int bus, int address) {
    if (bus < 0 || bus > 31) {
      problems.add(field + ".bus: 0-31, got " + bus);
    }
    if (address < 0x03 || address > 0x77) {
      problems.add(field + ".address: a 7-bit address 3-119 (0x03-0x77), got " + address);
    }
  }

  private static void servo(List<String> problems, String field, Servo s, int channels) {
    if (s.channel() < 0 || s.channel() >= channels) {
      problems.add(field + ".channel: 0-" + (channels - 1) + ", got " + s.channel());
    }
    if (s.minUs() < 500
        || s.maxUs() > 2500
        || !(s.minUs() < s.neutralUs())
        || !(s.neutralUs() < s.maxUs())) {
      problems.add(
          field
              + ": pulse widths must satisfy 500 <= minUs < neutralUs < maxUs <= 2500, got "
              + s.minUs()
              + " / "
              + s.neutralUs()
              + " / "
              + s.maxUs());
    }
    if (Math.abs(s.trimUs()) > 250) {
      problems.add(field + ".trimUs: within ±250, got " + s.trimUs());
    }
    if (s.armMs() < 0 || s.armMs() > 30_000) {
      problems.add(field + ".armMs: 0-30000, got " + s.armMs());
    }
  }

  @Override
  public String toString() {
    return "AgentConfig[server="
        + server
        + ", carId="
        + carId
        + ", camera="
        + camera
        + ", actuator="
        + actuator
        + "]";
  }
}
