package io.fedsecure.supernode.task;

import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.connection.Backoff;
import io.fedsecure.supernode.connection.FailureClassifier;
import io.fedsecure.supernode.connection.FleetClient;
import io.fedsecure.supernode.connection.InstructionHandler;
import io.fedsecure.supernode.connection.SessionContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles instructions one at a time on a single worker thread (training is CPU-bound; two at once
 * would only slow both down) and pushes each reply to the SuperLink.
 */
public final class InstructionWorker implements InstructionHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstructionWorker.class);

  /** How long to keep redelivering a reply whose instruction names no deadline. */
  private static final Duration DEFAULT_REDELIVERY = Duration.ofMinutes(2);

  private final TaskProcessor processor;
  private final FleetClient client;
  private final Backoff backoff;
  private final Clock clock;
  private final Executor worker;

  /**
   * Null when the executor belongs to the caller (shared by many simulated nodes), which then stops
   * it.
   */
  private final ExecutorService ownWorker;

  private final DeliveryListener listener;

  /**
   * Told of each reply the SuperLink answered, after the answer came; the load generator times
   * replies with it.
   */
  @FunctionalInterface
  public interface DeliveryListener {
    void delivered(Instruction instruction, Reply reply, PushReplyResponse response);
  }

  public InstructionWorker(TaskProcessor processor, FleetClient client, Backoff backoff) {
    this(processor, client, backoff, null, (instruction, reply, response) -> {});
  }

  /**
   * @param executor runs the tasks; it must run them one at a time and in order. Null: a thread of
   *     this worker's own, stopped by {@link #close()}.
   */
  public InstructionWorker(
      TaskProcessor processor,
      FleetClient client,
      Backoff backoff,
      Executor executor,
      DeliveryListener listener) {
    this.processor = processor;
    this.client = client;
    this.backoff = backoff;
    this.clock = processor.clock();
    this.ownWorker =
        executor == null
            ? Executors.newSingleThreadExecutor(r -> new Thread(r, "task-worker"))
            : null;
    this.worker = executor == null ? ownWorker : executor;
    this.listener = listener;
  }

  @Override
  public void onInstruction(SessionContext session, Instruction instruction, byte[] envelope) {
    long arrived = System.nanoTime();
    worker.execute(
        () -> {
          long started = System.nanoTime();
          Reply reply;
          try {
            reply = processor.handle(session.nodeId(), instruction, envelope);
          } catch (NodeStartupException e) {
            push(
                processor.error(session.nodeId(), instruction, "the node stops: " + e.getMessage()),
                instruction);
            session.fail(e);
            return;
          } catch (RuntimeException e) {
            log.error("instruction {} failed: {}", instruction.getInstructionId(), e.toString());
            reply = processor.error(session.nodeId(), instruction, "the node failed: " + e);
          }
          long handled = System.nanoTime();
          push(reply, instruction);
          // Node-side share of the round's overhead, next to what the node reports as local time.
          log.info(
              "run {} round {} {} timing: queued {} ms, handled {} ms, pushed {} ms",
              instruction.getRunId(),
              instruction.getRound(),
              instruction.getKind(),
              millis(started - arrived),
              millis(handled - started),
              millis(System.nanoTime() - handled));
        });
  }

  @Override
  public void onBrokenTransfer(SessionContext session, Instruction instruction, String problem) {
    worker.execute(
        () ->
            push(
                processor.error(
                    session.nodeId(),
                    instruction,
                    "the encrypted model did not arrive intact: " + problem),
                instruction));
  }

  private void push(Reply reply, Instruction instruction) {
    String what =
        "run "
            + instruction.getRunId()
            + " round "
            + instruction.getRound()
            + " "
            + instruction.getKind();
    // A reply is worth delivering until the SuperLink stops waiting for it: across a short outage
    // (SuperLink restart, network blip, a transient refusal such as a rate limit) keep trying, each
    // attempt freshly signed.
    long giveUpAt =
        instruction.getDeadlineUnixMs() > 0
            ? instruction.getDeadlineUnixMs()
            : clock.millis() + DEFAULT_REDELIVERY.toMillis();
    for (int attempt = 0; ; attempt++) {
      try {
        PushReplyResponse response = client.pushReply(reply.header(), reply.payload());
        if (response.getAccepted() && reply.isError()) {
          log.warn("{}: error reply delivered: {}", what, reply.header().getError());
        } else if (response.getAccepted()) {
          log.info("{}: result delivered", what);
        } else {
          log.warn("{}: the SuperLink refused the reply: {}", what, response.getReason());
        }
        listener.delivered(instruction, reply, response);
        return;
      } catch (StatusRuntimeException e) {
        Duration delay = backoff.delay(attempt);
        boolean retryable =
            e.getStatus().getCode() == Status.Code.UNAVAILABLE
                || FailureClassifier.isTransientRefusal(e);
        if (!retryable || clock.millis() + delay.toMillis() > giveUpAt) {
          log.warn("{}: could not deliver the reply ({})", what, FailureClassifier.describe(e));
          return;
        }
        log.warn(
            "{}: the SuperLink cannot take the reply now ({}); retrying in {} ms",
            what,
            FailureClassifier.describe(e),
            delay.toMillis());
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          log.warn("{}: reply abandoned, the node is stopping", what);
          return;
        }
      }
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  @Override
  public void close() throws InterruptedException {
    if (ownWorker == null) {
      return;
    }
    ownWorker.shutdownNow();
    if (!ownWorker.awaitTermination(10, TimeUnit.SECONDS)) {
      log.warn("the task in progress did not stop within 10 s");
    }
  }
}
