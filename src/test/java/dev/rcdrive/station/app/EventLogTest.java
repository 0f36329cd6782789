package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.station.link.LinkStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private final EventLog log =
      new EventLog(Clock.fixed(Instant.parse("2026-12-05T21:07:09Z"), ZoneOffset.UTC));

  private static LinkStatus link(
      LinkStatus.Phase phase, String local, CarState car, StateReason why) {
    return new LinkStatus(
        phase, "", local, "host", 1, 30, 640, 360, 1, 0, 1, 1, 1, car, null, null, true, why);
  }

  @Test
  void connectedRelayFailsafeWithItsReasonAndLinkLossAreLoggedWithTheTime() {
    LinkStatus connected = link(LinkStatus.Phase.CONNECTED, "relay", CarState.DISARMED, null);
    LinkStatus failsafe =
        link(
            LinkStatus.Phase.CONNECTED,
            "relay",
            CarState.FAILSAFE,
            new StateReason(CarState.FAILSAFE, StateReason.Cause.LINK_LOST, 0, ""));
    LinkStatus lost = link(LinkStatus.Phase.RECONNECTING, "relay", CarState.FAILSAFE, null);

    log.linkChanged(null, connected, "");
    log.linkChanged(connected, failsafe, "");
    log.linkChanged(failsafe, lost, "link interrupted");
    log.linkChanged(lost, failsafe, "");

    assertThat(log.lines())
        .containsExactly(
            "21:07:09  Connected to the car",
            "21:07:09  Video and control go through the TURN relay (no direct path)",
            "21:07:09  Car DISARMED",
            "21:07:09  Car FAILSAFE: its link to this station was lost",
            "21:07:09  Link lost: link interrupted",
            "21:07:09  Link back");
  }

  @Test
  void keepsOnlyTheNewestAndDropsARepeat() {
    log.add("same");
    log.add("same");
    assertThat(log.lines()).hasSize(1);
    for (int i = 0; i < EventLog.LIMIT + 5; i++) {
      log.add("event " + i);
    }
    assertThat(log.lines()).hasSize(EventLog.LIMIT);
    assertThat(log.lines().get(EventLog.LIMIT - 1)).endsWith("event " + (EventLog.LIMIT + 4));
  }
}
