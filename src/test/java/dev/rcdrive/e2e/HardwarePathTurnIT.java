package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.faults.NetNs;
import dev.rcdrive.gst.GstAvailable;
import dev.rcdrive.testing.Coturn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The car's hardware path (GStreamer webrtcbin, x264enc standing in for the Pi's encoder) through a
 * real coturn, both peers relay-only, with the credentials the signaling server mints. libnice,
 * webrtcbin's ICE agent, will not use a relay address on loopback (RelayOnlyTest's coturn), so this
 * coturn listens and relays on the root side of a veth pair the test creates ({@link NetNs}): an
 * address that is not loopback and that the test removes again. Needs root, as the fault ITs do.
 */
class HardwarePathTurnIT {

  @Test
  void videoAndControlsFlowThroughTurnOnTheHardwarePath() throws Exception {
    GstAvailable.assumeInstalled();
    Assumptions.assumeTrue(
        Coturn.installed() || System.getenv("CI") != null, "coturn is not installed");
    String noNamespaces = NetNs.unavailableReason();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(noNamespaces == null, noNamespaces);
    }
    try (NetNs pair = NetNs.create("turn");
        Coturn turn = Coturn.start("hw-relay-" + System.nanoTime(), pair.hostAddress())) {
      CarAgent agent = RelayOnlyTest.driveThrough(turn, AgentConfig.Encoder.HARDWARE);
      assertThat(agent.describeMedia()).contains("x264enc");
    }
  }
}
