package dev.rcdrive.agent.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource.Health;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rpicam path against a fake rpicam-vid: a shell script that records its arguments and writes
 * raw I420 frames (each filled with its own byte value) to stdout, then exits as a crashing camera
 * would.
 */
class RpicamCameraTest {

  private static final int W = 64;
  private static final int H = 64;
  private static final int FRAME = W * H * 3 / 2;
  private static final RpicamCamera.Backoff FAST = new RpicamCamera.Backoff(20, 80, 60_000);

  @TempDir Path dir;
  private RpicamCamera camera;

  @AfterEach
  void close() {
    if (camera != null) {
      camera.close();
    }
  }

  /** Writes {@code frames} frames valued 1..frames, then exits 1, or sleeps when {@code hold}. */
  private Path fakeRpicam(String name, int frames, boolean hold) throws Exception {
    return fakeRpicam(name, frames, hold, false);
  }

  /**
   * {@code childHolds}: the script keeps a child process holding stdout (as a wrapper script
   * would); otherwise it becomes the sleeping process itself, like a single rpicam-vid.
   */
  private Path fakeRpicam(String name, int frames, boolean hold, boolean childHolds)
      throws Exception {
    String script =
        "#!/bin/bash\n"
            + "echo \"$@\" >> '"
            + dir.resolve("args.txt")
            + "'\n"
            + "echo 'fake rpicam: started' >&2\n"
            + "for i in $(seq 1 "
            + frames
            + "); do\n"
            + "  head -c "
            + FRAME
            + " /dev/zero | tr '\\0' \"\\\\$(printf %o $i)\"\n"
            + "done\n"
            + (hold
                ? "sleep 30\n"
                : "echo 'fake rpicam: ERROR: camera frontend timeout' >&2\nexit 1\n");
    Path file = dir.resolve(name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static AgentConfig.Camera camera(String command) {
    return new AgentConfig.Camera(
        AgentConfig.CameraKind.RPICAM,
        W,
        H,
        30,
        180,
        true,
        false,
        "sport",
        "indoor",
        command,
        null,
        List.of("--denoise", "cdn_off"),
        false,
        null,
        null);
  }

  @Test
  void readsWholeFramesInOrder() throws Exception {
    fakeRpicam("rpicam-vid", 3, true);
    camera = new RpicamCamera(camera(null), List.of(dir), FAST, false);
    List<int[]> seen = new CopyOnWriteArrayList<>();

    camera.start((image, nanos) -> seen.add(new int[] {image.y()[0], image.u()[0], image.v()[0]}));

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
    assertThat(seen).extracting(v -> v[0]).containsExactly(1, 2, 3);
    assertThat(seen).allSatisfy(v -> assertThat(v[1]).isEqualTo(v[0]).isEqualTo(v[2]));
    assertThat(camera.health()).isEqualTo(Health.RUNNING);
    assertThat(camera.restarts()).isZero();
  }

  @Test
  void passesSizeRateOrientationExposureAndAwbThrough() throws Exception {
    fakeRpicam("rpicam-vid", 1, true);
    camera = new RpicamCamera(camera(null), List.of(dir), FAST, false);

    camera.start((image, nanos) -> {});

    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("args.txt")));
    assertThat(Files.readString(dir.resolve("args.txt")).trim())
        .isEqualTo(
            "--nopreview --timeout 0 --codec yuv420 --width 64 --height 64 --framerate 30"
                + " --rotation 180 --hflip --exposure sport --awb indoor --denoise cdn_off"
                + " --flush --output -");
  }

  @Test
  void aDyingCameraIsRestartedWithBackoffAndSaysSo() throws Exception {
    fakeRpicam("rpicam-vid", 2, false);
    camera = new RpicamCamera(camera(null), List.of(dir), FAST, false);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<Health> healthSeen = new CopyOnWriteArrayList<>();

    camera.start((image, nanos) -> seen.add((int) image.y()[0]));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              healthSeen.add(camera.health());
              return camera.restarts() >= 3;
            });

    assertThat(healthSeen).contains(Health.RESTARTING);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 6);
    // a copy: the camera keeps adding frames, and a live sub-list of a COW list then throws
    assertThat(List.copyOf(seen).subList(0, 6)).containsExactly(1, 2, 1, 2, 1, 2);
    long runs = Files.readAllLines(dir.resolve("args.txt")).size();
    assertThat(runs).isGreaterThanOrEqualTo(3);
  }

  @Test
  void fallsBackToLibcameraVid() throws Exception {
    Path older = fakeRpicam("libcamera-vid", 1, true);

    camera = new RpicamCamera(camera(null), List.of(dir), FAST, false);

    assertThat(camera.command().get(0)).isEqualTo(older.toString());
  }

  @Test
  void missingProgramIsAClearErrorAtStart() {
    assertThatThrownBy(() -> new RpicamCamera(camera(null), List.of(dir), FAST, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "camera: neither rpicam-vid nor libcamera-vid is on the PATH"
                + " (Raspberry Pi OS: apt install rpicam-apps)");
    assertThatThrownBy(
            () -> new RpicamCamera(camera("/opt/nothing/rpicam-vid"), List.of(dir), FAST, false))
        .hasMessage("camera.command: /opt/nothing/rpicam-vid not found or not executable");
  }

  @Test
  void closeEndsTheProcessAndItsChildren() throws Exception {
    fakeRpicam("rpicam-vid", 1, true, true);
    camera = new RpicamCamera(camera(null), List.of(dir), FAST, false);
    camera.start((image, nanos) -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> camera.frames() == 1);

    camera.close();

    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count())
        .isZero();
  }
}
