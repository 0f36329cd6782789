package dev.rcdrive.bench;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads what rcdrive's {@code rtc} package keeps to itself, for measurement only: the links an
 * engine made (the car agent does not hand out its own) and a link's RTCPeerConnection (for the
 * full stats report; {@link PeerLink#stats()} condenses it). By reflection, so nothing in src/main
 * opens up for a benchmark; if a field is renamed, the benchmark fails loudly here.
 */
final class LinkInternals {
  private LinkInternals() {}

  @SuppressWarnings("unchecked")
  static List<PeerLink> links(RtcEngine engine) {
    return List.copyOf((List<PeerLink>) field(RtcEngine.class, "links", engine));
  }

  /** The engine's one link on the given side, or null. */
  static PeerLink link(RtcEngine engine, PeerLink.Side side) {
    return links(engine).stream().filter(link -> link.side() == side).findFirst().orElse(null);
  }

  static CompletableFuture<RTCStatsReport> report(PeerLink link) {
    RTCPeerConnection pc = (RTCPeerConnection) field(PeerLink.class, "pc", link);
    CompletableFuture<RTCStatsReport> result = new CompletableFuture<>();
    pc.getStats(result::complete);
    return result;
  }

  private static Object field(Class<?> type, String name, Object target) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + name, e);
    }
  }
}
