package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.sim.TestPattern;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing on the control thread dies quietly. A throwable on the tick path used to cancel every
 * later tick (scheduleAtFixedRate) with nothing logged: the frame timeout was gone. Now an
 * exception puts the car in failsafe and the ticks go on; an Error puts the outputs to neutral
 * first, then ends the process with status 70.
 */
class ControlThreadFaultTest {

  private static RtcEngine engine;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> cameraFault = new AtomicReference<>();

  /** While set, the camera's health() never returns: the control tick is frozen in it. */
  private final java.util.concurrent.atomic.AtomicBoolean freeze =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final java.util.concurrent.CountDownLatch thaw =
      new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean frozen =
      new java.util.concurrent.atomic.AtomicBoolean();
  private CarAgent agent;

  @BeforeAll
  static void engine() {
    engine = RtcEngine.create();
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @AfterEach
  void stop() {
    freeze.set(false);
    thaw.countDown();
    if (agent != null) {
      agent.close();
    }
  }

  /** Records each output it is told; its camera's health() throws what the test sets, once. */
  private CarAgent start() {
    Actuator actuator =
        new Actuator() {
          @Override
          public void apply(Output output) {
            if (output.isNeutral()) {
              events.add("neutral");
            }
          }

          @Override
          public void close() {
            events.add("actuator closed");
          }
        };
    RenderedCamera rendered = new RenderedCamera("test", 64, 64, 5, TestPattern::render);
    CameraSource camera =
        new CameraSource() {
          @Override
          public void start(FrameConsumer consumer) {
            rendered.start(consumer);
          }

          @Override
          public String describe() {
            return rendered.describe();
          }

          @Override
          public void close() {
            events.add("camera closed");
            rendered.close();
          }

          @Override
          public Health health() {
            while (freeze.get()) {
              frozen.set(true);
              try {
                thaw.await();
              } catch (InterruptedException e) {
                // a frozen thread does not answer an interrupt either
              }
            }
            Throwable t = cameraFault.getAndSet(null);
            if (t instanceof RuntimeException e) {
              throw e;
            }
            if (t instanceof Error e) {
              throw e;
            }
            return Health.RUNNING;
          }
        };
    AgentConfig config = LoneCar.config("guarded");
    agent =
        CarAgent.start(
            config,
            engine,
            new CarParts(actuator, camera),
            (status, why) -> events.add("exit " + status + " " + why));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("neutral"));
    return agent;
  }

  @Test
  void closingWithAFrozenTickPutsTheOutputsToNeutralBeforeTheRestCloses() {
    CarAgent car = start();
    freeze.set(true);
    await().atMost(Duration.ofSeconds(5)).until(frozen::get);
    events.clear();

    car.close();
    agent = null;

    // Not after the camera, signaling and the link: at once, from the closing thread.
    assertThat(events).containsSubsequence("actuator closed", "camera closed");
  }

  @Test
  void anExceptionOnTheTickFailsSafeAndTheTicksGoOn() {
    CarAgent car = start();
    cameraFault.set(new IllegalStateException("a bug"));

    await().atMost(Duration.ofSeconds(5)).until(() -> car.status().state() == CarState.FAILSAFE);
    long tickAfterFault = car.lastTickNanos();

    assertThat(car.status().reason()).isEqualTo("internal error in the control tick");
    await().atMost(Duration.ofSeconds(5)).until(() -> car.lastTickNanos() > tickAfterFault);
    assertThat(events).noneMatch(e -> e.startsWith("exit"));
  }

  @Test
  void anErrorOnTheTickWritesNeutralThenEndsTheProcess() {
    start();
    events.clear();
    cameraFault.set(new OutOfMemoryError("simulated"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> events.stream().anyMatch(e -> e.startsWith("exit")));

    assertThat(events.get(0)).isEqualTo("neutral");
    assertThat(events)
        .filteredOn(e -> e.startsWith("exit"))
        .containsExactly("exit 70 control tick: java.lang.OutOfMemoryError: simulated");
    assertThat(events.indexOf("neutral"))
        .isLessThan(
            events.indexOf(
                events.stream().filter(e -> e.startsWith("exit")).findFirst().orElseThrow()));
  }
}
