package io.fedsecure.superlink.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PullInstructionsRequest;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamDispatcherTest {

  private static final AuthenticatedNode NODE = new AuthenticatedNode(7, "node-1");
  private static final AuthenticatedNode OTHER = new AuthenticatedNode(8, "node-2");

  private final StreamDispatcher dispatcher = new StreamDispatcher(16 * 1024);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new FleetGrpc.FleetImplBase() {
              @Override
              public void pullInstructions(PullInstructionsRequest request, StreamObserver<InstructionFrame> observer) {
                AuthenticatedNode node = request.getNodeId() == NODE.nodeId() ? NODE : OTHER;
                dispatcher.openStream(node, (ServerCallStreamObserver<InstructionFrame>) observer);
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
  private static final class SlowClient implements ClientResponseObserver<PullInstructionsRequest, InstructionFrame> {
    final List<InstructionFrame> frames = new CopyOnWriteArrayList<>();
    final AtomicBoolean completed = new AtomicBoolean();
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
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completed.set(true);
    }
  }

  private SlowClient connect(AuthenticatedNode node, boolean manual) {
    SlowClient client = new SlowClient(manual);
    FleetGrpc.newStub(channel).pullInstructions(PullInstructionsRequest.newBuilder().setNodeId(node.nodeId()).build(), client);
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.hasStream(node.nodeId()));
    return client;
  }

  private static Instruction instruction(String id) {
    return Instruction.newBuilder().setInstructionId(id).setRunId(1).setRound(1).setKind(TaskKind.TASK_KIND_TRAIN).build();
  }

  private static ReplyHeader header(String id) {
    return ReplyHeader.newBuilder().setInstructionId(id).setRunId(1).setRound(1).setKind(TaskKind.TASK_KIND_TRAIN).build();
  }

  /** Counts what the dispatcher hands over. */
  private static final class CountingHandler implements ReplyHandler {
    final List<String> replies = new CopyOnWriteArrayList<>();
    final List<String> duplicates = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();

    @Override
    public PushReplyResponse onReply(String instructionId, AuthenticatedNode node, ReplyHeader header, byte[] payload) {
      replies.add(instructionId);
      return PushReplyResponse.newBuilder().setAccepted(true).build();
    }

    @Override
    public void onDuplicate(String instructionId, AuthenticatedNode node) {
      duplicates.add(instructionId);
    }

    @Override
    public void onNodeLost(String instructionId, long nodeId, String reason) {
      lost.add(instructionId + ": " + reason);
    }
  }

  @Test
  void chunksAnEnvelopeAndWaitsForTheClientUnderFlowControl() {
    SlowClient client = connect(NODE, true);
    byte[] envelope = new byte[300_000];
    new Random(1).nextBytes(envelope);

    assertThat(dispatcher.send(NODE.nodeId(), instruction("i-1"), envelope)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.frames.size() == 1);
    int expectedFrames = 1 + (envelope.length + 16 * 1024 - 1) / (16 * 1024);
    // Ask for the rest one at a time: the dispatcher must keep going as the stream becomes ready.
    for (int k = 1; k < expectedFrames; k++) {
      client.call.request(1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> client.frames.size() == expectedFrames);

    assertThat(client.frames.get(0).getInstruction().getPayloadSize()).isEqualTo(envelope.length);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int k = 1; k < expectedFrames; k++) {
      InstructionFrame f = client.frames.get(k);
      assertThat(f.getChunk().getIndex()).isEqualTo(k - 1);
      assertThat(f.getChunk().getLast()).isEqualTo(k == expectedFrames - 1);
      assertThat(f.getChunk().getData().size()).isLessThanOrEqualTo(16 * 1024);
      joined.writeBytes(f.getChunk().getData().toByteArray());
    }
    assertThat(joined.toByteArray()).isEqualTo(envelope);
  }

  @Test
  void oneReplyPerInstructionFromTheNodeItWasSentTo() {
    connect(NODE, false);
    CountingHandler handler = new CountingHandler();
    dispatcher.expect("i-1", NODE.nodeId(), handler);

    PushReplyResponse wrongNode = dispatcher.acceptReply(OTHER, header("i-1"), new byte[0]);
    PushReplyResponse first = dispatcher.acceptReply(NODE, header("i-1"), new byte[0]);
    PushReplyResponse second = dispatcher.acceptReply(NODE, header("i-1"), new byte[0]);
    PushReplyResponse unknown = dispatcher.acceptReply(NODE, header("i-9"), new byte[0]);
    dispatcher.close("i-1", "round 1 closed");
    PushReplyResponse afterClose = dispatcher.acceptReply(NODE, header("i-1"), new byte[0]);
    dispatcher.expect("i-2", NODE.nodeId(), handler);
    dispatcher.close("i-2", "round 1 closed");
    PushReplyResponse late = dispatcher.acceptReply(NODE, header("i-2"), new byte[0]);

    assertThat(wrongNode.getAccepted()).isFalse();
    assertThat(wrongNode.getReason()).contains("not sent to this node");
    assertThat(first.getAccepted()).isTrue();
    assertThat(second.getAccepted()).isFalse();
    assertThat(second.getReason()).contains("duplicate");
    assertThat(unknown.getReason()).contains("unknown instruction");
    assertThat(afterClose.getReason()).contains("duplicate");
    assertThat(late.getReason()).isEqualTo("late reply: round 1 closed");
    assertThat(handler.replies).containsExactly("i-1");
    assertThat(handler.duplicates).containsExactly("i-1");
  }

  @Test
  void cancelledStreamReportsPendingInstructionsLostAndReconnectReplacesTheStream() {
    SlowClient first = connect(NODE, false);
    CountingHandler handler = new CountingHandler();
    dispatcher.expect("i-1", NODE.nodeId(), handler);
    long version = dispatcher.changes().version();

    first.call.cancel("node died", null);

    await().atMost(Duration.ofSeconds(5)).until(() -> !handler.lost.isEmpty());
    assertThat(handler.lost).singleElement().asString().contains("i-1").contains("cancelled");
    assertThat(dispatcher.hasStream(NODE.nodeId())).isFalse();
    assertThat(dispatcher.changes().version()).isGreaterThan(version);
    assertThat(dispatcher.send(NODE.nodeId(), instruction("i-2"), new byte[10])).isFalse();

    SlowClient second = connect(NODE, false);
    SlowClient third = connect(NODE, false);
    await().atMost(Duration.ofSeconds(5)).until(second.completed::get);
    assertThat(dispatcher.send(NODE.nodeId(), instruction("i-3"), new byte[10])).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> third.frames.size() == 2);
    assertThat(second.frames).isEmpty();
  }
}
