package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Linux scheduling policy of this JVM's threads, native ones included, read from /proc and
 * changed with {@code chrt} (root, or CAP_SYS_NICE / a raised RLIMIT_RTPRIO, which is what a
 * systemd unit can grant with {@code LimitRTPRIO=}).
 *
 * <p>libwebrtc asks for real-time priority for some of its threads (SCHED_FIFO for the encoder,
 * decoder and render queues) and silently keeps SCHED_OTHER when it may not have it. These
 * benchmarks run as root here, so they see the real-time case unless told otherwise; {@code
 * rt=none} puts every thread back to SCHED_OTHER, which is what an unprivileged car or station
 * gets, and is the benchmark's default so that a run as root and a run as a user agree.
 */
final class ThreadPolicy {

  static final List<String> MODES = List.of("as-is", "none", "media");

  /** Threads on the video path that libwebrtc leaves at SCHED_OTHER (network, worker, camera). */
  private static final List<String> MEDIA_PREFIXES =
      List.of("webrtc_jni_netw", "webrtc_jni_work", "camera-");

  private static final int MEDIA_PRIORITY = 50;

  private ThreadPolicy() {}

  /** A thread: its id, name, SCHED_* policy number and real-time priority. */
  record Info(int tid, String name, int policy, int priority) {
    boolean realtime() {
      return policy == 1 || policy == 2; // SCHED_FIFO, SCHED_RR
    }

    String describe() {
      return name + (realtime() ? (policy == 1 ? " FIFO " : " RR ") + priority : " OTHER");
    }
  }

  static List<Info> threads() {
    List<Info> threads = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // fields[0] is field 3 (state): rt_priority is field 40, policy field 41
          threads.add(
              new Info(
                  Integer.parseInt(task.getFileName().toString()),
                  name,
                  Integer.parseInt(fields[38]),
                  Integer.parseInt(fields[37])));
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return threads;
  }

  /** Applies a mode ({@link #MODES}); returns the real-time threads afterwards, for the report. */
  static String apply(String mode) {
    if (!mode.equals("as-is")) {
      for (Info thread : threads()) {
        if (mode.equals("none") && thread.realtime()) {
          chrt(thread.tid(), "-o", 0);
        } else if (mode.equals("media")
            && !thread.realtime()
            && MEDIA_PREFIXES.stream().anyMatch(thread.name()::startsWith)) {
          chrt(thread.tid(), "-f", MEDIA_PRIORITY);
        }
      }
    }
    return describeRealtime();
  }

  /** Makes every thread whose name is one of {@code names} SCHED_FIFO at {@code priority}. */
  static void realtime(List<String> names, int priority) {
    for (Info thread : threads()) {
      if (names.contains(thread.name())) {
        chrt(thread.tid(), "-f", priority);
      }
    }
  }

  /** "name FIFO 49 ×2, …" for the real-time threads, or "none". */
  static String describeRealtime() {
    Map<String, Long> counts =
        threads().stream()
            .filter(Info::realtime)
            .collect(Collectors.groupingBy(Info::describe, TreeMap::new, Collectors.counting()));
    if (counts.isEmpty()) {
      return "no real-time threads";
    }
    return counts.entrySet().stream()
        .map(e -> e.getValue() > 1 ? e.getKey() + " ×" + e.getValue() : e.getKey())
        .collect(Collectors.joining(", "));
  }

  private static void chrt(int tid, String policy, int priority) {
    try {
      Process process =
          new ProcessBuilder("chrt", policy, "-p", String.valueOf(priority), String.valueOf(tid))
              .redirectErrorStream(true)
              .start();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      } else if (process.exitValue() != 0) {
        Md.progress(
            "chrt %s %d on thread %d: %s",
            policy,
            priority,
            tid,
            new String(process.getInputStream().readAllBytes()).trim().toLowerCase(Locale.ROOT));
      }
    } catch (IOException e) {
      Md.progress("chrt unavailable: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
