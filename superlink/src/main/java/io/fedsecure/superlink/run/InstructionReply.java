package io.fedsecure.superlink.run;

import com.google.protobuf.ByteString;
import io.fedsecure.proto.fleet.PushReplyResponse;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.MetricNames;
import io.fedsecure.protocol.UntrustedText;
import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.fleet.AwaitedReply;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.fleet.RefusedReply;
import io.fedsecure.superlink.fleet.ReplySink;
import io.fedsecure.superlink.strategy.CountedReply;
import io.fedsecure.superlink.strategy.ExpectedReply;
import io.fedsecure.superlink.strategy.Phase;
import io.fedsecure.superlink.strategy.ReplyRejectedException;
import io.fedsecure.superlink.strategy.StreamingAggregate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reply an instruction (a run, round, phase and node) waits for, and the one place that
 * decides whether it counts: sent by the node the instruction went to, the first to complete, not
 * late, its header matching the instruction (run, round, kind, node), no node error, a plausible
 * num_examples, finite metrics, a payload of the announced size whose envelope authenticates and
 * decodes to the expected layout with finite values. A training update is fed into the round's
 * {@link StreamingAggregate} as it arrives and committed only if all of that holds; an evaluation
 * reply (no payload) counts with its loss and accuracy. Nothing counts before {@link
 * ReplySink#complete}, which runs only once the call's signature checked out.
 */
final class InstructionReply implements AwaitedReply {

  private static final Logger log = LoggerFactory.getLogger(InstructionReply.class);

  private final ExpectedReply expected;
  private final PhaseReplies replies;
  private final AtomicBoolean answered = new AtomicBoolean();

  InstructionReply(ExpectedReply expected, PhaseReplies replies) {
    this.expected = expected;
    this.replies = replies;
  }

  @Override
  public long nodeId() {
    return expected.participant().nodeId();
  }

  @Override
  public boolean answered() {
    return answered.get();
  }

  @Override
  public ReplySink receive(AuthenticatedNode caller, ReplyHeader header) {
    if (caller.nodeId() != nodeId()) {
      return new RefusedReply(
          caller, header, "instruction " + expected.instructionId() + " was not sent to this node");
    }
    replies.timeline().replyStarted(expected.instructionId());
    return new Attempt(header);
  }

  @Override
  public void nodeLost(String reason) {
    replies.nodeLost(expected, reason);
  }

  /** One PushReply call carrying a reply to this instruction; a second one is a duplicate. */
  private final class Attempt implements ReplySink {
    private final ReplyHeader header;
    private String rejection;
    private StreamingAggregate.Contribution contribution;
    private long received;

    Attempt(ReplyHeader header) {
      this.header = header;
    }

    @Override
    public void start(Runnable ready) {
      rejection = checkHeader(header);
      StreamingAggregate aggregate = replies.aggregate();
      if (rejection == null && aggregate != null) {
        contribution = aggregate.begin(expected, header.getNumExamples(), ready);
      } else {
        ready.run();
      }
    }

    @Override
    public void chunk(ByteString data) {
      received += data.size();
      if (contribution != null) {
        byte[] bytes = data.toByteArray();
        contribution.feed(bytes, 0, bytes.length);
      }
    }

    @Override
    public PushReplyResponse complete() {
      return replies.locked(this::verdict);
    }

    private PushReplyResponse verdict() {
      String id = expected.instructionId();
      String late = replies.closedReason();
      if (late != null) {
        abort();
        return RefusedReply.refused(
            answered.get() ? NodeStreams.duplicate(id) : "late reply: " + late);
      }
      if (!answered.compareAndSet(false, true)) {
        abort();
        log.warn(
            "Refused duplicate reply from node {} (id {}) for run {} round {} (instruction {})",
            expected.participant().name(),
            nodeId(),
            header.getRunId(),
            header.getRound(),
            id);
        replies.log(
            expected,
            "refused duplicate reply from "
                + expected.participant().label()
                + " (only its first reply counts)");
        return RefusedReply.refused(NodeStreams.duplicate(id));
      }
      String earlier = replies.droppedReason(id);
      if (earlier != null) {
        abort();
        return RefusedReply.refused("reply no longer counted: " + earlier);
      }
      String why = rejection != null ? rejection : finish();
      if (why != null) {
        replies.drop(expected, why);
        return RefusedReply.refused(why);
      }
      replies.accept(
          expected,
          new CountedReply(
              id,
              expected.participant(),
              header.getNumExamples(),
              Map.copyOf(header.getMetricsMap())));
      return PushReplyResponse.newBuilder().setAccepted(true).build();
    }

    /** Commits a training update to the aggregate; null if it counts, else why not. */
    private String finish() {
      if (contribution == null) {
        return null;
      }
      if (received != header.getPayloadSize()) {
        contribution.abort();
        return "payload_size "
            + header.getPayloadSize()
            + " does not match the "
            + received
            + " bytes received";
      }
      try {
        contribution.commit();
        return null;
      } catch (ReplyRejectedException e) {
        return e.getMessage();
      }
    }

    @Override
    public void abort() {
      if (contribution != null) {
        contribution.abort();
      }
    }
  }

  /**
   * What is wrong with the header, or null: everything it is checked against comes from the
   * instruction.
   */
  private String checkHeader(ReplyHeader header) {
    Phase phase = expected.phase();
    if (header.getNodeId() != nodeId()) {
      return "reply names node " + header.getNodeId();
    }
    if (header.getRunId() != expected.runId()
        || header.getRound() != expected.round()
        || header.getKind() != phase.taskKind()) {
      return "reply header says run "
          + header.getRunId()
          + " round "
          + header.getRound()
          + " "
          + header.getKind()
          + ", instruction was run "
          + expected.runId()
          + " round "
          + expected.round()
          + " "
          + phase.taskKind();
    }
    if (!header.getError().isEmpty()) {
      return "node reported failure: " + UntrustedText.clean(header.getError());
    }
    if (header.getNumExamples() <= 0 || header.getNumExamples() > replies.maxNumExamples()) {
      return "num_examples "
          + Long.toUnsignedString(header.getNumExamples())
          + " is outside 1.."
          + replies.maxNumExamples();
    }
    String metrics = checkMetrics(header.getMetricsMap());
    if (metrics != null) {
      return metrics;
    }
    return phase == Phase.TRAIN ? checkTrain(header) : checkEvaluate(header);
  }

  private static String checkMetrics(Map<String, Double> metrics) {
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      if (!Double.isFinite(metric.getValue())) {
        return "metric " + UntrustedText.clean(metric.getKey()) + " is not finite";
      }
    }
    Double seconds = metrics.get(MetricNames.LOCAL_SECONDS);
    if (seconds != null && seconds < 0) {
      return MetricNames.LOCAL_SECONDS + " is negative";
    }
    return null;
  }

  private static String checkTrain(ReplyHeader header) {
    return header.getPayloadSize() == 0 ? "training reply carries no model update" : null;
  }

  private static String checkEvaluate(ReplyHeader header) {
    if (header.getPayloadSize() != 0) {
      return "evaluation reply must not carry a payload";
    }
    Double loss = header.getMetricsMap().get(MetricNames.EVAL_LOSS);
    Double accuracy = header.getMetricsMap().get(MetricNames.EVAL_ACCURACY);
    if (loss == null || accuracy == null) {
      return "evaluation reply lacks " + MetricNames.EVAL_LOSS + " or " + MetricNames.EVAL_ACCURACY;
    }
    if (accuracy < 0 || accuracy > 1) {
      return MetricNames.EVAL_ACCURACY + " " + accuracy + " is outside [0, 1]";
    }
    return null;
  }
}
