package io.fedsecure.superlink.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.support.RecordingReply;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instruction streams and reply routing, over in-process gRPC streams. */
class NodeStreamsTest {

  private static final AuthenticatedNode NODE = new AuthenticatedNode(7, "node-1");
  private static final AuthenticatedNode OTHER = new AuthenticatedNode(8, "node-2");

  private static final WeightKey KEY = WeightKey.fromBytes(new byte[32]);
  private static final EnvelopeContext CONTEXT =
      new EnvelopeContext(
          1, 1, NODE.nodeId(), Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, new byte[32]);

  private final NodeStreams streams = new NodeStreams(16 * 1024);
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new FleetGrpc.FleetImplBase() {
                  @Override
                  public void pullInstructions(
                      PullInstructionsRequest request, StreamObserver<InstructionFrame> observer) {
                    AuthenticatedNode node = request.getNodeId() == NODE.nodeId() ? NODE : OTHER;
                    streams.open(node, (ServerCallStreamObserver<InstructionFrame>) observer);
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A client that asks for frames only when told to, so the server's stream stops being ready. */
  private static final class SlowClient
      implements ClientResponseObserver<PullInstructionsRequest, InstructionFrame> {
    final List<InstructionFrame> frames = new CopyOnWriteArrayList<>();
    final AtomicBoolean completed = new AtomicBoolean();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile ClientCallStreamObserver<PullInstructionsRequest> call;
    private final boolean manual;

    SlowClient(boolean manual) {
      this.manual = manual;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<PullInstructionsRequest> requestStream) {
      call = requestStream;
      if (manual) {
        requestStream.disableAutoRequestWithInitial(1);
      }
    }

    @Override
    public void onNext(InstructionFrame value) {
      frames.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {
      completed.set(true);
    }
  }

  private SlowClient connect(AuthenticatedNode node, boolean manual) {
    SlowClient client = new SlowClient(manual);
    FleetGrpc.newStub(channel)
        .pullInstructions(
            PullInstructionsRequest.newBuilder().setNodeId(node.nodeId()).build(), client);
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.hasStream(node.nodeId()));
    return client;
  }

  private static Instruction instruction(String id) {
    return Instruction.newBuilder()
        .setInstructionId(id)
        .setRunId(1)
        .setRound(1)
        .setKind(TaskKind.TASK_KIND_TRAIN)
        .build();
  }

  private static ReplyHeader header(String id) {
    return ReplyHeader.newBuilder()
        .setInstructionId(id)
        .setRunId(1)
        .setRound(1)
        .setKind(TaskKind.TASK_KIND_TRAIN)
        .build();
  }

  private EnvelopeSealer sealed(byte[] plaintext) {
    return cipher.sealStream(KEY, CONTEXT, plaintext);
  }

  private boolean send(String instructionId, byte[] plaintext) {
    return streams.send(
        NODE.nodeId(), instruction(instructionId), sealed(plaintext), () -> {}, () -> {});
  }

  /** What the Fleet service does with a signed reply without payload: its verdict. */
  private PushReplyResponse reply(AuthenticatedNode node, String instructionId) {
    ReplySink sink = streams.openReply(node, header(instructionId));
    sink.start(() -> {});
    return sink.complete();
  }

  @Test
  void sealsAnEnvelopeIntoChunksAndWaitsForTheClientUnderFlowControl() throws Exception {
    SlowClient client = connect(NODE, true);
    byte[] plaintext = new byte[300_000];
    new Random(1).nextBytes(plaintext);
    EnvelopeSealer sealer = sealed(plaintext);
    long size = sealer.size();
    AtomicBoolean sent = new AtomicBoolean();

    assertThat(
            streams.send(NODE.nodeId(), instruction("i-1"), sealer, () -> sent.set(true), () -> {}))
        .isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.frames.size() == 1);
    int expectedFrames = 1 + (int) ((size + 16 * 1024 - 1) / (16 * 1024));
    assertThat(sent).isFalse();
    // Ask for the rest one at a time: the streams must keep going as the stream becomes ready.
    for (int k = 1; k < expectedFrames; k++) {
      client.call.request(1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> client.frames.size() == expectedFrames);

    assertThat(client.frames.get(0).getInstruction().getPayloadSize()).isEqualTo(size);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int k = 1; k < expectedFrames; k++) {
      InstructionFrame f = client.frames.get(k);
      assertThat(f.getChunk().getIndex()).isEqualTo(k - 1);
      assertThat(f.getChunk().getLast()).isEqualTo(k == expectedFrames - 1);
      assertThat(f.getChunk().getData().size()).isLessThanOrEqualTo(16 * 1024);
      joined.writeBytes(f.getChunk().getData().toByteArray());
    }
    assertThat(cipher.open(KEY, CONTEXT, joined.toByteArray())).isEqualTo(plaintext);
    await().atMost(Duration.ofSeconds(5)).untilTrue(sent);
  }

  @Test
  void repliesGoToTheirInstructionUntilItIsClosedAndAreRefusedAfter() {
    connect(NODE, false);
    RecordingReply awaited = new RecordingReply(NODE.nodeId());
    streams.expect("i-1", awaited);

    PushReplyResponse first = reply(NODE, "i-1");
    PushReplyResponse unknown = reply(NODE, "i-9");
    streams.close("i-1", "round 1 closed");
    PushReplyResponse afterClose = reply(NODE, "i-1");
    streams.expect("i-2", new RecordingReply(NODE.nodeId()));
    streams.close("i-2", "round 1 closed");
    PushReplyResponse late = reply(NODE, "i-2");

    assertThat(first.getAccepted()).isTrue();
    assertThat(awaited.received())
        .singleElement()
        .satisfies(r -> assertThat(r.caller()).isEqualTo(NODE));
    assertThat(unknown.getReason()).isEqualTo("unknown instruction id 'i-9'");
    assertThat(afterClose.getReason())
        .isEqualTo("duplicate reply: instruction i-1 was already answered");
    assertThat(late.getReason()).isEqualTo("late reply: round 1 closed");
  }

  @Test
  void cancelledStreamReportsPendingInstructionsLostAndReconnectReplacesTheStream() {
    SlowClient first = connect(NODE, false);
    RecordingReply awaited = new RecordingReply(NODE.nodeId());
    streams.expect("i-1", awaited);
    long version = streams.changes().version();

    first.call.cancel("node died", null);

    await().atMost(Duration.ofSeconds(5)).until(() -> !awaited.lost().isEmpty());
    assertThat(awaited.lost()).singleElement().asString().contains("cancelled");
    assertThat(streams.hasStream(NODE.nodeId())).isFalse();
    assertThat(streams.changes().version()).isGreaterThan(version);
    assertThat(send("i-2", new byte[10])).isFalse();

    SlowClient second = connect(NODE, false);
    SlowClient third = connect(NODE, false);
    await().atMost(Duration.ofSeconds(5)).until(second.completed::get);
    assertThat(send("i-3", new byte[10])).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> third.frames.size() == 2);
    assertThat(second.frames).isEmpty();
  }

  @Test
  void revokedStreamEndsWithTheStatusAndItsPendingInstructionsAreLost() {
    SlowClient client = connect(NODE, false);
    RecordingReply awaited = new RecordingReply(NODE.nodeId());
    streams.expect("i-1", awaited);

    assertThat(
            streams.revoke(
                NODE.nodeId(), Status.UNAUTHENTICATED.withDescription("node unregistered")))
        .isTrue();

    assertThat(streams.hasStream(NODE.nodeId())).isFalse();
    assertThat(awaited.lost()).containsExactly("instruction stream closed: node unregistered");
    assertThat(streams.revoke(NODE.nodeId(), Status.UNAUTHENTICATED)).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.error.get() != null);
    assertThat(Status.fromThrowable(client.error.get()).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
