package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.Role;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a {@link Hub} from a script, with no sockets: each step is one event, followed by every send
 * and close it must cause, in order, and nothing else. Peers are named by the script; a peer's id
 * is its name, its resume token the name + "-resume". Time is virtual: {@code wait} advances it,
 * and the hub's wake-ups (the coalesced {@code cars} push) run when they fall due, as the transport
 * would run them.
 *
 * <pre>
 * ## title                          a scenario starts
 * car > hello car buggy buggy-key   car sends a message (its first message connects it)
 *   car < welcome car               ...and this is the only thing sent (indented: expectations)
 *   warn car buggy is flapping: …   ...and a warning for the operator's log
 * alice leaves                      alice's connection is gone
 * wait 100 ms                       time passes
 * server stops                      the server shuts down
 * reload cars buggy:buggy-key drivers Bob:bob-token   the configuration changes (see config)
 * counts online=1 driven=1 relayed=2
 * </pre>
 *
 * Inputs: {@code hello car ID KEY}, {@code hello driver TOKEN [name NAME] [resume PEER TOKEN]
 * [protocol N]}, {@code drive ID}, {@code release [ID]}, {@code list}, {@code offer SDP}, {@code
 * answer SDP}, {@code candidate LINE}, {@code bye}, {@code json {...}} (anything else, as it
 * travels). Outputs are written as {@link #describe} writes them.
 */
final class HubScript {

  static final SignalingConfig CONFIG =
      new SignalingConfig(
          "127.0.0.1",
          0,
          null,
          List.of(
              new SignalingConfig.Car("buggy", "Red buggy", "buggy-key"),
              new SignalingConfig.Car("truck", null, "truck-key")),
          List.of(
              new SignalingConfig.Driver("Alice", "alice-token"),
              new SignalingConfig.Driver("Bob", "bob-token"),
              new SignalingConfig.Driver(null, "guest-token")),
          List.of(),
          null);

  private final VirtualTime time = new VirtualTime();
  private final Hub hub;
  private final Map<String, Hub.Peer> peers = new HashMap<>();
  private final Map<Hub.Peer, String> names = new HashMap<>();
  private final List<String> happened = new ArrayList<>();
  private String nextName;

  HubScript() {
    this(CONFIG);
  }

  HubScript(SignalingConfig config) {
    Hub.Ids ids =
        new Hub.Ids() {
          @Override
          public String peerId() {
            return nextName;
          }

          @Override
          public String resumeToken() {
            return nextName + "-resume";
          }
        };
    this.hub = new Hub(config, time.clock(), ids);
  }

  Hub hub() {
    return hub;
  }

  /** Runs a whole script, checking each step's expectations. */
  void run(String script) {
    List<String> lines = script.lines().filter(line -> !line.isBlank()).toList();
    int i = 0;
    while (i < lines.size()) {
      String step = lines.get(i++).strip();
      List<String> expected = new ArrayList<>();
      while (i < lines.size() && Character.isWhitespace(lines.get(i).charAt(0))) {
        expected.add(lines.get(i++).strip());
      }
      List<String> actual = step(step);
      assertThat(actual).as("after '%s'", step).containsExactlyElementsOf(expected);
    }
  }

  /** One step; returns what it caused, described. */
  List<String> step(String step) {
    happened.clear();
    if (step.startsWith("wait ")) {
      time.advance(duration(step.substring(5)));
    } else if (step.startsWith("counts ")) {
      String counts =
          "online="
              + hub.onlineCars()
              + " driven="
              + hub.drivenCars()
              + " relayed="
              + hub.relayedMessages();
      assertThat(counts).as(step).isEqualTo(step.substring(7));
    } else if (step.equals("server stops")) {
      record(hub.shutdown());
    } else if (step.startsWith("reload ")) {
      Outbox out = hub.reload(config(step.substring(7)));
      assertThat(out.reloaded()).as("a reload says what it changed").isNotBlank();
      record(out);
    } else if (step.endsWith(" leaves")) {
      String name = step.substring(0, step.length() - " leaves".length());
      record(hub.leave(peer(name), 1006, "gone"));
    } else {
      int arrow = step.indexOf(" > ");
      assertThat(arrow).as("a step: " + step).isPositive();
      record(hub.receive(peer(step.substring(0, arrow)), parse(step.substring(arrow + 3))));
    }
    return List.copyOf(happened);
  }

  /** The peer of this name, connecting it on first use. */
  Hub.Peer peer(String name) {
    return peers.computeIfAbsent(
        name,
        n -> {
          nextName = n;
          Hub.Peer peer = hub.join(InetAddress.getLoopbackAddress());
          names.put(peer, n);
          return peer;
        });
  }

  private void record(Outbox out) {
    for (Outbox.Effect effect : out.effects()) {
      String who = names.get(effect.peer());
      if (effect instanceof Outbox.Send send) {
        happened.add(who + " < " + describe(send.message()));
      } else if (effect instanceof Outbox.Close close) {
        happened.add(who + " closed " + close.code() + " " + close.reason());
      }
    }
    for (String warning : out.warnings()) {
      happened.add("warn " + warning);
    }
    if (out.wakeAfter() != null) {
      time.schedule(out.wakeAfter(), () -> record(hub.wake()));
    }
  }

  /**
   * {@code cars ID:KEY[:NAME] … drivers NAME:TOKEN …} (a driver NAME of {@code -}: no name), the
   * other fields as {@link #CONFIG}'s.
   */
  static SignalingConfig config(String text) {
    List<SignalingConfig.Car> cars = new ArrayList<>();
    List<SignalingConfig.Driver> drivers = new ArrayList<>();
    List<?> into = null;
    for (String word : text.strip().split(" +")) {
      if (word.equals("cars")) {
        into = cars;
      } else if (word.equals("drivers")) {
        into = drivers;
      } else if (into == cars) {
        String[] parts = word.split(":");
        cars.add(new SignalingConfig.Car(parts[0], parts.length > 2 ? parts[2] : null, parts[1]));
      } else if (into == drivers) {
        String[] parts = word.split(":");
        drivers.add(new SignalingConfig.Driver(parts[0].equals("-") ? null : parts[0], parts[1]));
      } else {
        throw new IllegalArgumentException("reload: " + text);
      }
    }
    return new SignalingConfig(
        CONFIG.host(), CONFIG.port(), null, cars, drivers, CONFIG.iceServers(), null);
  }

  private static Duration duration(String text) {
    String[] parts = text.strip().split(" ");
    long amount = Long.parseLong(parts[0]);
    return switch (parts[1]) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> throw new IllegalArgumentException("unit: " + text);
    };
  }

  /** A message written as the scripts write it. */
  static SignalMessage parse(String input) {
    String[] words = input.strip().split(" ");
    String rest = words.length > 1 ? input.strip().substring(words[0].length() + 1) : "";
    return switch (words[0]) {
      case "hello" -> hello(words);
      case "drive" -> new Drive(words[1]);
      case "release" -> new Release(words.length > 1 ? words[1] : null);
      case "list" -> new ListCars();
      case "offer" -> new Offer(rest);
      case "answer" -> new Answer(rest);
      case "candidate" -> new Candidate(rest, "0", 0);
      case "bye" -> new Bye(null);
      case "json" -> SignalCodec.decode(rest).orElseThrow();
      default -> throw new IllegalArgumentException("unknown input: " + input);
    };
  }

  private static Hello hello(String[] words) {
    if (words[1].equals("car")) {
      return Hello.car(words[2], words[3], "script");
    }
    String name = null;
    String resumePeer = null;
    String resumeToken = null;
    int protocol = SignalMessage.PROTOCOL_VERSION;
    for (int i = 3; i < words.length; i++) {
      switch (words[i]) {
        case "name" -> name = words[++i];
        case "resume" -> {
          resumePeer = words[++i];
          resumeToken = words[++i];
        }
        case "protocol" -> protocol = Integer.parseInt(words[++i]);
        default -> throw new IllegalArgumentException("hello: " + words[i]);
      }
    }
    return new Hello(
        Role.DRIVER, null, words[2], "script", protocol, name, resumePeer, resumeToken);
  }

  /** A message as the scripts write it. */
  static String describe(SignalMessage message) {
    if (message instanceof Welcome w) {
      return "welcome " + w.peerId() + (w.resumeToken() == null ? "" : " " + w.resumeToken());
    } else if (message instanceof Granted g) {
      return "granted " + g.carId() + " to " + g.driverId() + " \"" + g.driverName() + "\"";
    } else if (message instanceof Denied d) {
      return "denied " + d.carId() + " " + d.code() + ": " + d.reason();
    } else if (message instanceof Released r) {
      return "released "
          + r.carId()
          + " by "
          + r.driverId()
          + ": "
          + r.reason()
          + (r.driverRevoked() ? " (revoked)" : "");
    } else if (message instanceof ServerError e) {
      return "error " + e.code() + ": " + e.message();
    } else if (message instanceof Offer o) {
      return "offer from " + o.from() + ": " + o.sdp();
    } else if (message instanceof Answer a) {
      return "answer from " + a.from() + ": " + a.sdp();
    } else if (message instanceof Candidate c) {
      return "candidate from " + c.from() + ": " + c.candidate();
    } else if (message instanceof Cars cars) {
      return "cars "
          + cars.cars().stream()
              .map(
                  car ->
                      car.carId()
                          + (car.online() ? " online" : " offline")
                          + (car.driven() ? " driven" : " free"))
              .collect(Collectors.joining(", "));
    }
    return SignalCodec.encode(message);
  }
}
