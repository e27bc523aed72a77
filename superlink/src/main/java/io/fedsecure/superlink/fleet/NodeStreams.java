package io.fedsecure.superlink.fleet;

import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.UntrustedText;
import io.fedsecure.protocol.framing.PayloadChunks;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.registry.NodeUnregisteredEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Every node's open instruction stream, and the instructions awaiting a reply. Pushes instructions
 * down the streams; ends a node's stream when it loses its registration or the SuperLink stops;
 * routes each reply, by instruction id, to the {@link AwaitedReply} that decides whether it counts.
 * Only ever sends envelopes it is given: there is no path that puts model weights on a stream
 * unencrypted.
 */
public final class NodeStreams {

  private static final Logger log = LoggerFactory.getLogger(NodeStreams.class);

  /** Enough to explain late replies for many rounds back without growing without bound. */
  private static final int CLOSED_REMEMBERED = 10_000;

  private final int chunkBytes;
  private final Map<Long, NodeStream> streams = new ConcurrentHashMap<>();
  private final Map<String, AwaitedReply> awaited = new ConcurrentHashMap<>();
  private final Map<String, String> closed =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > CLOSED_REMEMBERED;
        }
      };
  private final ChangeSignal changes = new ChangeSignal();

  public NodeStreams() {
    this(PayloadChunks.MAX_CHUNK_BYTES);
  }

  /** A smaller chunk size lets tests exercise multi-chunk envelopes with small payloads. */
  public NodeStreams(int chunkBytes) {
    this.chunkBytes = PayloadChunks.checkChunkSize(chunkBytes);
  }

  /** Signalled whenever a stream opens or closes. */
  public ChangeSignal changes() {
    return changes;
  }

  public boolean hasStream(long nodeId) {
    NodeStream stream = streams.get(nodeId);
    return stream != null && stream.isOpen();
  }

  /**
   * The node opened its long-lived instruction stream: it is kept, and instructions are pushed down
   * it (an Instruction, then the chunks of its envelope), until either side ends it.
   */
  void open(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> observer) {
    NodeStream stream = new NodeStream(node, observer);
    // Both handlers must be set before the service method returns (gRPC's rule).
    observer.setOnCancelHandler(() -> streamEnded(stream, "instruction stream cancelled"));
    observer.setOnReadyHandler(stream::drain);
    NodeStream previous = streams.put(node.nodeId(), stream);
    if (previous != null) {
      // The node reconnected; the old stream is dead to it, but its pending work may still be
      // answered.
      previous.end(null);
      log.info(
          "Node {} (id {}) reopened its instruction stream; replaced the previous one",
          node.name(),
          node.nodeId());
    } else {
      log.info("Node {} (id {}) opened its instruction stream", node.name(), node.nodeId());
    }
    changes.signal();
  }

  /**
   * Expect one reply to {@code instructionId}; register before sending so a fast reply cannot
   * arrive first.
   */
  public void expect(String instructionId, AwaitedReply reply) {
    if (awaited.putIfAbsent(instructionId, reply) != null) {
      throw new IllegalStateException("instruction " + instructionId + " is already pending");
    }
  }

  /** No more replies to this instruction; later ones are refused with {@code reason}. */
  public void close(String instructionId, String reason) {
    AwaitedReply reply = awaited.remove(instructionId);
    String refusal =
        reply != null && reply.answered() ? duplicate(instructionId) : "late reply: " + reason;
    synchronized (closed) {
      closed.put(instructionId, refusal);
    }
  }

  /** Why a second reply to an instruction is refused. */
  public static String duplicate(String instructionId) {
    return "duplicate reply: instruction " + instructionId + " was already answered";
  }

  /**
   * Queues the instruction frame, then the envelope sealed a segment at a time as the stream can
   * take it, so sending one model to many nodes holds about one segment per node. {@code sent} runs
   * (on whichever thread drains the stream, so it must be quick) once the last chunk is handed to
   * the transport; {@code abandoned} instead if the stream ends first. Exactly one of the two runs
   * when this returns true, neither when it returns false (the node has no open stream).
   */
  public boolean send(
      long nodeId,
      Instruction instruction,
      EnvelopeSealer sealer,
      Runnable sent,
      Runnable abandoned) {
    NodeStream stream = streams.get(nodeId);
    if (stream == null) {
      return false;
    }
    InstructionFrame first =
        InstructionFrame.newBuilder()
            .setInstruction(instruction.toBuilder().setPayloadSize(sealer.size()))
            .build();
    return stream.enqueue(List.of(first, new LazyPayload(sealer, sent, abandoned)));
  }

  /** An envelope still to be sealed and cut into chunk frames. */
  private final class LazyPayload {
    private final EnvelopeSealer sealer;
    private final Runnable sent;
    private final Runnable abandoned;
    private int index;

    LazyPayload(EnvelopeSealer sealer, Runnable sent, Runnable abandoned) {
      this.sealer = sealer;
      this.sent = sent;
      this.abandoned = abandoned;
    }

    InstructionFrame nextFrame() {
      byte[] buf = new byte[(int) Math.min(chunkBytes, sealer.remaining())];
      int n = sealer.read(buf, 0, buf.length);
      return InstructionFrame.newBuilder()
          .setChunk(PayloadChunks.chunk(index++, buf, 0, n, sealer.remaining() == 0))
          .build();
    }

    boolean done() {
      return sealer.remaining() == 0;
    }
  }

  /**
   * Where the payload of a reply with this (framing-checked, not yet signature-checked) header
   * goes: to the instruction it names, or, if none awaits a reply, to a refusal.
   */
  ReplySink openReply(AuthenticatedNode node, ReplyHeader header) {
    String id = header.getInstructionId();
    AwaitedReply reply = awaited.get(id);
    if (reply != null) {
      return reply.receive(node, header);
    }
    String reason;
    synchronized (closed) {
      reason = closed.get(id);
    }
    return new RefusedReply(
        node,
        header,
        reason != null ? reason : "unknown instruction id '" + UntrustedText.clean(id) + "'");
  }

  @EventListener
  void onNodeUnregistered(NodeUnregisteredEvent event) {
    if (revoke(event.nodeId(), Status.UNAUTHENTICATED.withDescription("node unregistered"))) {
      log.info(
          "Closed the instruction stream of unregistered node {}",
          Long.toUnsignedString(event.nodeId()));
    }
  }

  /** Ends the node's stream with {@code status}; false if it had none open. */
  boolean revoke(long nodeId, Status status) {
    NodeStream stream = streams.get(nodeId);
    if (stream == null || !stream.end(status)) {
      return false;
    }
    streamEnded(stream, "instruction stream closed: " + status.getDescription());
    return true;
  }

  /**
   * Ends every stream with {@code status}, e.g. at shutdown, so nodes reconnect to the next
   * SuperLink.
   */
  void revokeAll(Status status) {
    List.copyOf(streams.keySet()).forEach(nodeId -> revoke(nodeId, status));
  }

  /** Completes every stream that is still open. */
  public void shutdown() {
    for (NodeStream stream : List.copyOf(streams.values())) {
      stream.end(null);
      streamEnded(stream, "SuperLink shutting down");
    }
  }

  private void streamEnded(NodeStream stream, String reason) {
    stream.markClosed();
    long nodeId = stream.node.nodeId();
    // A reconnect replaced this stream already: the node is still reachable.
    if (!streams.remove(nodeId, stream)) {
      return;
    }
    log.info("Node {} (id {}): {}", stream.node.name(), nodeId, reason);
    for (AwaitedReply reply : awaited.values()) {
      if (reply.nodeId() == nodeId && !reply.answered()) {
        reply.nodeLost(reason);
      }
    }
    changes.signal();
  }

  /**
   * One node's stream with its outgoing queue; gRPC observers are not thread-safe, hence the lock.
   */
  private final class NodeStream {
    private final AuthenticatedNode node;
    private final ServerCallStreamObserver<InstructionFrame> observer;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean open = true;

    NodeStream(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> observer) {
      this.node = node;
      this.observer = observer;
    }

    synchronized boolean isOpen() {
      return open;
    }

    void markClosed() {
      List<Runnable> abandoned;
      synchronized (this) {
        open = false;
        abandoned = clearQueue();
      }
      abandoned.forEach(Runnable::run);
    }

    /** Empties the queue; returns what to tell the senders of payloads that will never go out. */
    private List<Runnable> clearQueue() {
      List<Runnable> abandoned = new ArrayList<>();
      for (Object item : queue) {
        if (item instanceof LazyPayload payload) {
          abandoned.add(payload.abandoned);
        }
      }
      queue.clear();
      return abandoned;
    }

    boolean enqueue(List<?> frames) {
      synchronized (this) {
        if (!open) {
          return false;
        }
        queue.addAll(frames);
      }
      drain();
      return true;
    }

    void drain() {
      RuntimeException failure = null;
      synchronized (this) {
        try {
          while (open && !queue.isEmpty() && observer.isReady()) {
            Object head = queue.peek();
            if (head instanceof LazyPayload payload) {
              observer.onNext(payload.nextFrame());
              if (payload.done()) {
                queue.poll();
                payload.sent.run();
              }
            } else {
              observer.onNext((InstructionFrame) queue.poll());
            }
          }
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure != null) {
        streamEnded(this, "instruction stream failed: " + failure.getMessage());
      }
    }

    /**
     * Ends the stream from this side: completed, or failed with {@code status} when it is not null.
     * False if it had ended already.
     */
    boolean end(Status status) {
      List<Runnable> abandoned;
      synchronized (this) {
        if (!open) {
          return false;
        }
        open = false;
        abandoned = clearQueue();
        try {
          if (status == null) {
            observer.onCompleted();
          } else {
            observer.onError(status.asRuntimeException());
          }
        } catch (RuntimeException e) {
          log.debug("Ending the stream of node {} failed: {}", node.nodeId(), e.getMessage());
        }
      }
      abandoned.forEach(Runnable::run);
      return true;
    }
  }
}
