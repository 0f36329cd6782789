package dev.rcdrive.gst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.ReceivedFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.sim.TestPattern;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hardware path's link against the station's real peer connection (webrtc-java), wired to each
 * other directly: webrtcbin answers libwebrtc's offer, both data channels carry messages both ways,
 * H.264 frames arrive with the camera's frame stamp, a keyframe request becomes an IDR, and a
 * bitrate change reaches the encoder. The software stand-in (x264enc) encodes here.
 */
@Tag("slow")
class GstCarLinkTest {

  private static RtcEngine engine;
  private final ExecutorService relay = Executors.newSingleThreadExecutor();
  private GstMedia media;
  private RenderedCamera camera;
  private PeerLink driver;
  private CarLink car;

  @BeforeAll
  static void start() {
    GstAvailable.assumeInstalled();
    engine = RtcEngine.create();
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    if (camera != null) {
      camera.close();
    }
    relay
        .submit(
            () -> {
              if (driver != null) {
                driver.close();
              }
              if (car != null) {
                car.close();
              }
              if (media != null) {
                media.close();
              }
            })
        .get(10, TimeUnit.SECONDS);
    relay.shutdown();
  }

  static final class Events implements PeerLink.Listener {
    volatile Supplier<CarLink> peer;
    final ExecutorService relay;
    final List<PeerLink.State> states = new CopyOnWriteArrayList<>();
    final List<PeerLink.Channel> open = new CopyOnWriteArrayList<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<FrameStamp> stamps = new LinkedBlockingQueue<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile String description;
    volatile String offer;
    final java.util.concurrent.atomic.AtomicInteger frames =
        new java.util.concurrent.atomic.AtomicInteger();

    Events(ExecutorService relay) {
      this.relay = relay;
    }

    @Override
    public void onLocalDescription(SignalMessage description) {
      if (description instanceof SignalMessage.Answer answer) {
        this.description = answer.sdp();
      } else if (description instanceof SignalMessage.Offer sent) {
        this.offer = sent.sdp();
      }
      relay.execute(() -> peer.get().applyRemote(description));
    }

    @Override
    public void onLocalCandidate(Candidate candidate) {
      relay.execute(() -> peer.get().addRemoteCandidate(candidate));
    }

    @Override
    public void onState(PeerLink.State state) {
      states.add(state);
    }

    @Override
    public void onChannelOpen(PeerLink.Channel channel) {
      open.add(channel);
    }

    @Override
    public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      messages.add(copy);
    }

    @Override
    public void onVideoFrame(ReceivedFrame frame) {
      frames.incrementAndGet();
      FrameStamp stamp = frame.stamp();
      if (stamp != null) {
        stamps.add(stamp);
      }
    }

    @Override
    public void onError(String reason) {
      errors.add(reason);
    }
  }

  private Events driverEvents;
  private Events carEvents;

  private void connect(GstMedia carMedia, LinkOptions carOptions) {
    media = carMedia;
    driverEvents = new Events(relay);
    carEvents = new Events(relay);
    car = media.newLink(carOptions, carEvents);
    driver =
        engine.newLink(
            PeerLink.Side.DRIVER, LinkOptions.defaults().withCodec(VideoCodec.H264), driverEvents);
    driverEvents.peer = () -> car;
    carEvents.peer = () -> driver;
    camera = new RenderedCamera("test", 640, 360, 30, TestPattern::render);
    camera.start(media::push);
    driver.start();
  }

  /** Connects a pushed 640x360 camera through x264enc and waits for both channels both ways. */
  private GstCarLink connected() {
    connect(GstMedia.open(GstMedia.Source.pushed(640, 360, 30), "x264enc"), LinkOptions.defaults());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> driverEvents.open.size() == 2 || !driverEvents.errors.isEmpty());
    assertThat(driverEvents.errors).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> carEvents.open.size() == 2);
    return media.links().get(0);
  }

  @Test
  void answersTheStationsOfferWithChannelsAndStampedH264() throws Exception {
    connected();
    assertThat(carEvents.open).containsExactlyInAnyOrder(PeerLink.Channel.values());
    assertThat(car.send(PeerLink.Channel.TELEMETRY, new byte[] {1, 2, 3})).isTrue();
    assertThat(driverEvents.messages.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
    assertThat(driver.send(PeerLink.Channel.CONTROL, new byte[] {4, 5})).isTrue();
    assertThat(carEvents.messages.poll(5, TimeUnit.SECONDS)).containsExactly(4, 5);

    FrameStamp first = driverEvents.stamps.poll(10, TimeUnit.SECONDS);
    assertThat(first)
        .as("a stamped frame decoded at the station (%d frames came)", driverEvents.frames.get())
        .isNotNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> driverEvents.stamps.size() > 20);
    LinkStats stats = driver.stats().get(5, TimeUnit.SECONDS);
    assertThat(stats.codec()).isEqualToIgnoringCase("video/H264");
    assertThat(carEvents.states).contains(PeerLink.State.CONNECTED);
  }

  /** What an element does when it fails: an error message on the pipeline's bus. */
  interface ErrorPosting extends com.sun.jna.Library {
    ErrorPosting GST = com.sun.jna.Native.load("gstreamer-1.0", ErrorPosting.class);
    ErrorPosting GLIB = com.sun.jna.Native.load("glib-2.0", ErrorPosting.class);

    int gst_core_error_quark();

    com.sun.jna.Pointer g_error_new_literal(int domain, int code, String message);

    void g_error_free(com.sun.jna.Pointer error);

    com.sun.jna.Pointer gst_message_new_error(
        com.sun.jna.Pointer source, com.sun.jna.Pointer error, String debug);

    com.sun.jna.Pointer gst_message_new_warning(
        com.sun.jna.Pointer source, com.sun.jna.Pointer error, String debug);

    boolean gst_element_post_message(com.sun.jna.Pointer element, com.sun.jna.Pointer message);
  }

  private static void post(org.freedesktop.gstreamer.Element element, String text, boolean error) {
    com.sun.jna.Pointer raw = org.freedesktop.gstreamer.glib.Natives.getRawPointer(element);
    com.sun.jna.Pointer gerror =
        ErrorPosting.GLIB.g_error_new_literal(ErrorPosting.GST.gst_core_error_quark(), 1, text);
    com.sun.jna.Pointer message =
        error
            ? ErrorPosting.GST.gst_message_new_error(raw, gerror, "posted by the test")
            : ErrorPosting.GST.gst_message_new_warning(raw, gerror, "posted by the test");
    ErrorPosting.GLIB.g_error_free(gerror);
    assertThat(ErrorPosting.GST.gst_element_post_message(raw, message)).isTrue();
  }

  @Test
  void anErrorInThePipelineReachesTheLinksListenerAndAWarningDoesNot() {
    GstCarLink link = connected();

    post(link.element("pay"), "a warning, for the log only", false);
    post(link.element("pay"), "the payloader broke", true);

    // Posted first, the warning would be reported first (one bus, messages in order).
    await().atMost(Duration.ofSeconds(10)).until(() -> !carEvents.errors.isEmpty());
    assertThat(carEvents.errors).containsExactly("video pipeline: the payloader broke");
  }

  @Test
  void theAnswerTakesUpNackAndRetransmissionsForTheVideo() {
    GstCarLink connectedLink = connected();
    String answer = carEvents.description;
    Matcher h264 = Pattern.compile("a=rtpmap:(\\d+) H264/90000").matcher(answer);
    assertThat(h264.find()).as("H.264 in the answer:%n%s", answer).isTrue();
    String pt = h264.group(1);
    assertThat(answer)
        .as("the driver may NACK lost packets")
        .containsPattern("a=rtcp-fb:" + pt + " nack\\r?\\n");
    assertThat(answer)
        .as("and they come back on an RTX stream")
        .containsPattern("a=rtpmap:\\d+ rtx/90000")
        .containsPattern("a=fmtp:\\d+ apt=" + pt);
    // The SSRC announced is the one on the wire: when they differed the station showed nothing.
    // Only fresh packets are sent again: older ones would only add to a congested uplink.
    List<Element> rtx = connectedLink.elementsMadeBy("rtprtxsend");
    assertThat(rtx).hasSize(1);
    assertThat(((Number) rtx.get(0).get("max-size-time")).intValue())
        .isEqualTo(GstCarLink.RTX_HISTORY_MILLIS);
    long ssrc = ((Number) connectedLink.element("pay").get("ssrc")).longValue() & 0xFFFFFFFFL;
    assertThat(answer).contains("a=ssrc-group:FID " + ssrc + " ");
  }

  /** The id the station's offer gives header extension {@code uri}, which the answer takes up. */
  private int answeredExtension(String uri) {
    Matcher offered =
        Pattern.compile("a=extmap:(\\d+) " + Pattern.quote(uri)).matcher(driverEvents.offer);
    assertThat(offered.find()).as("the station offers %s:%n%s", uri, driverEvents.offer).isTrue();
    int id = Integer.parseInt(offered.group(1));
    assertThat(carEvents.description)
        .as("the car's answer takes it up with the offer's id")
        .contains("a=extmap:" + id + " " + uri);
    return id;
  }

  @Test
  void everyVideoPacketAsksTheStationToShowItsFrameAsSoonAsItIsDecoded() {
    GstCarLink link = connected();
    int id = answeredExtension(PlayoutDelay.URI);

    SentPackets sent = SentPackets.watch(link.element("pay"), id, new byte[] {0, 0, 0});
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.packets() > 60);
    long packets = sent.packets();
    long tagged = sent.tagged();
    assertThat(tagged)
        .as("packets with playout delay min = max = 0, of %d sent", packets)
        .isGreaterThanOrEqualTo(packets - 1) // the one counted while the probe was added
        .isPositive();
  }

  @Test
  void theStationsTransportFeedbackReachesTheCar() {
    GstCarLink link = connected();
    answeredExtension(TransportFeedback.URI);
    Matcher h264 = Pattern.compile("a=rtpmap:(\\d+) H264/90000").matcher(carEvents.description);
    assertThat(h264.find()).isTrue();
    assertThat(carEvents.description)
        .as("the car's answer asks for the feedback")
        .containsPattern("a=rtcp-fb:" + h264.group(1) + " transport-cc\\r?\\n");

    org.freedesktop.gstreamer.Bin webrtc = (org.freedesktop.gstreamer.Bin) link.element("webrtc");
    TransportFeedback window =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> TransportFeedback.read(webrtc, 2), w -> w != null && w.arrivedKbps() > 0);
    assertThat(window.sentKbps()).isPositive();
    assertThat(window.lossFraction()).as("loopback loses nothing").isLessThan(0.5);
  }

  @Test
  void theStationsPerPacketFeedbackTellsTheCarThereIsNoQueueOnLoopback() {
    GstCarLink link = connected();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> link.packetsFedBack() > 100 && !Double.isNaN(link.queueMillis()));
    assertThat(link.queueMillis())
        .as("ms of queue on loopback")
        .isLessThan(BitrateControl.QUEUE_CLEAR_MILLIS);
  }

  @Test
  void theLinkCountsWhatOnlyTheSenderCanMeasureForTheStageBreakdown() {
    GstCarLink link = connected();
    await().atMost(Duration.ofSeconds(10)).until(() -> link.senderStats().framesEncoded() > 30);
    SenderStatsFrame sender = link.senderStats();
    assertThat(sender.framesPushed()).isGreaterThanOrEqualTo(sender.framesEncoded());
    assertThat(sender.captureToPushMicros()).as("capture → pipeline, summed").isPositive();
    double encodeMillis = sender.encodeMicros() / 1000.0 / sender.framesEncoded();
    // x264 at 640x360, ultrafast: a few ms a frame; zero would mean nothing was timed, a second
    // would mean the in/out pairing drifted.
    assertThat(encodeMillis).as("encode ms per frame").isGreaterThan(0).isLessThan(500);
    assertThat(sender.packetsSent()).as("no pacer on this path: nothing to report").isZero();
  }

  @Test
  void aKeyframeRequestReachesTheEncoderAndAnIdrFollowsAtOnce() {
    GstCarLink link = connected();
    // Past the first IDR and well inside the 2 s backstop (60 frames): the next IDR is ours.
    await().atMost(Duration.ofSeconds(10)).until(() -> link.framesOut() > 10);
    long idrBefore = link.idrFrames();
    long framesBefore = link.framesOut();
    long requestsBefore = link.keyUnitRequests();

    // What webrtcbin's RTP session sends upstream on a driver's PLI/FIR, into the payloader.
    KeyUnitRequest.sendUpstream(link.element("pay"));

    await().atMost(Duration.ofSeconds(5)).until(() -> link.idrFrames() > idrBefore);
    assertThat(link.keyUnitRequests()).isGreaterThan(requestsBefore);
    assertThat(link.framesOut() - framesBefore)
        .as("frames until the IDR (the backstop would take 60)")
        .isLessThan(10);
  }

  @Test
  void theReceiversReportsMoveTheEncodersBitrate() {
    GstCarLink link = connected();
    int start = H264Encoder.X264.kbps(link.element("enc"));
    assertThat(start).isEqualTo(media.startKbps(LinkOptions.defaults()));
    // A clean loopback link: each report lets the bitrate climb, and the encoder follows.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> H264Encoder.X264.kbps(link.element("enc")) > start);
    assertThat(H264Encoder.X264.kbps(link.element("enc"))).isEqualTo(link.bitrateControl().kbps());
  }
}
