package dev.rcdrive.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.media.video.VideoDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code camera.device} picks a USB camera from libwebrtc's list. */
class CameraChoiceTest {

  private static VideoDevice device(String name, String descriptor) {
    return new VideoDevice(name, descriptor) {};
  }

  private final List<VideoDevice> cameras =
      List.of(
          device("HD Pro Webcam C920", "usb-0000:01:00.0-1.2"),
          device("USB2.0 Camera: USB2.0 Camera", "usb-0000:01:00.0-1.4"));

  @Test
  void byIndex() {
    assertThat(RtcEngine.choose(cameras, "1").getName()).startsWith("USB2.0");
  }

  @Test
  void byPartOfTheName() {
    assertThat(RtcEngine.choose(cameras, "C920").getName()).isEqualTo("HD Pro Webcam C920");
  }

  @Test
  void byDescriptor() {
    assertThat(RtcEngine.choose(cameras, "usb-0000:01:00.0-1.4").getName()).startsWith("USB2.0");
  }

  @Test
  void nothingMatchesOutOfRangeOrUnknown() {
    assertThat(RtcEngine.choose(cameras, "2")).isNull();
    assertThat(RtcEngine.choose(cameras, "Logitech Brio")).isNull();
    assertThat(RtcEngine.choose(List.of(), "0")).isNull();
    assertThat(RtcEngine.choose(cameras, null)).isNull();
  }
}
