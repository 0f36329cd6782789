package dev.rcdrive.faults;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The car as a child process (run inside a namespace): the real {@link CarAgent} with the simulated
 * car, reporting every change of its state on stdout as {@code EVT <nanoTime> STATE <state> <link>
 * thr=<throttle> <reason>}. System.nanoTime() is CLOCK_MONOTONIC, one clock for every process on
 * the machine, so the test compares these times with its own.
 *
 * <p>Arguments: server URI, car id, key, relay-only (true/false), max seconds, and optionally the
 * camera's encoder ({@code software}, the default, or {@code hardware}). It stops on "quit" or end
 * of stdin (the test died), or after max seconds.
 */
public final class FaultCar {
  private FaultCar() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config =
        new AgentConfig(
            args[0],
            args[1],
            args[2],
            new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 360, 30)
                .withEncoder(
                    args.length > 5
                        ? AgentConfig.Encoder.valueOf(args[5].toUpperCase(java.util.Locale.ROOT))
                        : AgentConfig.Encoder.SOFTWARE),
            AgentConfig.ActuatorKind.SIM,
            250,
            null,
            null,
            Boolean.parseBoolean(args[3]));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    try (RtcEngine engine = RtcEngine.create();
        CarAgent agent = CarAssembly.start(config, engine)) {
      Thread stdin = stdinWatcher();
      String last = "";
      while (stdin.isAlive() && System.nanoTime() < deadline) {
        CarAgent.Status s = agent.status();
        String now =
            s.state()
                + " "
                + s.link()
                + " thr="
                + Math.round(s.output().throttle() * 100) / 100.0
                + " "
                + s.reason();
        if (!now.equals(last)) {
          System.out.println("EVT " + System.nanoTime() + " STATE " + now);
          System.out.flush();
          last = now;
        }
        Thread.sleep(1); // 1 ms resolution is well below the 250 ms being measured
      }
    }
    System.exit(0); // libwebrtc's threads must not keep a finished car alive
  }

  static Thread stdinWatcher() {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.equals("quit")) {
                    return;
                  }
                }
              } catch (java.io.IOException e) {
                // the parent went away: stop
              }
            },
            "stdin");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
