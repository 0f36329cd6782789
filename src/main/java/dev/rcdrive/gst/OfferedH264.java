package dev.rcdrive.gst;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the car's answer needs from the driver's offer: the payload type the driver gave H.264 (the
 * car sends with it), the media ids in order (webrtcbin names a local candidate by its m-line only;
 * the driver's libwebrtc wants the mid too), and the ids the offer gave the playout-delay header
 * extension ({@link PlayoutDelay}) and the transport-wide sequence number ({@link
 * TransportFeedback}); 0 for one it does not offer.
 *
 * <p>Of the offer's H.264 formats the car takes one with packetization-mode=1 (the only one that
 * fragments a frame over several packets), constrained baseline (42e0xx) first, then baseline
 * (4200xx), then any other: the encoder makes constrained baseline, which every H.264 decoder
 * reads.
 */
record OfferedH264(
    int payloadType,
    String profileLevelId,
    List<String> mids,
    int playoutDelayId,
    int transportCcId) {

  private static final Pattern RTPMAP =
      Pattern.compile("^a=rtpmap:(\\d+) H264/90000", Pattern.CASE_INSENSITIVE);
  private static final Pattern FMTP = Pattern.compile("^a=fmtp:(\\d+) (.*)$");
  private static final Pattern EXTMAP = Pattern.compile("^a=extmap:(\\d+)(?:/\\S+)? (\\S+)");

  OfferedH264 {
    mids = List.copyOf(mids);
  }

  /** The H.264 format the car answers with; null when the offer has none it can send. */
  static OfferedH264 from(String sdp) {
    List<String> mids = new ArrayList<>();
    List<Integer> h264 = new ArrayList<>();
    java.util.Map<Integer, String> fmtp = new java.util.HashMap<>();
    boolean video = false;
    int playoutDelayId = 0;
    int transportCcId = 0;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        video = line.startsWith("m=video");
      } else if (line.startsWith("a=mid:")) {
        mids.add(line.substring("a=mid:".length()).trim());
      } else if (video) {
        Matcher rtpmap = RTPMAP.matcher(line);
        Matcher f = FMTP.matcher(line);
        Matcher extmap = EXTMAP.matcher(line);
        if (extmap.find()) {
          int id = Integer.parseInt(extmap.group(1));
          // One-byte headers carry ids 1-14 only; libwebrtc offers these small ids.
          int usable = id >= 1 && id <= 14 ? id : 0;
          if (extmap.group(2).equals(PlayoutDelay.URI)) {
            playoutDelayId = usable;
          } else if (extmap.group(2).equals(TransportFeedback.URI)) {
            transportCcId = usable;
          }
        } else if (rtpmap.find()) {
          h264.add(Integer.parseInt(rtpmap.group(1)));
        } else if (f.find()) {
          fmtp.put(Integer.parseInt(f.group(1)), f.group(2));
        }
      }
    }
    Integer best = null;
    int bestRank = Integer.MAX_VALUE;
    String bestProfile = null;
    for (int pt : h264) {
      String params = fmtp.getOrDefault(pt, "").toLowerCase(Locale.ROOT);
      if (!params.contains("packetization-mode=1")) {
        continue;
      }
      Matcher profile = Pattern.compile("profile-level-id=([0-9a-f]{6})").matcher(params);
      String id = profile.find() ? profile.group(1) : "42e01f";
      int rank = id.startsWith("42e0") ? 0 : id.startsWith("4200") ? 1 : 2;
      if (rank < bestRank) {
        best = pt;
        bestRank = rank;
        bestProfile = id;
      }
    }
    return best == null
        ? null
        : new OfferedH264(best, bestProfile, mids, playoutDelayId, transportCcId);
  }

  /** The mid of m-line {@code index}, or its index as text when the offer named none. */
  String mid(int index) {
    return index >= 0 && index < mids.size() ? mids.get(index) : Integer.toString(index);
  }
}
