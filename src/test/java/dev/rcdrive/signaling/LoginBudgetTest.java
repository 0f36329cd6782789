package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failed-login budget on a virtual clock, as timelines: at a time (seconds), from an address, a
 * login fails ({@code fail}) or asks whether it may try ({@code try}), and the budget answers
 * {@code free} or {@code blocked <seconds>}; {@code count} reads the failures it holds. Budget: 5
 * failures allowed, blocks from 1 s doubling up to 300 s, one failure forgiven every 10 minutes.
 */
class LoginBudgetTest {

  static final String TIMELINES =
      """
      ## five failures are free, then each one blocks twice as long as the last
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a try   free
      0     a fail  blocked 1
      0.5   a try   blocked 0.5
      1     a try   free
      1     a fail  blocked 2
      3     a fail  blocked 4
      7     a fail  blocked 8
      15    a fail  blocked 16
      31    a count 10

      ## the block never grows past its cap
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  blocked 1
      1     a fail  blocked 2
      3     a fail  blocked 4
      7     a fail  blocked 8
      15    a fail  blocked 16
      31    a fail  blocked 32
      63    a fail  blocked 64
      127   a fail  blocked 128
      255   a fail  blocked 256
      511   a fail  blocked 300
      811   a fail  blocked 300
      811   a count 15

      ## tries while blocked neither count nor lengthen the block
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  blocked 1
      0.2   a try   blocked 0.8
      0.4   a try   blocked 0.6
      0.9   a try   blocked 0.1
      0.9   a count 6
      1     a try   free

      ## addresses have budgets of their own
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  blocked 1
      0     b try   free
      0     b fail  free
      0     b count 1

      ## one failure is forgiven every ten minutes, so a mistyping user is soon back in budget
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  free
      0     a fail  blocked 1
      599   a count 6
      600   a count 5
      600   a fail  blocked 1
      3600  a count 1
      7200  a count 0
      7200  a fail  free

      ## the count drains steadily, one every ten minutes from the first failure on
      0     a fail  free
      300   a fail  free
      600   a count 1
      1199  a count 1
      1200  a count 0
      """;

  static Stream<Arguments> timelines() {
    List<Arguments> timelines = new ArrayList<>();
    String title = null;
    List<String> steps = new ArrayList<>();
    for (String line : (TIMELINES + "## end\n").lines().toList()) {
      if (line.startsWith("## ")) {
        if (title != null) {
          timelines.add(Arguments.of(title, List.copyOf(steps)));
        }
        title = line.substring(3);
        steps.clear();
      } else if (!line.isBlank()) {
        steps.add(line.strip());
      }
    }
    return timelines.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timelines")
  void timeline(String title, List<String> steps) {
    VirtualTime time = new VirtualTime();
    LoginBudget budget = new LoginBudget(5, Duration.ofSeconds(300), time::nanoTime);
    for (String step : steps) {
      String[] words = step.split("\\s+");
      Duration at = seconds(words[0]);
      time.advance(at.minusNanos(time.nanoTime()));
      String address = words[1];
      String answer =
          switch (words[2]) {
            case "fail" -> verdict(budget.failed(address));
            case "try" -> verdict(budget.blockedFor(address));
            case "count" -> String.valueOf(budget.failures(address));
            default -> throw new IllegalArgumentException(step);
          };
      String expected = step.substring(step.indexOf(words[2]) + words[2].length()).strip();
      assertThat(answer).as(step).isEqualTo(expected);
    }
  }

  private static Duration seconds(String text) {
    return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
  }

  private static String verdict(Duration blocked) {
    if (blocked.isZero()) {
      return "free";
    }
    double seconds = blocked.toMillis() / 1000.0;
    return "blocked " + (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : seconds);
  }

  @Test
  void remembersAtMostItsLimitOfAddressesForgettingTheLeastRecentlyFailingFirst() {
    VirtualTime time = new VirtualTime();
    LoginBudget budget = new LoginBudget(1, Duration.ofSeconds(300), time::nanoTime);
    budget.failed("first");
    budget.failed("first"); // over budget: blocked
    for (int i = 0; i < LoginBudget.MAX_TRACKED; i++) {
      budget.failed("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF));
    }

    assertThat(budget.failures("first")).isZero();
    assertThat(budget.blockedFor("first")).isZero();
    assertThat(budget.failures("10.0.0.1")).isEqualTo(1);
  }
}
