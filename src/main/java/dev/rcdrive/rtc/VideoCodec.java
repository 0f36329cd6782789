package dev.rcdrive.rtc;

/** Video codecs libwebrtc offers here; VP8 is the default (fast software encode on a Pi). */
public enum VideoCodec {
  VP8,
  VP9,
  H264,
  AV1;

  String mimeSubtype() {
    return name();
  }
}
