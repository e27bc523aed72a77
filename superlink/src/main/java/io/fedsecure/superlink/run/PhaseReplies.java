package io.fedsecure.superlink.run;

import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.superlink.strategy.CountedReply;
import io.fedsecure.superlink.strategy.ExpectedReply;
import io.fedsecure.superlink.strategy.Participant;
import io.fedsecure.superlink.strategy.Phase;
import io.fedsecure.superlink.strategy.StreamingAggregate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One phase's replies (training or evaluation of one round): which are expected, which counted,
 * which were dropped and why. Each expected reply has its {@link InstructionReply}, which decides
 * whether it counts; this is the record they write to, under one lock, so that a reply cannot count
 * after the phase closed and be refused as late (or the reverse).
 */
final class PhaseReplies {

  private final Phase phase;
  private final long maxNumExamples;
  private final StreamingAggregate aggregate;
  private final Consumer<String> runLog;
  private final RoundTimeline timeline;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, ExpectedReply> expected = new LinkedHashMap<>();
  private final Map<String, CountedReply> accepted = new LinkedHashMap<>();
  private final Map<String, DroppedReply> dropped = new LinkedHashMap<>();
  private String closedReason;

  /**
   * @param aggregate where training updates go; null for evaluation
   * @param timeline told when each reply starts arriving and when it counts
   */
  PhaseReplies(
      Phase phase,
      long maxNumExamples,
      StreamingAggregate aggregate,
      Consumer<String> runLog,
      RoundTimeline timeline) {
    this.phase = phase;
    this.maxNumExamples = maxNumExamples;
    this.aggregate = aggregate;
    this.runLog = runLog;
    this.timeline = timeline;
  }

  long maxNumExamples() {
    return maxNumExamples;
  }

  StreamingAggregate aggregate() {
    return aggregate;
  }

  RoundTimeline timeline() {
    return timeline;
  }

  /** Registers a reply to wait for and returns what decides it. */
  InstructionReply expect(ExpectedReply reply) {
    lock.lock();
    try {
      expected.put(reply.instructionId(), reply);
    } finally {
      lock.unlock();
    }
    return new InstructionReply(reply, this);
  }

  /** Runs {@code decision} under the phase's lock. */
  <T> T locked(Supplier<T> decision) {
    lock.lock();
    try {
      return decision.get();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: why replies are late now, or null while the phase is open. */
  String closedReason() {
    return closedReason;
  }

  /** Under the lock: why this reply was dropped already, or null. */
  String droppedReason(String instructionId) {
    DroppedReply d = dropped.get(instructionId);
    return d == null ? null : d.getReason();
  }

  /** Under the lock: the reply counts. */
  void accept(ExpectedReply exp, CountedReply reply) {
    accepted.put(exp.instructionId(), reply);
    timeline.replyDone(exp.instructionId());
    changed.signalAll();
  }

  /** Under the lock: the reply does not count, for {@code reason}. */
  void drop(ExpectedReply exp, String reason) {
    Participant p = exp.participant();
    dropped.put(
        exp.instructionId(),
        DroppedReply.newBuilder()
            .setNodeId(p.nodeId())
            .setNodeName(p.name())
            .setReason(phase + ": " + reason)
            .build());
    log(exp, "dropped reply from " + p.label() + ": " + reason);
    changed.signalAll();
  }

  /** Appends "Round N phase: {@code what}" to the run's log. */
  void log(ExpectedReply exp, String what) {
    runLog.accept("Round " + exp.round() + " " + phase + ": " + what);
  }

  /** The node will not reply (its stream ended, or there was none to send on). */
  void nodeLost(ExpectedReply exp, String reason) {
    lock.lock();
    try {
      if (closedReason == null && !resolved(exp.instructionId())) {
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
  void awaitAll(Clock clock, Instant deadline, BooleanSupplier stopped)
      throws InterruptedException {
    lock.lock();
    try {
      while (!stopped.getAsBoolean() && accepted.size() + dropped.size() < expected.size()) {
        long nanos = Duration.between(clock.instant(), deadline).toNanos();
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

  /**
   * Ends the phase: whoever has not replied is dropped with {@code missingReason}, and replies from
   * now on are refused as late with {@code lateReason}. Only the first call counts.
   */
  void close(String missingReason, String lateReason) {
    lock.lock();
    try {
      if (closedReason != null) {
        return;
      }
      for (ExpectedReply exp : expected.values()) {
        if (!resolved(exp.instructionId())) {
          drop(exp, missingReason);
        }
      }
      closedReason = lateReason;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counted replies in the order the nodes were asked, so results are summed in a reproducible
   * order.
   */
  List<CountedReply> accepted() {
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

  private boolean resolved(String instructionId) {
    return accepted.containsKey(instructionId) || dropped.containsKey(instructionId);
  }
}
