package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.CarMedia;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The car's simulated camera draws while the media path has a driver's link open, and only then;
 * its frames go to that path (the whole way, with real links: CarAgentEndToEndTest).
 */
class CarAgentCameraTest {

  private final AtomicInteger openLinks = new AtomicInteger();
  private final AtomicInteger linksAsked = new AtomicInteger();
  private final AtomicInteger pushed = new AtomicInteger();
  private final AtomicInteger painted = new AtomicInteger();
  private CarAgent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void theCameraDrawsWhileALinkIsOpenAndItsFramesGoToTheMediaPath() {
    agent = start();

    // No driver: the camera asks at every tick (50 a second) and draws nothing.
    await().atMost(Duration.ofSeconds(10)).until(() -> linksAsked.get() >= 5);
    assertThat(painted.get()).isZero();
    assertThat(pushed.get()).isZero();

    openLinks.set(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> pushed.get() >= 3);
    assertThat(painted.get()).isGreaterThanOrEqualTo(pushed.get());

    openLinks.set(0); // the driver left: at most the frame being drawn then still goes out
    int asked = linksAsked.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> linksAsked.get() >= asked + 5);
    int afterLeaving = pushed.get();
    int askedAgain = linksAsked.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> linksAsked.get() >= askedAgain + 5);
    assertThat(pushed.get()).isEqualTo(afterLeaving);
  }

  private CarAgent start() {
    CarMedia media =
        new CarMedia() {
          @Override
          public CarLink newLink(LinkOptions options, PeerLink.Listener listener) {
            throw new UnsupportedOperationException("no driver comes to a lone car");
          }

          @Override
          public void push(I420Image image, long captureNanos) {
            pushed.incrementAndGet();
          }

          @Override
          public int openLinks() {
            linksAsked.incrementAndGet();
            return openLinks.get();
          }

          @Override
          public String describe() {
            return "counting";
          }

          @Override
          public void close() {}
        };
    RenderedCamera camera =
        new RenderedCamera("test", 64, 64, 50, (image, index) -> painted.incrementAndGet());
    Actuator outputs =
        new Actuator() {
          @Override
          public void apply(Output output) {}

          @Override
          public void close() {}
        };
    return CarAgent.start(
        LoneCar.config("lone"), c -> media, new CarParts(outputs, camera), (status, why) -> {});
  }
}
