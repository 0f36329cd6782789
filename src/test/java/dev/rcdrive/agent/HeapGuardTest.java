package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When an agent restarts itself to give memory back: idle, and above its share of the heap. */
class HeapGuardTest {

  @ParameterizedTest(name = "idle {0}, {1} MB of 256 MB, limit {2} %: restart {3}")
  @CsvSource(
      textBlock =
          """
          true,  200, 75, true
          true,  192, 75, false
          true,  100, 75, false
          false, 250, 75, false
          true,  130, 50, true
          """)
  void restartsOnlyWhenIdleAndAboveTheShare(
      boolean idle, long usedMb, int percent, boolean restart) {
    AtomicInteger reads = new AtomicInteger();
    HeapGuard guard =
        new HeapGuard(
            percent,
            () -> {
              reads.incrementAndGet();
              return new HeapGuard.Heap(usedMb << 20, 256L << 20);
            },
            () -> idle);

    HeapGuard.Verdict verdict = guard.check();

    assertThat(verdict.restart()).isEqualTo(restart);
    // the heap is read (a full GC) only when no one drives
    assertThat(reads.get()).isEqualTo(idle ? 1 : 0);
    if (idle) {
      assertThat(verdict.reason())
          .isEqualTo("live heap " + usedMb + " MB of 256 MB (restart above " + percent + " %)");
    }
  }

  @ParameterizedTest(name = "a driver arrives during the collection")
  @CsvSource("200")
  void aDriverWhoArrivesDuringTheCollectionKeepsTheCar(long usedMb) {
    AtomicBoolean idle = new AtomicBoolean(true);
    HeapGuard guard =
        new HeapGuard(
            75,
            () -> {
              idle.set(false); // the driver connects while the GC runs
              return new HeapGuard.Heap(usedMb << 20, 256L << 20);
            },
            idle::get);

    assertThat(guard.check().restart()).isFalse();
  }
}
