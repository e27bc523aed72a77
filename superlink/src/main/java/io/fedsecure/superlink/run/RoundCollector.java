package io.fedsecure.superlink.run;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.dispatch.ReplyHandler;
import io.fedsecure.superlink.fleet.ReplySink;
import io.fedsecure.superlink.strategy.ExpectedReply;
import io.fedsecure.superlink.strategy.Participant;
import io.fedsecure.superlink.strategy.ReplyRejectedException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Gathers one phase's replies (training or evaluation of one round): validates each as it arrives
 * on the gRPC thread, so the node learns at once whether it counted, and records a reason for
 * every reply that did not.
 */
final class RoundCollector<R> implements ReplyHandler {

  @FunctionalInterface
  interface Validator<R> {
    R validate(ExpectedReply expected, ReplyHeader header, byte[] payload) throws ReplyRejectedException;
  }

  /** Consumes a reply's payload as it arrives (training updates), instead of whole. */
  interface Streaming<R> {
    Streamed<R> open(ExpectedReply expected, ReplyHeader header, Runnable granted) throws ReplyRejectedException;
  }

  interface Streamed<R> {
    void feed(byte[] data, int off, int len);

    R finish() throws ReplyRejectedException;

    void abort();
  }

  private final String phase;
  private final Validator<R> validator;
  private final Streaming<R> streaming;
  private final Consumer<String> runLog;
  private final RoundTimeline timeline;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, ExpectedReply> expected = new LinkedHashMap<>();
  private final Map<String, R> accepted = new LinkedHashMap<>();
  private final Map<String, DroppedReply> dropped = new LinkedHashMap<>();
  private boolean closed;
  private String closedReason;

  RoundCollector(String phase, Validator<R> validator, Consumer<String> runLog) {
    this(phase, validator, null, runLog);
  }

  /** With {@code streaming}, payloads are never held whole; {@code validator} is then unused. */
  RoundCollector(String phase, Validator<R> validator, Streaming<R> streaming, Consumer<String> runLog) {
    this(phase, validator, streaming, runLog, new RoundTimeline());
  }

  /** {@code timeline} is told when each reply starts arriving and when it is accepted. */
  RoundCollector(
      String phase, Validator<R> validator, Streaming<R> streaming, Consumer<String> runLog, RoundTimeline timeline) {
    this.phase = phase;
    this.validator = validator;
    this.streaming = streaming;
    this.runLog = runLog;
    this.timeline = timeline;
  }

  void expect(ExpectedReply reply) {
    lock.lock();
    try {
      expected.put(reply.instructionId(), reply);
    } finally {
      lock.unlock();
    }
  }

  /** The instruction never left (no stream, key trouble): counts as dropped at once. */
  void dropUnsent(ExpectedReply reply, String reason) {
    lock.lock();
    try {
      expected.put(reply.instructionId(), reply);
      drop(reply, reason);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ReplySink openReply(String instructionId, AuthenticatedNode node, ReplyHeader header) {
    if (streaming == null) {
      return null;
    }
    timeline.replyStarted(instructionId);
    ExpectedReply exp;
    lock.lock();
    try {
      exp = expected.get(instructionId);
    } finally {
      lock.unlock();
    }
    return new StreamingSink(instructionId, exp, header);
  }

  /**
   * One streamed reply. Its verdict is decided under the collector's lock, so a reply cannot be
   * committed to the aggregate after the phase closed and be refused as late (or the reverse).
   */
  private final class StreamingSink implements ReplySink {
    private final String instructionId;
    private final ExpectedReply exp;
    private final ReplyHeader header;
    private Streamed<R> streamed;
    private String headerRejection;

    StreamingSink(String instructionId, ExpectedReply exp, ReplyHeader header) {
      this.instructionId = instructionId;
      this.exp = exp;
      this.header = header;
    }

    @Override
    public void start(Runnable ready) {
      if (exp == null) {
        ready.run();
        return;
      }
      try {
        streamed = streaming.open(exp, header, ready);
      } catch (ReplyRejectedException e) {
        headerRejection = e.getMessage();
        ready.run();
      }
    }

    @Override
    public void chunk(ByteString data) {
      if (streamed != null) {
        byte[] bytes = data.toByteArray();
        streamed.feed(bytes, 0, bytes.length);
      }
    }

    void feedWhole(byte[] payload) {
      if (streamed != null) {
        streamed.feed(payload, 0, payload.length);
      }
    }

    @Override
    public PushReplyResponse complete() {
      lock.lock();
      try {
        String refusal = refusal(instructionId, exp);
        if (refusal != null) {
          abort();
          return refused(refusal);
        }
        String rejection = headerRejection;
        if (rejection == null) {
          try {
            accepted.put(instructionId, streamed.finish());
            timeline.replyDone(instructionId);
            changed.signalAll();
            return PushReplyResponse.newBuilder().setAccepted(true).build();
          } catch (ReplyRejectedException e) {
            rejection = e.getMessage();
          }
        }
        drop(exp, rejection);
        return refused(rejection);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void abort() {
      if (streamed != null) {
        streamed.abort();
      }
    }
  }

  @Override
  public PushReplyResponse onReply(String instructionId, AuthenticatedNode node, ReplyHeader header, byte[] payload) {
    if (streaming == null) {
      timeline.replyStarted(instructionId);
    }
    if (streaming != null) {
      // A reply handed over whole (tests, or a transport without streaming) takes the same path.
      StreamingSink sink = new StreamingSink(instructionId, expectedFor(instructionId), header);
      CountDownLatch granted = new CountDownLatch(1);
      sink.start(granted::countDown);
      try {
        granted.await();
      } catch (InterruptedException e) {
        sink.abort();
        Thread.currentThread().interrupt();
        return refused("the SuperLink is shutting down");
      }
      sink.feedWhole(payload);
      return sink.complete();
    }
    ExpectedReply exp;
    lock.lock();
    try {
      exp = expected.get(instructionId);
      String refusal = refusal(instructionId, exp);
      if (refusal != null) {
        return refused(refusal);
      }
    } finally {
      lock.unlock();
    }
    // Decrypting outside the lock keeps one large reply from holding up the others.
    R result;
    String rejection = null;
    try {
      result = validator.validate(exp, header, payload);
    } catch (ReplyRejectedException e) {
      result = null;
      rejection = e.getMessage();
    }
    lock.lock();
    try {
      String refusal = refusal(instructionId, exp);
      if (refusal != null) {
        return refused(refusal);
      }
      if (result == null) {
        drop(exp, rejection);
        return refused(rejection);
      }
      accepted.put(instructionId, result);
      timeline.replyDone(instructionId);
      changed.signalAll();
      return PushReplyResponse.newBuilder().setAccepted(true).build();
    } finally {
      lock.unlock();
    }
  }

  private ExpectedReply expectedFor(String instructionId) {
    lock.lock();
    try {
      return expected.get(instructionId);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onDuplicate(String instructionId, AuthenticatedNode node) {
    ExpectedReply exp;
    lock.lock();
    try {
      exp = expected.get(instructionId);
    } finally {
      lock.unlock();
    }
    if (exp != null) {
      runLog.accept(
          "Round " + exp.round() + " " + phase + ": refused duplicate reply from " + exp.participant().label()
              + " (only its first reply counts)");
    }
  }

  @Override
  public void onNodeLost(String instructionId, long nodeId, String reason) {
    lock.lock();
    try {
      ExpectedReply exp = expected.get(instructionId);
      if (exp != null && !closed && !resolved(instructionId)) {
        drop(exp, reason + " before it replied");
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every expected reply is in or dropped, the deadline passes, or {@code stopped}
   * turns true (checked whenever {@link #wake} is called).
   */
  void awaitAll(Clock clock, Instant deadline, BooleanSupplier stopped) throws InterruptedException {
    lock.lock();
    try {
      while (!stopped.getAsBoolean() && accepted.size() + dropped.size() < expected.size()) {
        long nanos = java.time.Duration.between(clock.instant(), deadline).toNanos();
        if (nanos <= 0) {
          return;
        }
        changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the phase: whoever has not replied is dropped with {@code missingReason}. */
  void close(String missingReason, String lateReason) {
    lock.lock();
    try {
      for (ExpectedReply exp : expected.values()) {
        if (!resolved(exp.instructionId())) {
          drop(exp, missingReason);
        }
      }
      closed = true;
      closedReason = lateReason;
    } finally {
      lock.unlock();
    }
  }

  /** Valid replies in the order the nodes were asked, so aggregation sums in a reproducible order. */
  List<R> accepted() {
    lock.lock();
    try {
      return expected.keySet().stream().filter(accepted::containsKey).map(accepted::get).toList();
    } finally {
      lock.unlock();
    }
  }

  List<DroppedReply> dropped() {
    lock.lock();
    try {
      return List.copyOf(dropped.values());
    } finally {
      lock.unlock();
    }
  }

  List<String> instructionIds() {
    lock.lock();
    try {
      return new ArrayList<>(expected.keySet());
    } finally {
      lock.unlock();
    }
  }

  private String refusal(String instructionId, ExpectedReply exp) {
    if (exp == null) {
      return "instruction " + instructionId + " is not part of this round";
    }
    if (closed) {
      return "late reply: " + closedReason;
    }
    DroppedReply d = dropped.get(instructionId);
    if (d != null) {
      return "reply no longer counted: " + d.getReason();
    }
    return null;
  }

  private boolean resolved(String instructionId) {
    return accepted.containsKey(instructionId) || dropped.containsKey(instructionId);
  }

  private void drop(ExpectedReply exp, String reason) {
    Participant p = exp.participant();
    dropped.put(
        exp.instructionId(),
        DroppedReply.newBuilder().setNodeId(p.nodeId()).setNodeName(p.name()).setReason(phase + ": " + reason).build());
    runLog.accept("Round " + exp.round() + " " + phase + ": dropped reply from " + p.label() + ": " + reason);
    changed.signalAll();
  }

  private static PushReplyResponse refused(String reason) {
    return PushReplyResponse.newBuilder().setAccepted(false).setReason(reason).build();
  }
}
