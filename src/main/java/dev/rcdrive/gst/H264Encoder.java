package dev.rcdrive.gst;

import java.util.Locale;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Structure;

/**
 * The H.264 encoders the hardware path knows, each set for low latency: constrained baseline (no
 * B-frames), SPS/PPS before every IDR ({@code h264parse config-interval=-1} after it), an IDR every
 * {@code idrFrames} frames as a backstop to the driver's keyframe requests, and constant bitrate
 * that {@link BitrateControl} moves while the pipeline plays.
 */
enum H264Encoder {
  /** The Raspberry Pi's hardware encoder (Pi 4 and older; the Pi 5 has none), through V4L2. */
  V4L2("v4l2h264enc") {
    @Override
    String fragment(int kbps, int idrFrames) {
      // V4L2 controls: CBR (mode 1), constrained baseline (profile 1), level 4.0 (11)
      return String.format(
          Locale.ROOT,
          "v4l2h264enc name=enc extra-controls=\"controls,video_bitrate=%d,video_bitrate_mode=1,"
              + "h264_i_frame_period=%d,repeat_sequence_header=1,h264_profile=1,h264_level=11\""
              + " ! video/x-h264,level=(string)4,profile=(string)constrained-baseline",
          kbps * 1000,
          idrFrames);
    }

    @Override
    void setKbps(Element encoder, int kbps) {
      encoder.set("extra-controls", Structure.fromString("controls,video_bitrate=" + kbps * 1000));
    }

    @Override
    int kbps(Element encoder) {
      Object controls = encoder.get("extra-controls");
      if (controls instanceof Structure s && s.hasField("video_bitrate")) {
        return s.getInteger("video_bitrate") / 1000;
      }
      return -1;
    }
  },

  /** x264 in software: stands in for the hardware encoder where there is none (tests, a PC). */
  X264("x264enc") {
    @Override
    String fragment(int kbps, int idrFrames) {
      return String.format(
          Locale.ROOT,
          "x264enc name=enc tune=zerolatency speed-preset=ultrafast bitrate=%d key-int-max=%d"
              + " bframes=0 b-adapt=false aud=false byte-stream=true vbv-buf-capacity=%d"
              + " ! video/x-h264,profile=(string)constrained-baseline",
          kbps,
          idrFrames,
          VBV_MILLIS);
    }

    @Override
    void setKbps(Element encoder, int kbps) {
      encoder.set("bitrate", kbps);
    }

    @Override
    int kbps(Element encoder) {
      return ((Number) encoder.get("bitrate")).intValue();
    }
  },

  /** Cisco's OpenH264 in software (constrained baseline only): the other stand-in. */
  OPENH264("openh264enc") {
    @Override
    String fragment(int kbps, int idrFrames) {
      return String.format(
          Locale.ROOT,
          "openh264enc name=enc bitrate=%d gop-size=%d rate-control=bitrate complexity=low"
              + " usage-type=camera ! video/x-h264,profile=(string)constrained-baseline",
          kbps * 1000,
          idrFrames);
    }

    @Override
    void setKbps(Element encoder, int kbps) {
      encoder.set("bitrate", kbps * 1000);
    }

    @Override
    int kbps(Element encoder) {
      return ((Number) encoder.get("bitrate")).intValue() / 1000;
    }
  };

  /**
   * x264's rate buffer: 100 ms instead of its 600, so a keyframe is at most ~3 frames' worth of
   * bits. With 600 ms, a keyframe asked for after a loss came as a burst larger than a narrow
   * uplink's queue: more loss, another keyframe request, 6–8 fps (NetworkFaultsIT).
   */
  static final int VBV_MILLIS = 100;

  private final String element;

  H264Encoder(String element) {
    this.element = element;
  }

  /** The GStreamer element's name. */
  String element() {
    return element;
  }

  /** The encoder and the caps after it, in gst-launch syntax, named "enc". */
  abstract String fragment(int kbps, int idrFrames);

  /** Moves the bitrate while the pipeline plays. */
  abstract void setKbps(Element encoder, int kbps);

  /** The bitrate the encoder is set to now, in kbps (-1 when it cannot tell). */
  abstract int kbps(Element encoder);
}
