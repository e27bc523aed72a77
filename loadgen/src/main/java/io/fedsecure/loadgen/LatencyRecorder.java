package io.fedsecure.loadgen;

import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.supernode.connection.InstructionHandler;
import io.fedsecure.supernode.connection.SessionContext;
import io.fedsecure.supernode.task.InstructionWorker;
import io.fedsecure.supernode.task.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dispatch-to-reply latency per instruction, as a node sees it: from the moment the whole
 * instruction (header and encrypted model) has arrived to the SuperLink's answer to the reply.
 */
final class LatencyRecorder implements InstructionWorker.DeliveryListener {

  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> trainNanos = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> evaluateNanos = new ConcurrentLinkedQueue<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicLong firstArrival = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastArrival = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong lastDelivery = new AtomicLong(Long.MIN_VALUE);

  /** Wraps a node's handler so that arrivals are timed before the work is queued. */
  InstructionHandler timing(InstructionHandler delegate) {
    return new InstructionHandler() {
      @Override
      public void onInstruction(SessionContext session, Instruction instruction, byte[] envelope) {
        long now = System.nanoTime();
        arrivals.put(instruction.getInstructionId(), now);
        if (instruction.getKind() == TaskKind.TASK_KIND_TRAIN) {
          firstArrival.accumulateAndGet(now, Math::min);
          lastArrival.accumulateAndGet(now, Math::max);
        }
        delegate.onInstruction(session, instruction, envelope);
      }

      @Override
      public void onBrokenTransfer(
          SessionContext session, Instruction instruction, String problem) {
        arrivals.put(instruction.getInstructionId(), System.nanoTime());
        delegate.onBrokenTransfer(session, instruction, problem);
      }
    };
  }

  @Override
  public void delivered(Instruction instruction, Reply reply, PushReplyResponse response) {
    long now = System.nanoTime();
    Long arrived = arrivals.remove(instruction.getInstructionId());
    if (!response.getAccepted()) {
      refused.incrementAndGet();
    }
    if (reply.isError()) {
      errors.incrementAndGet();
    }
    if (instruction.getKind() == TaskKind.TASK_KIND_TRAIN) {
      lastDelivery.accumulateAndGet(now, Math::max);
    }
    if (arrived != null) {
      (instruction.getKind() == TaskKind.TASK_KIND_TRAIN ? trainNanos : evaluateNanos)
          .add(now - arrived);
    }
  }

  /** Forgets everything recorded so far (between a warm-up run and the measured one). */
  void reset() {
    arrivals.clear();
    trainNanos.clear();
    evaluateNanos.clear();
    refused.set(0);
    errors.set(0);
    firstArrival.set(Long.MAX_VALUE);
    lastArrival.set(Long.MIN_VALUE);
    lastDelivery.set(Long.MIN_VALUE);
  }

  List<Long> train() {
    return new ArrayList<>(trainNanos);
  }

  List<Long> evaluate() {
    return new ArrayList<>(evaluateNanos);
  }

  /** Seconds from the first training instruction's arrival at any node to the last one's. */
  double trainArrivalSpreadSeconds() {
    return (lastArrival.get() - firstArrival.get()) / 1e9;
  }

  /**
   * Seconds from the first training instruction's arrival to the last training reply's acceptance.
   */
  double trainPhaseSeconds() {
    return (lastDelivery.get() - firstArrival.get()) / 1e9;
  }

  int refused() {
    return refused.get();
  }

  int errors() {
    return errors.get();
  }

  /**
   * The nearest-rank percentile (0 &lt; p &lt;= 100) in milliseconds; NaN when there is nothing.
   */
  static double percentileMillis(List<Long> nanos, double p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }
}
