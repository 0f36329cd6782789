package dev.rcdrive.rtc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Adds libwebrtc's {@code x-google-start-bitrate} to the video codecs of a session description.
 * libwebrtc starts every video send stream at 300 kbps; below 500 kbps its encoder drops the first
 * frames of anything larger than 640x480 (waiting for a smaller picture that a custom source never
 * sends), which costs about 130 ms before the first 720p frame. The sender takes the parameter from
 * the codecs of the <em>remote</em> description, so the car applies it to the offer it receives.
 */
final class SdpBitrate {

  private static final String PARAMETER = "x-google-start-bitrate";
  private static final Set<String> MEDIA_CODECS = Set.of("VP8", "VP9", "H264", "AV1");

  private SdpBitrate() {}

  /** The description with the start bitrate on every video media codec (rtx, red, fec left). */
  static String withStartBitrate(String sdp, int kbps) {
    if (kbps <= 0) {
      return sdp;
    }
    String newline = sdp.contains("\r\n") ? "\r\n" : "\n";
    String[] lines = sdp.split("\r?\n", -1);
    Set<String> payloadTypes = new HashSet<>();
    boolean video = false;
    for (String line : lines) {
      if (line.startsWith("m=")) {
        video = line.startsWith("m=video");
      } else if (video && line.startsWith("a=rtpmap:")) {
        String[] parts = line.substring("a=rtpmap:".length()).split("[ /]");
        if (parts.length >= 2 && MEDIA_CODECS.contains(parts[1].toUpperCase(Locale.ROOT))) {
          payloadTypes.add(parts[0]);
        }
      }
    }
    Set<String> withFmtp = new HashSet<>();
    for (String line : lines) {
      if (line.startsWith("a=fmtp:")) {
        withFmtp.add(line.substring("a=fmtp:".length()).split(" ", 2)[0]);
      }
    }
    List<String> out = new ArrayList<>(lines.length + payloadTypes.size());
    video = false;
    for (String line : lines) {
      if (line.startsWith("m=")) {
        video = line.startsWith("m=video");
      }
      if (video && line.startsWith("a=fmtp:")) {
        String pt = line.substring("a=fmtp:".length()).split(" ", 2)[0];
        if (payloadTypes.contains(pt) && !line.contains(PARAMETER)) {
          line = line + ";" + PARAMETER + "=" + kbps;
        }
      }
      out.add(line);
      if (video && line.startsWith("a=rtpmap:")) {
        String pt = line.substring("a=rtpmap:".length()).split(" ", 2)[0];
        if (payloadTypes.contains(pt) && !withFmtp.contains(pt)) {
          out.add("a=fmtp:" + pt + " " + PARAMETER + "=" + kbps);
        }
      }
    }
    return String.join(newline, out);
  }
}
