package io.fedsecure.superlink.run;

import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.strategy.ExpectedReply;
import io.fedsecure.superlink.strategy.Participant;
import io.fedsecure.superlink.strategy.Phase;
import io.fedsecure.superlink.strategy.StreamingAggregate;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One phase of a round: sends each node its instruction and waits for the replies. */
final class PhaseDispatch {

  private final NodeStreams streams;
  private final RunLog runLog;
  private final Clock clock;
  private final SecureRandom ids = new SecureRandom();

  PhaseDispatch(NodeStreams streams, RunLog runLog, Clock clock) {
    this.streams = streams;
    this.runLog = runLog;
    this.clock = clock;
  }

  /**
   * What a phase sends to whom.
   *
   * @param aggregate where training updates go (null for evaluation); opened once every
   *     instruction's envelope has gone out or can no longer go out (its node's stream ended)
   * @param announcement the run log line saying who is asked, appended once the instructions are
   *     queued
   */
  record Plan(
      Phase phase,
      List<Participant> nodes,
      StreamingAggregate aggregate,
      RoundTimeline timeline,
      String announcement) {}

  /**
   * Sends the phase's instructions and waits for the replies, until all are in, the round-timeout
   * or a stop.
   */
  PhaseReplies run(ActiveRun run, Plan plan, byte[] encodedModel)
      throws ActiveRun.StoppedException, InterruptedException {
    Instant deadline = clock.instant().plus(run.config.roundTimeout());
    PhaseReplies replies =
        new PhaseReplies(
            plan.phase(),
            run.fedAvg.settings().maxNumExamples(),
            plan.aggregate(),
            line -> runLog.warn(run.runId, line),
            plan.timeline());
    run.replies = replies;
    try {
      Sender sender = new Sender(run, plan, replies, deadline);
      for (Participant p : plan.nodes()) {
        sender.send(p, encodedModel);
      }
      // The sealers hold the model from here; this frame's reference would keep a sent one alive.
      encodedModel = null;
      plan.timeline().step(plan.phase() + "-queued");
      // Logged once the instructions are on their way: the database write then overlaps the nodes'
      // work instead of delaying every node's start (measured 5-30 ms per line on a loaded
      // machine).
      runLog.append(run.runId, plan.announcement());
      plan.timeline().step(plan.phase() + "-logged");
      replies.awaitAll(clock, deadline, () -> run.stopped);
      plan.timeline().step(plan.phase() + "-replies-in");
    } finally {
      String late =
          run.stopped
              ? "run " + run.runId + " was stopped"
              : "round "
                  + run.round
                  + " "
                  + plan.phase()
                  + " of run "
                  + run.runId
                  + " already closed";
      replies.close(
          run.stopped
              ? "run stopped before the node replied"
              : "no reply within round-timeout ("
                  + LogText.seconds(run.config.roundTimeout())
                  + " s)",
          late);
      for (String id : replies.instructionIds()) {
        streams.close(id, late);
      }
      run.replies = null;
    }
    if (run.stopped) {
      throw new ActiveRun.StoppedException();
    }
    return replies;
  }

  /**
   * 128 random bits in hex: an id names one instruction and says nothing about the run, round or
   * node, so no one can name another node's instruction without having been sent it.
   */
  private String newInstructionId() {
    byte[] bits = new byte[16];
    ids.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /** Sends one phase's instructions, and opens its aggregate once they have all gone out. */
  private final class Sender {
    private final ActiveRun run;
    private final Plan plan;
    private final PhaseReplies replies;
    private final Instruction template;
    private final AtomicInteger unsent;

    Sender(ActiveRun run, Plan plan, PhaseReplies replies, Instant deadline) {
      this.run = run;
      this.plan = plan;
      this.replies = replies;
      this.template =
          Instruction.newBuilder()
              .setRunId(run.runId)
              .setRound(run.round)
              .setKind(plan.phase().taskKind())
              .putAllConfig(run.config.nodeConfig())
              .setLayout(run.layout.toProto())
              .setDeadlineUnixMs(deadline.toEpochMilli())
              .build();
      this.unsent = new AtomicInteger(plan.nodes().size());
      if (plan.nodes().isEmpty()) {
        allSent();
      }
    }

    /**
     * One node's instruction; its own method so that no sealer outlives it in a frame of the
     * waiting thread.
     */
    void send(Participant p, byte[] encodedModel) {
      String id = newInstructionId();
      EnvelopeSealer envelope =
          run.fedAvg.sealStream(p, run.runId, run.round, plan.phase(), encodedModel);
      InstructionReply reply =
          replies.expect(new ExpectedReply(id, run.runId, run.round, plan.phase(), p));
      streams.expect(id, reply);
      Instruction instruction = template.toBuilder().setInstructionId(id).build();
      plan.timeline().queued(id);
      Runnable sent =
          () -> {
            plan.timeline().sent(id);
            settled();
          };
      if (!streams.send(p.nodeId(), instruction, envelope, sent, this::settled)) {
        reply.nodeLost("no open instruction stream");
        settled();
      }
    }

    private void settled() {
      if (unsent.decrementAndGet() == 0) {
        allSent();
      }
    }

    private void allSent() {
      if (plan.aggregate() != null) {
        plan.aggregate().open();
      }
    }
  }
}
