package dev.rcdrive.faults;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Try a bad link by hand (as root): the simulated car in a namespace of its own behind an impaired
 * TURN leg, as the fault tests use it, and a prompt to change the link while you drive it with
 * {@code rcdrive probe} or the station from this (the root) namespace. See docs/faults.md.
 *
 * <p>Arguments: {@code [impairment]} such as {@code loss=1,delay=25,jitter=10,rate=8000} (one way,
 * the car's leg). Commands on stdin: {@code set <impairment>}, {@code blackout on|off}, {@code
 * down}, {@code up}, {@code handover}, {@code drop <probability>}, {@code allow}, {@code status},
 * {@code quit}. Stops by itself after an hour.
 */
public final class FaultLab {
  private FaultLab() {}

  public static void main(String[] args) throws Exception {
    String reason = NetNs.unavailableReason();
    if (reason != null) {
      System.err.println("faultlab: " + reason);
      System.exit(2);
    }
    long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    try (FaultRig rig = FaultRig.start(System.nanoTime())) {
      if (args.length > 0) {
        rig.proxy().set(ImpairProxy.Impairment.parse(args[0]));
      }
      Child car = rig.startCar(3600);
      System.out.printf(
          Locale.ROOT,
          "car '%s' in namespace %s (%s), link %s%n"
              + "drive it from here, e.g.:%n"
              + "  target/dist/bin/rcdrive probe --server %s --car %s --token %s --relay-only"
              + " --seconds 20%n"
              + "commands: set <impairment> | blackout on|off | down | up | handover |"
              + " drop <p> | allow | status | quit%n",
          FaultRig.CAR,
          rig.carNs().name(),
          rig.carAddress().getHostAddress(),
          rig.proxy().impairment(),
          rig.serverUri(),
          FaultRig.CAR,
          FaultRig.TOKEN);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine();
          line != null && System.nanoTime() < deadline;
          line = in.readLine()) {
        String[] words = line.trim().split("\\s+", 2);
        try {
          switch (words[0]) {
            case "set" -> rig.proxy().set(ImpairProxy.Impairment.parse(words[1]));
            case "blackout" ->
                rig.proxy().set(rig.proxy().impairment().withBlackout(words[1].equals("on")));
            case "down" -> rig.carNs().linkDown();
            case "up" -> rig.carNs().linkUp();
            case "handover" -> System.out.println("car now at " + rig.carNs().changeAddress());
            case "drop" -> rig.carNs().dropRandomly(Double.parseDouble(words[1]));
            case "allow" -> rig.carNs().allowAll();
            case "status" -> {}
            case "quit" -> {
              return;
            }
            default -> System.out.println("unknown command: " + words[0]);
          }
        } catch (RuntimeException e) {
          System.out.println("error: " + e.getMessage());
        }
        Child.Event state = car.latest("STATE");
        System.out.printf(
            Locale.ROOT,
            "link %s; proxy forwarded %d, dropped %d; car %s%n",
            rig.proxy().impairment(),
            rig.proxy().forwarded(),
            rig.proxy().dropped(),
            state == null ? "starting" : state.text());
      }
    }
  }
}
