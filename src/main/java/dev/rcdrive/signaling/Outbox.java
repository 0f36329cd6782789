package dev.rcdrive.signaling;

import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one event makes the {@link Hub} do, in order: messages to send and connections to close. The
 * transport delivers it as it is; tests compare it with the sends they expect.
 */
final class Outbox {

  /** One thing to do. */
  sealed interface Effect permits Send, Close {
    Hub.Peer peer();
  }

  /** Queue {@code message} to {@code peer}. */
  record Send(Hub.Peer peer, SignalMessage message) implements Effect {}

  /** Close {@code peer}'s connection after what is already queued to it. */
  record Close(Hub.Peer peer, int code, String reason) implements Effect {}

  private final List<Effect> effects = new ArrayList<>();
  private final List<ErrorCode> refusals = new ArrayList<>();
  private Duration wakeAfter;
  private String failedLogin;
  private final List<String> warnings = new ArrayList<>();
  private String reloaded;

  void send(Hub.Peer to, SignalMessage message) {
    effects.add(new Send(to, message));
  }

  void close(Hub.Peer peer, int code, String reason) {
    effects.add(new Close(peer, code, reason));
  }

  void refused(ErrorCode code) {
    refusals.add(code);
  }

  void wakeAfter(Duration delay) {
    wakeAfter = delay;
  }

  void failedLogin(String who) {
    failedLogin = who;
  }

  void warn(String text) {
    warnings.add(text);
  }

  void reloaded(String summary) {
    reloaded = summary;
  }

  List<Effect> effects() {
    return effects;
  }

  /** Every refusal decided (an {@code error} or a {@code denied}), delivered or not: for stats. */
  List<ErrorCode> refusals() {
    return refusals;
  }

  /** Non-null when the hub asks to be woken ({@link Hub#wake()}) after this delay. */
  Duration wakeAfter() {
    return wakeAfter;
  }

  /**
   * Non-null when a {@code hello} carried a wrong credential: who it claimed to be ("driver", "car
   * buggy"; never the credential), for the failed-login budget.
   */
  String failedLogin() {
    return failedLogin;
  }

  /** What the operator must hear about (the transport logs each at WARN): a car id flapping. */
  List<String> warnings() {
    return warnings;
  }

  /** Non-null after a reload: what changed, for the log and the operator (no secret in it). */
  String reloaded() {
    return reloaded;
  }
}
