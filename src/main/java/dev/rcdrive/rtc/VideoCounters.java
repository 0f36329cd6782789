package dev.rcdrive.rtc;

/**
 * libwebrtc's cumulative video timing counters from one stats snapshot: the sender's (outbound-rtp)
 * and the receiver's (inbound-rtp). Totals since the stream started, in seconds as the stats report
 * them; the difference of two snapshots divided by the difference of the matching count gives the
 * mean per frame (or per packet) over that interval. A counter the stack did not report is 0.
 *
 * @param framesEncoded sender: frames the encoder produced
 * @param totalEncodeTime sender: seconds spent encoding them
 * @param packetsSent sender: RTP packets sent
 * @param totalPacketSendDelay sender: seconds packets waited in the pacer before going out
 * @param framesDecoded receiver: frames decoded
 * @param totalDecodeTime receiver: seconds spent decoding them
 * @param jitterBufferEmittedCount receiver: frames that left the jitter buffer
 * @param jitterBufferDelay receiver: seconds from each frame's first packet to its release for
 *     decoding (assembly included)
 * @param jitterBufferTargetDelay receiver: the sum of the buffer's target delay at each release
 * @param jitterBufferMinimumDelay receiver: the sum of the buffer's minimum delay at each release
 * @param totalProcessingDelay receiver: seconds from each frame's first packet to decoded
 * @param totalAssemblyTime receiver: seconds from first to last packet, for frames of several
 * @param framesAssembledFromMultiplePackets receiver: the count that goes with it
 */
public record VideoCounters(
    long framesEncoded,
    double totalEncodeTime,
    long packetsSent,
    double totalPacketSendDelay,
    long framesDecoded,
    double totalDecodeTime,
    long jitterBufferEmittedCount,
    double jitterBufferDelay,
    double jitterBufferTargetDelay,
    double jitterBufferMinimumDelay,
    double totalProcessingDelay,
    double totalAssemblyTime,
    long framesAssembledFromMultiplePackets) {

  public static final VideoCounters NONE = new VideoCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
