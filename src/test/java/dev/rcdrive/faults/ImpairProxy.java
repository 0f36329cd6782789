package dev.rcdrive.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A UDP relay that impairs what crosses it: loss, delay, jitter, reordering, a rate limit and
 * blackouts, decided by a seeded {@link Random} so a run can be repeated. The kernel here has no
 * netem, so delay and jitter live in user space: put this in front of coturn (TURN URL pointing at
 * {@link #address()}) and force ICE to relay, and every media and data-channel packet of the
 * impaired client crosses it.
 *
 * <p>Each client address gets its own upstream socket, so the TURN server sees one client per
 * client (allocations stay apart). {@code impaired} picks which clients' traffic is impaired (both
 * directions); the others are relayed untouched — the driver and car both reach TURN through the
 * proxy, but only the car's leg is the "4G link".
 */
public final class ImpairProxy implements AutoCloseable {

  /**
   * How the link behaves, per direction.
   *
   * @param lossPercent random drops
   * @param delayMs one-way delay
   * @param jitterMs each packet's delay varies uniformly within ± this (order kept)
   * @param reorderPercent packets held back by an extra {@code delayMs + jitterMs} (reordered)
   * @param rateKbps bottleneck rate; 0 = unlimited. Its queue holds at most {@link #QUEUE_MS} of
   *     data, beyond that packets are dropped (tail drop, as a modem does)
   * @param blackout every packet dropped
   */
  public record Impairment(
      double lossPercent,
      int delayMs,
      int jitterMs,
      double reorderPercent,
      int rateKbps,
      boolean blackout) {
    public static final Impairment NONE = new Impairment(0, 0, 0, 0, 0, false);

    public Impairment {
      if (lossPercent < 0 || lossPercent > 100 || reorderPercent < 0 || reorderPercent > 100) {
        throw new IllegalArgumentException("percentages are 0-100");
      }
      if (delayMs < 0 || jitterMs < 0 || jitterMs > delayMs || rateKbps < 0) {
        throw new IllegalArgumentException("delay >= jitter >= 0 and rate >= 0");
      }
    }

    /** A 4G-like link: 1 % loss, 8 Mbit/s, the given one-way delay and jitter. */
    public static Impairment lte(int delayMs, int jitterMs) {
      return new Impairment(1, delayMs, jitterMs, 0, 8000, false);
    }

    public Impairment withBlackout(boolean on) {
      return new Impairment(lossPercent, delayMs, jitterMs, reorderPercent, rateKbps, on);
    }

    /** Parses {@code loss=1,delay=25,jitter=10,reorder=0,rate=8000} (missing keys are 0). */
    public static Impairment parse(String text) {
      Map<String, Double> values = new java.util.HashMap<>();
      for (String part : text.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        String[] kv = part.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected key=value, got '" + part + "'");
        }
        values.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
      }
      for (String key : values.keySet()) {
        if (!java.util.Set.of("loss", "delay", "jitter", "reorder", "rate").contains(key)) {
          throw new IllegalArgumentException("unknown impairment '" + key + "'");
        }
      }
      return new Impairment(
          values.getOrDefault("loss", 0.0),
          values.getOrDefault("delay", 0.0).intValue(),
          values.getOrDefault("jitter", 0.0).intValue(),
          values.getOrDefault("reorder", 0.0),
          values.getOrDefault("rate", 0.0).intValue(),
          false);
    }
  }

  /** The bottleneck queue's depth: a 4G modem buffers a few hundred ms, then drops. */
  static final int QUEUE_MS = 200;

  private static final int MAX_CLIENTS = 64;

  private final DatagramChannel listen;
  private final InetSocketAddress upstream;
  private final Predicate<InetAddress> impaired;
  private final Selector selector;
  private final Map<SocketAddress, Flow> flows = new ConcurrentHashMap<>();
  private final DelayQueue<Packet> due = new DelayQueue<>();
  private final Random seeds;
  private final Thread receiver;
  private final Thread sender;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile Impairment impairment = Impairment.NONE;
  private volatile boolean closed;

  private ImpairProxy(
      InetSocketAddress listenAt,
      InetSocketAddress upstream,
      Predicate<InetAddress> impaired,
      long seed)
      throws IOException {
    this.upstream = upstream;
    this.impaired = impaired;
    this.selector = Selector.open();
    this.listen = DatagramChannel.open().bind(listenAt);
    listen.configureBlocking(false);
    listen.register(selector, SelectionKey.OP_READ, null);
    this.seeds = new Random(seed);
    this.receiver = new Thread(this::receive, "impair-proxy-rx");
    this.sender = new Thread(this::send, "impair-proxy-tx");
    receiver.setDaemon(true);
    sender.setDaemon(true);
    receiver.start();
    sender.start();
  }

  /**
   * Listens on {@code listenAt} (port 0: any) and relays to {@code upstream}.
   *
   * @param impaired which client addresses get the impairment
   */
  public static ImpairProxy start(
      InetSocketAddress listenAt,
      InetSocketAddress upstream,
      Predicate<InetAddress> impaired,
      long seed)
      throws IOException {
    return new ImpairProxy(listenAt, upstream, impaired, seed);
  }

  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) listen.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void set(Impairment next) {
    impairment = next;
  }

  public Impairment impairment() {
    return impairment;
  }

  public long forwarded() {
    return forwarded.get();
  }

  public long dropped() {
    return dropped.get();
  }

  /**
   * Client address → its upstream socket, and its link: each client has a link (two directions,
   * each its own queue) of its own, as two phones on 4G do. Seeds come from the proxy's in the
   * order clients appear, so a repeated run draws the same numbers.
   */
  private final class Flow {
    final SocketAddress client;
    final DatagramChannel channel;
    final boolean impairedFlow;
    final Direction up;
    final Direction down;

    Flow(SocketAddress client) throws IOException {
      this.client = client;
      this.up = new Direction(new Random(seeds.nextLong()), () -> impairment);
      this.down = new Direction(new Random(seeds.nextLong()), () -> impairment);
      this.impairedFlow = impaired.test(((InetSocketAddress) client).getAddress());
      this.channel = DatagramChannel.open().bind(new InetSocketAddress(upstream.getAddress(), 0));
      channel.connect(upstream);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, this);
    }
  }

  /**
   * One direction of one client's link: its random draws and bottleneck queue. Plain code on the
   * caller's clock, so a unit test can put packets through the same link in simulated time.
   */
  public static final class Direction {
    private final Random random;
    private final java.util.function.Supplier<Impairment> impairment;
    private long lastDueNanos;
    private long linkFreeNanos;

    public Direction(Random random, java.util.function.Supplier<Impairment> impairment) {
      this.random = random;
      this.impairment = impairment;
    }

    /** How long a packet entering the bottleneck at {@code now} waits there, ns. */
    public long queuedNanos(long now) {
      return Math.max(0, linkFreeNanos - now);
    }

    /**
     * When the packet leaves, or -1 to drop it. Called on one thread only (the proxy's receiver).
     */
    public long schedule(int bytes, long now) {
      Impairment imp = impairment.get();
      // Draw every number for every packet, so one setting's change does not shift the others.
      double lossDraw = random.nextDouble() * 100;
      double jitterDraw = random.nextDouble() * 2 - 1;
      double reorderDraw = random.nextDouble() * 100;
      if (imp.blackout() || lossDraw < imp.lossPercent()) {
        return -1;
      }
      long start = now;
      if (imp.rateKbps() > 0) {
        long serialize = bytes * 8L * 1_000_000L / imp.rateKbps(); // ns at kbit/s
        if (linkFreeNanos - now > TimeUnit.MILLISECONDS.toNanos(QUEUE_MS)) {
          return -1;
        }
        linkFreeNanos = Math.max(linkFreeNanos, now) + serialize;
        start = linkFreeNanos;
      }
      long delay =
          TimeUnit.MILLISECONDS.toNanos(imp.delayMs())
              + (long) (jitterDraw * TimeUnit.MILLISECONDS.toNanos(imp.jitterMs()));
      long at = start + delay;
      if (reorderDraw < imp.reorderPercent()) {
        return at + TimeUnit.MILLISECONDS.toNanos(imp.delayMs() + imp.jitterMs() + 1);
      }
      at = Math.max(at, lastDueNanos); // jitter alone keeps order, as a cellular link does
      lastDueNanos = at;
      return at;
    }
  }

  private record Packet(long dueNanos, long seq, byte[] data, Flow flow, boolean toServer)
      implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Packet o = (Packet) other;
      int byTime = Long.compare(dueNanos, o.dueNanos);
      return byTime != 0 ? byTime : Long.compare(seq, o.seq);
    }
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    long seq = 0;
    while (!closed) {
      try {
        selector.select(200);
        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          Flow flow = (Flow) key.attachment();
          buffer.clear();
          SocketAddress from;
          if (flow == null) {
            from = listen.receive(buffer);
            if (from == null) {
              continue;
            }
            flow = flows.get(from);
            if (flow == null) {
              if (flows.size() >= MAX_CLIENTS) {
                dropped.incrementAndGet();
                continue;
              }
              flow = new Flow(from);
              flows.put(from, flow);
            }
          } else {
            if (flow.channel.read(buffer) < 0) {
              continue;
            }
          }
          buffer.flip();
          byte[] data = new byte[buffer.remaining()];
          buffer.get(data);
          boolean up = key.attachment() == null;
          long now = System.nanoTime();
          long at = flow.impairedFlow ? (up ? flow.up : flow.down).schedule(data.length, now) : now;
          if (at < 0) {
            dropped.incrementAndGet();
          } else {
            due.add(new Packet(at, seq++, data, flow, up));
          }
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          dropped.incrementAndGet(); // e.g. the upstream refused: a lost packet, not a crash
        }
      }
    }
  }

  private void send() {
    while (!closed) {
      try {
        Packet packet = due.poll(200, TimeUnit.MILLISECONDS);
        if (packet == null) {
          continue;
        }
        if (packet.toServer()) {
          packet.flow().channel.write(ByteBuffer.wrap(packet.data()));
        } else {
          listen.send(ByteBuffer.wrap(packet.data()), packet.flow().client);
        }
        forwarded.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          dropped.incrementAndGet(); // a client whose address went away: lost, as on a real link
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    sender.interrupt();
    try {
      receiver.join(2000);
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Flow flow : flows.values()) {
      flow.channel.close();
    }
    listen.close();
    selector.close();
  }
}
