package io.fedsecure.superlink.dispatch;

import com.google.protobuf.ByteString;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.proto.PayloadChunk;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.fleet.InstructionBroker;
import io.fedsecure.superlink.fleet.ReplySink;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's open instruction stream and pushes instructions down it; correlates replies
 * with the instructions by id and hands them to the round waiting for them. Only ever sends
 * envelopes it is given: there is no path that puts model weights on a stream unencrypted.
 */
public final class StreamDispatcher implements InstructionBroker {

  /** The contract's maximum chunk size. */
  public static final int MAX_CHUNK_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(StreamDispatcher.class);
  /** Enough to explain late replies for many rounds back without growing without bound. */
  private static final int CLOSED_REMEMBERED = 10_000;

  private final int chunkBytes;
  private final Map<Long, NodeStream> streams = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, String> closed =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > CLOSED_REMEMBERED;
        }
      };
  private final ChangeSignal changes = new ChangeSignal();

  public StreamDispatcher() {
    this(MAX_CHUNK_BYTES);
  }

  /** A smaller chunk size lets tests exercise multi-chunk envelopes with small payloads. */
  public StreamDispatcher(int chunkBytes) {
    if (chunkBytes <= 0 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunk size must be in 1.." + MAX_CHUNK_BYTES);
    }
    this.chunkBytes = chunkBytes;
  }

  private record Pending(long nodeId, ReplyHandler handler, AtomicBoolean answered) {}

  /** Signalled whenever a stream opens or closes. */
  public ChangeSignal changes() {
    return changes;
  }

  public boolean hasStream(long nodeId) {
    NodeStream stream = streams.get(nodeId);
    return stream != null && stream.isOpen();
  }

  public Set<Long> streamingNodes() {
    return Set.copyOf(streams.keySet());
  }

  @Override
  public void openStream(AuthenticatedNode node, ServerCallStreamObserver<InstructionFrame> observer) {
    NodeStream stream = new NodeStream(node, observer);
    // Both handlers must be set before the service method returns (gRPC's rule).
    observer.setOnCancelHandler(() -> streamEnded(stream, "instruction stream cancelled"));
    observer.setOnReadyHandler(stream::drain);
    NodeStream previous = streams.put(node.nodeId(), stream);
    if (previous != null) {
      // The node reconnected; the old stream is dead to it, but its pending work may still be answered.
      previous.complete();
      log.info("Node {} (id {}) reopened its instruction stream; replaced the previous one", node.name(), node.nodeId());
    } else {
      log.info("Node {} (id {}) opened its instruction stream", node.name(), node.nodeId());
    }
    changes.signal();
  }

  /**
   * Expect one reply to {@code instructionId} from {@code nodeId}; register before sending so a
   * fast reply cannot arrive first.
   */
  public void expect(String instructionId, long nodeId, ReplyHandler handler) {
    if (pending.putIfAbsent(instructionId, new Pending(nodeId, handler, new AtomicBoolean())) != null) {
      throw new IllegalStateException("instruction " + instructionId + " is already pending");
    }
  }

  /** No more replies to this instruction; later ones are refused with {@code reason}. */
  public void close(String instructionId, String reason) {
    Pending p = pending.remove(instructionId);
    String refusal =
        p != null && p.answered().get()
            ? "duplicate reply: instruction " + instructionId + " was already answered"
            : "late reply: " + reason;
    synchronized (closed) {
      closed.put(instructionId, refusal);
    }
  }

  /**
   * Queues the instruction frame and the envelope's chunks on the node's stream. Frames go out as
   * fast as the stream's flow control lets them. False if the node has no open stream.
   */
  public boolean send(long nodeId, Instruction instruction, byte[] envelope) {
    NodeStream stream = streams.get(nodeId);
    if (stream == null) {
      return false;
    }
    List<InstructionFrame> frames = new ArrayList<>(envelope.length / chunkBytes + 2);
    frames.add(InstructionFrame.newBuilder().setInstruction(instruction.toBuilder().setPayloadSize(envelope.length)).build());
    int index = 0;
    for (int offset = 0; offset < envelope.length; offset += chunkBytes) {
      int length = Math.min(chunkBytes, envelope.length - offset);
      frames.add(
          InstructionFrame.newBuilder()
              .setChunk(
                  PayloadChunk.newBuilder()
                      .setIndex(index++)
                      .setData(ByteString.copyFrom(envelope, offset, length))
                      .setLast(offset + length == envelope.length))
              .build());
    }
    return stream.enqueue(frames);
  }

  /**
   * Like {@link #send(long, Instruction, byte[])}, but the envelope is sealed a segment at a time as
   * the stream can take it, so sending one model to many nodes holds about one segment per node.
   */
  public boolean send(long nodeId, Instruction instruction, EnvelopeSealer sealer) {
    return send(nodeId, instruction, sealer, () -> {});
  }

  /**
   * Like {@link #send(long, Instruction, EnvelopeSealer)}; {@code sent} runs (on whichever thread
   * drains the stream, so it must be quick) once the last chunk is handed to the transport.
   */
  public boolean send(long nodeId, Instruction instruction, EnvelopeSealer sealer, Runnable sent) {
    return send(nodeId, instruction, sealer, sent, () -> {});
  }

  /**
   * Like {@link #send(long, Instruction, EnvelopeSealer, Runnable)}; {@code abandoned} runs instead
   * of {@code sent} if the stream ends before the last chunk went out. Exactly one of the two runs
   * when this returns true, neither when it returns false.
   */
  public boolean send(long nodeId, Instruction instruction, EnvelopeSealer sealer, Runnable sent, Runnable abandoned) {
    NodeStream stream = streams.get(nodeId);
    if (stream == null) {
      return false;
    }
    InstructionFrame first =
        InstructionFrame.newBuilder().setInstruction(instruction.toBuilder().setPayloadSize(sealer.size())).build();
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
          .setChunk(PayloadChunk.newBuilder().setIndex(index++).setData(ByteString.copyFrom(buf, 0, n))
              .setLast(sealer.remaining() == 0))
          .build();
    }

    boolean done() {
      return sealer.remaining() == 0;
    }
  }

  @Override
  public PushReplyResponse acceptReply(AuthenticatedNode node, ReplyHeader header, byte[] payload) {
    String id = header.getInstructionId();
    Pending p = pending.get(id);
    if (p == null) {
      String reason;
      synchronized (closed) {
        reason = closed.get(id);
      }
      String why = reason != null ? reason : "unknown instruction id '" + id + "'";
      log.warn("Refused reply from node {} (id {}) for run {} round {}: {}",
          node.name(), node.nodeId(), header.getRunId(), header.getRound(), why);
      return refused(why);
    }
    if (p.nodeId() != node.nodeId()) {
      log.warn("Refused reply from node {} (id {}) for run {} round {}: instruction {} was sent to node {}",
          node.name(), node.nodeId(), header.getRunId(), header.getRound(), id, p.nodeId());
      return refused("instruction " + id + " was not sent to this node");
    }
    if (!p.answered().compareAndSet(false, true)) {
      log.warn("Refused duplicate reply from node {} (id {}) for run {} round {} (instruction {})",
          node.name(), node.nodeId(), header.getRunId(), header.getRound(), id);
      p.handler().onDuplicate(id, node);
      return refused("duplicate reply: instruction " + id + " was already answered");
    }
    return p.handler().onReply(id, node, header, payload);
  }

  @Override
  public ReplySink openReply(AuthenticatedNode node, ReplyHeader header) {
    String id = header.getInstructionId();
    Pending p = pending.get(id);
    if (p == null || p.nodeId() != node.nodeId()) {
      // Refused whatever it carries: read and drop the payload rather than hold it.
      return new ReplySink() {
        @Override
        public void start(Runnable ready) {
          ready.run();
        }

        @Override
        public void chunk(ByteString data) {}

        @Override
        public PushReplyResponse complete() {
          return acceptReply(node, header, new byte[0]);
        }

        @Override
        public void abort() {}
      };
    }
    ReplySink inner = p.handler().openReply(id, node, header);
    if (inner == null) {
      return InstructionBroker.super.openReply(node, header);
    }
    return new ReplySink() {
      @Override
      public void start(Runnable ready) {
        inner.start(ready);
      }

      @Override
      public void chunk(ByteString data) {
        inner.chunk(data);
      }

      @Override
      public PushReplyResponse complete() {
        if (pending.get(id) != p) {
          inner.abort();
          return acceptReply(node, header, new byte[0]);
        }
        if (!p.answered().compareAndSet(false, true)) {
          inner.abort();
          log.warn("Refused duplicate reply from node {} (id {}) for run {} round {} (instruction {})",
              node.name(), node.nodeId(), header.getRunId(), header.getRound(), id);
          p.handler().onDuplicate(id, node);
          return refused("duplicate reply: instruction " + id + " was already answered");
        }
        return inner.complete();
      }

      @Override
      public void abort() {
        inner.abort();
      }
    };
  }

  /** Completes every stream, e.g. at shutdown, so nodes reconnect to the next SuperLink. */
  public void shutdown() {
    for (NodeStream stream : List.copyOf(streams.values())) {
      stream.complete();
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
    for (Map.Entry<String, Pending> entry : pending.entrySet()) {
      Pending p = entry.getValue();
      if (p.nodeId() == nodeId && !p.answered().get()) {
        p.handler().onNodeLost(entry.getKey(), nodeId, reason);
      }
    }
    changes.signal();
  }

  private static PushReplyResponse refused(String reason) {
    return PushReplyResponse.newBuilder().setAccepted(false).setReason(reason).build();
  }

  /** One node's stream with its outgoing queue; gRPC observers are not thread-safe, hence the lock. */
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

    void complete() {
      List<Runnable> abandoned;
      synchronized (this) {
        if (!open) {
          return;
        }
        open = false;
        abandoned = clearQueue();
        try {
          observer.onCompleted();
        } catch (RuntimeException e) {
          log.debug("Completing the stream of node {} failed: {}", node.nodeId(), e.getMessage());
        }
      }
      abandoned.forEach(Runnable::run);
    }
  }
}
