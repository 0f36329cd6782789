package dev.rcdrive.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace joined to this (the root) namespace by a veth pair: the host side holds
 * {@code 10.213.N.1/24}, the namespace side {@code 10.213.N.2/24} with a default route back. A
 * process started with {@link #command} lives in it and can reach only the host side's addresses,
 * which is where the test's signaling server and TURN proxy listen.
 *
 * <p>Names carry this JVM's pid, so namespaces left by a killed run are recognised and removed by
 * the next ({@link #removeStale}); every namespace is removed on {@link #close} and, failing that,
 * by a shutdown hook.
 */
public final class NetNs implements AutoCloseable {

  static final String PREFIX = "rcf";
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<NetNs> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(NetNs::remove), "netns-cleanup"));
  }

  private final String name;
  private final String hostIf;
  private final String nsIf;
  private final int subnet;
  private volatile int hostByte = 2;

  private NetNs(String name, String hostIf, String nsIf, int subnet) {
    this.name = name;
    this.hostIf = hostIf;
    this.nsIf = nsIf;
    this.subnet = subnet;
  }

  /** Why namespaces cannot be made here, or null when they can (root and iproute2 present). */
  public static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network namespaces need root (running as " + System.getProperty("user.name") + ")";
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
      return "iproute2 (the ip command) is not installed";
    }
    try {
      run(List.of("ip", "netns", "list"));
      return null;
    } catch (IOException e) {
      return "ip netns does not work here: " + e.getMessage();
    }
  }

  /** A new namespace named {@code rcf-<tag>-<pid>-<n>}, its veth up and addressed. */
  public static NetNs create(String tag) throws IOException {
    removeStale();
    int n = COUNTER.incrementAndGet();
    // A /24 per namespace, from this pid and a counter: concurrent runs rarely collide, and a
    // collision fails loudly at "ip addr add" rather than mixing traffic.
    int subnet = (int) ((PID * 7 + n) % 250) + 1;
    String id = Long.toString(PID % 100_000) + n; // interface names are at most 15 bytes
    NetNs ns =
        new NetNs(PREFIX + "-" + tag + "-" + PID + "-" + n, "rcfh" + id, "rcfn" + id, subnet);
    LIVE.add(ns);
    try {
      ns.setUp();
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  private void setUp() throws IOException {
    run(List.of("ip", "netns", "add", name));
    run(List.of("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf));
    run(List.of("ip", "link", "set", nsIf, "netns", name));
    run(List.of("ip", "addr", "add", prefix() + "1/24", "dev", hostIf));
    run(List.of("ip", "link", "set", hostIf, "up"));
    run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    run(List.of("ip", "-n", name, "addr", "add", nsAddressText() + "/24", "dev", nsIf));
    run(List.of("ip", "-n", name, "link", "set", nsIf, "up"));
    run(List.of("ip", "-n", name, "route", "add", "default", "via", prefix() + "1"));
  }

  private String prefix() {
    return "10.213." + subnet + ".";
  }

  private String nsAddressText() {
    return prefix() + hostByte;
  }

  public String name() {
    return name;
  }

  /** The root side's address: what processes in the namespace connect to. */
  public InetAddress hostAddress() {
    return address(prefix() + "1");
  }

  /** The namespace side's current address. */
  public InetAddress nsAddress() {
    return address(nsAddressText());
  }

  /** {@code ip netns exec NAME command...}. */
  public List<String> command(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return full;
  }

  /** Pulls the cable inside the namespace: nothing in or out until {@link #linkUp}. */
  public void linkDown() throws IOException {
    run(List.of("ip", "-n", name, "link", "set", nsIf, "down"));
  }

  /** Plugs it back in (the default route went with the link, so it is added again). */
  public void linkUp() throws IOException {
    run(List.of("ip", "-n", name, "link", "set", nsIf, "up"));
    run(List.of("ip", "-n", name, "route", "replace", "default", "via", prefix() + "1"));
  }

  /**
   * A handover: the namespace's address changes to the next one in its /24 (as a phone's does when
   * it moves cell), so every socket bound to the old address is dead.
   */
  public InetAddress changeAddress() throws IOException {
    String old = nsAddressText();
    hostByte = hostByte >= 250 ? 2 : hostByte + 1;
    // Old one first: deleting a primary address also deletes the secondaries of its subnet.
    run(List.of("ip", "-n", name, "addr", "del", old + "/24", "dev", nsIf));
    run(List.of("ip", "-n", name, "addr", "add", nsAddressText() + "/24", "dev", nsIf));
    run(List.of("ip", "-n", name, "route", "replace", "default", "via", prefix() + "1"));
    return nsAddress();
  }

  /**
   * Drops a share of the packets entering and leaving the namespace ({@code iptables -m statistic
   * --mode random}), on top of any user-space impairment.
   */
  public void dropRandomly(double probability) throws IOException {
    for (String chain : List.of("INPUT", "OUTPUT")) {
      run(
          command(
              List.of(
                  "iptables",
                  "-A",
                  chain,
                  "-m",
                  "statistic",
                  "--mode",
                  "random",
                  "--probability",
                  Double.toString(probability),
                  "-j",
                  "DROP")));
    }
  }

  /**
   * Drops every packet in and out of the namespace (iptables), until {@link #allowAll}: one
   * iptables-restore, so both directions die at the same moment.
   */
  public void dropAll() throws IOException {
    Process process =
        new ProcessBuilder(command(List.of("iptables-restore", "--noflush")))
            .redirectErrorStream(true)
            .start();
    try (var in = process.getOutputStream()) {
      in.write(
          "*filter\n-I INPUT -j DROP\n-I OUTPUT -j DROP\nCOMMIT\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            "iptables-restore failed: "
                + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Removes every iptables rule of the namespace. */
  public void allowAll() throws IOException {
    run(command(List.of("iptables", "-F")));
  }

  @Override
  public void close() {
    remove();
    LIVE.remove(this);
  }

  private void remove() {
    // Deleting the namespace destroys its veth end and with it the host end; both are tried so a
    // half-made namespace goes too.
    runQuietly(List.of("ip", "netns", "del", name));
    runQuietly(List.of("ip", "link", "del", hostIf));
  }

  /** Namespaces of earlier runs whose JVM is gone (killed before its hook ran). */
  static void removeStale() {
    try {
      for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
        String ns = line.split(" ")[0];
        String[] parts = ns.split("-");
        if (parts.length == 4 && parts[0].equals(PREFIX)) {
          long pid = Long.parseLong(parts[2]);
          if (pid != PID && ProcessHandle.of(pid).isEmpty()) {
            runQuietly(List.of("ip", "netns", "del", ns));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // nothing stale we can recognise
    }
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void runQuietly(List<String> command) {
    try {
      run(command);
    } catch (IOException e) {
      // already gone
    }
  }

  static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no answer within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.trim());
    }
    return out;
  }
}
