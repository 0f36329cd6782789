package dev.rcdrive.signaling;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per address. The first {@code allowed} failures are free; each one after that
 * refuses every login from the address for a time that doubles with each further failure (1 s, 2 s,
 * 4 s, … up to {@code maxBlock}). One failure is forgiven every ten minutes, so a user who mistyped
 * a token is soon back to a full budget, while a guesser is held to one guess per block.
 *
 * <p>A blocked login is refused without looking at its credential: were the right one accepted, a
 * guesser would learn that it guessed right. Refusals while blocked are not failures and do not
 * lengthen the block. Successful logins do not reset the count (a client holding one valid token
 * could otherwise reset the budget it spends guessing another).
 *
 * <p>At most {@value #MAX_TRACKED} addresses are remembered, least recently failing first
 * forgotten, so a botnet cannot grow the map without bound. Not thread-safe; plain Java on an
 * injected clock, so its rules are tested without waiting.
 */
final class LoginBudget {

  static final Duration FIRST_BLOCK = Duration.ofSeconds(1);
  static final Duration FORGIVE_ONE_EVERY = Duration.ofMinutes(10);
  static final int MAX_TRACKED = 65_536;

  private final int allowed;
  private final long maxBlockNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Account> accounts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Account> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  private static final class Account {
    int failures;

    /** When the last forgiveness step was applied (nanoTime). */
    long countedAt;

    long blockedUntil;
  }

  LoginBudget(int allowed, Duration maxBlock, LongSupplier nanoTime) {
    this.allowed = allowed;
    this.maxBlockNanos = maxBlock.toNanos();
    this.nanoTime = nanoTime;
  }

  int allowed() {
    return allowed;
  }

  /** How much longer logins from {@code address} are refused; zero when they may try now. */
  Duration blockedFor(String address) {
    Account account = accounts.get(address);
    if (account == null) {
      return Duration.ZERO;
    }
    long now = nanoTime.getAsLong();
    forgive(account, now);
    long left = account.blockedUntil - now;
    if (left > 0) {
      return Duration.ofNanos(left);
    }
    if (account.failures == 0) {
      accounts.remove(address); // nothing left to remember
    }
    return Duration.ZERO;
  }

  /** Failures counted against {@code address} now (after forgiveness). */
  int failures(String address) {
    Account account = accounts.get(address);
    if (account == null) {
      return 0;
    }
    forgive(account, nanoTime.getAsLong());
    return account.failures;
  }

  /**
   * Counts a failed login; returns how long the address is now blocked (zero while it is still
   * within its budget).
   */
  Duration failed(String address) {
    long now = nanoTime.getAsLong();
    Account account = accounts.computeIfAbsent(address, a -> new Account());
    forgive(account, now);
    if (account.failures == 0) {
      account.countedAt = now;
    }
    account.failures++;
    int over = account.failures - allowed;
    if (over <= 0) {
      return Duration.ZERO;
    }
    long block = FIRST_BLOCK.toNanos() << Math.min(over - 1, 30);
    block = Math.min(block, maxBlockNanos);
    account.blockedUntil = now + block;
    return Duration.ofNanos(block);
  }

  private static void forgive(Account account, long now) {
    if (account.failures == 0) {
      return;
    }
    long every = FORGIVE_ONE_EVERY.toNanos();
    long steps = (now - account.countedAt) / every;
    if (steps > 0) {
      account.failures = (int) Math.max(0, account.failures - steps);
      account.countedAt += steps * every;
    }
  }
}
