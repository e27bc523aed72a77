package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeAuthenticationException;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.proto.TaskKind;
import io.fedsecure.proto.fleet.ReplyHeader;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * FedAvg over encrypted model exchange, free of transport and Spring: who is asked, how the model
 * is sealed for each node, which replies count, and how they are combined.
 */
public final class EncryptedFedAvg {

  public static final String TRAIN_LOSS = "train_loss";
  public static final String EVAL_LOSS = "eval_loss";
  public static final String EVAL_ACCURACY = "eval_accuracy";
  public static final String LOCAL_SECONDS = "local_seconds";

  private final FedAvgSettings settings;
  private final TensorLayout layout;
  private final byte[] layoutDigest;
  private final EnvelopeCipher cipher;

  public EncryptedFedAvg(FedAvgSettings settings, TensorLayout layout, EnvelopeCipher cipher) {
    this.settings = settings;
    this.layout = layout;
    this.layoutDigest = layout.digest();
    this.cipher = cipher;
  }

  public TensorLayout layout() {
    return layout;
  }

  public FedAvgSettings settings() {
    return settings;
  }

  public List<Participant> sampleTrain(List<Participant> available, SplittableRandom random) {
    return Sampling.sample(
        available, Sampling.sampleSize(available.size(), settings.fractionTrain(), settings.minTrainNodes()), random);
  }

  public List<Participant> sampleEvaluate(List<Participant> available, SplittableRandom random) {
    if (settings.fractionEvaluate() <= 0) {
      return List.of();
    }
    return Sampling.sample(
        available, Sampling.sampleSize(available.size(), settings.fractionEvaluate(), settings.minEvaluateNodes()), random);
  }

  public TrainResult validateTrain(ExpectedReply expected, ReplyHeader header, byte[] payload) throws ReplyRejectedException {
    checkHeader(expected, header, TaskKind.TASK_KIND_TRAIN);
    Map<String, Double> metrics = checkMetrics(header);
    if (payload.length == 0) {
      throw new ReplyRejectedException("training reply carries no model update");
    }
    if (header.getPayloadSize() != payload.length) {
      throw new ReplyRejectedException(
          "payload_size " + header.getPayloadSize() + " does not match the " + payload.length + " bytes received");
    }
    // The context is what this SuperLink expects, so an envelope from another run, round, node,
    // direction or layout fails authentication here.
    EnvelopeContext context =
        new EnvelopeContext(
            expected.runId(), expected.round(), expected.participant().nodeId(), Direction.NODE_TO_SUPERLINK,
            MessageKind.TRAIN, layoutDigest);
    byte[] plaintext;
    try {
      plaintext = cipher.open(expected.participant().key(), context, payload);
    } catch (EnvelopeAuthenticationException e) {
      throw new ReplyRejectedException(
          "envelope failed authentication (tampered, replayed or sealed for another run/round/node/layout)");
    } catch (EnvelopeException e) {
      throw new ReplyRejectedException("envelope refused: " + e.getMessage());
    }
    List<NamedTensor> weights;
    try {
      weights = WeightsCodec.decode(plaintext, layout);
    } catch (WeightsFormatException e) {
      throw new ReplyRejectedException("model update invalid: " + e.getMessage());
    }
    return new TrainResult(expected.participant(), weights, header.getNumExamples(), metrics);
  }

  /** The encoded global model sealed for one node as it is read (see {@link EnvelopeSealer}). */
  public EnvelopeSealer sealStream(Participant participant, long runId, int round, TaskKind kind, byte[] encodedModel) {
    EnvelopeContext context =
        new EnvelopeContext(runId, round, participant.nodeId(), Direction.SUPERLINK_TO_NODE, messageKind(kind), layoutDigest);
    return cipher.sealStream(participant.key(), context, encodedModel);
  }

  /**
   * Checks a training reply's header and starts streaming its update into {@code aggregate};
   * {@code granted} runs when the update may be fed. Nothing counts before {@link StreamedTrain#finish}.
   */
  public StreamedTrain openTrain(StreamingAggregate aggregate, ExpectedReply expected, ReplyHeader header, Runnable granted)
      throws ReplyRejectedException {
    checkHeader(expected, header, TaskKind.TASK_KIND_TRAIN);
    Map<String, Double> metrics = checkMetrics(header);
    if (header.getPayloadSize() == 0) {
      throw new ReplyRejectedException("training reply carries no model update");
    }
    TrainResult result = new TrainResult(expected.participant(), List.of(), header.getNumExamples(), metrics);
    return new StreamedTrain(aggregate.begin(expected, header.getNumExamples(), granted), header.getPayloadSize(), result);
  }

  /** A training update being streamed into the round's aggregate. */
  public static final class StreamedTrain {
    private final StreamingAggregate.Contribution contribution;
    private final long announced;
    private final TrainResult result;
    private long received;

    StreamedTrain(StreamingAggregate.Contribution contribution, long announced, TrainResult result) {
      this.contribution = contribution;
      this.announced = announced;
      this.result = result;
    }

    public void feed(byte[] data, int off, int len) {
      received += len;
      contribution.feed(data, off, len);
    }

    /** Commits the update to the aggregate; the result carries no weights (they are in the aggregate). */
    public TrainResult finish() throws ReplyRejectedException {
      if (received != announced) {
        contribution.abort();
        throw new ReplyRejectedException(
            "payload_size " + announced + " does not match the " + received + " bytes received");
      }
      contribution.commit();
      return result;
    }

    public void abort() {
      contribution.abort();
    }
  }

  public EvaluateResult validateEvaluate(ExpectedReply expected, ReplyHeader header, byte[] payload)
      throws ReplyRejectedException {
    checkHeader(expected, header, TaskKind.TASK_KIND_EVALUATE);
    Map<String, Double> metrics = checkMetrics(header);
    if (payload.length != 0 || header.getPayloadSize() != 0) {
      throw new ReplyRejectedException("evaluation reply must not carry a payload");
    }
    Double loss = metrics.get(EVAL_LOSS);
    Double accuracy = metrics.get(EVAL_ACCURACY);
    if (loss == null || accuracy == null) {
      throw new ReplyRejectedException("evaluation reply lacks " + EVAL_LOSS + " or " + EVAL_ACCURACY);
    }
    if (accuracy < 0 || accuracy > 1) {
      throw new ReplyRejectedException(EVAL_ACCURACY + " " + accuracy + " is outside [0, 1]");
    }
    return new EvaluateResult(expected.participant(), header.getNumExamples(), loss, accuracy, metrics);
  }

  /** Example-weighted mean of the nodes' train_loss; NaN if none reported one. */
  public static double trainLoss(List<TrainResult> results) {
    return FedAvg.weightedMean(
        results.stream()
            .filter(r -> r.metrics().containsKey(TRAIN_LOSS))
            .map(r -> new FedAvg.WeightedValue(r.metrics().get(TRAIN_LOSS), r.numExamples()))
            .toList());
  }

  public record EvaluateAggregate(double loss, double accuracy) {}

  public static EvaluateAggregate aggregateEvaluate(List<EvaluateResult> results) {
    return new EvaluateAggregate(
        FedAvg.weightedMean(results.stream().map(r -> new FedAvg.WeightedValue(r.loss(), r.numExamples())).toList()),
        FedAvg.weightedMean(results.stream().map(r -> new FedAvg.WeightedValue(r.accuracy(), r.numExamples())).toList()));
  }

  private void checkHeader(ExpectedReply expected, ReplyHeader header, TaskKind kind) throws ReplyRejectedException {
    if (!header.getInstructionId().equals(expected.instructionId())) {
      throw new ReplyRejectedException("reply names instruction " + header.getInstructionId() + ", expected " + expected.instructionId());
    }
    if (header.getNodeId() != expected.participant().nodeId()) {
      throw new ReplyRejectedException("reply names node " + header.getNodeId());
    }
    if (header.getRunId() != expected.runId() || header.getRound() != expected.round() || header.getKind() != kind
        || expected.kind() != kind) {
      throw new ReplyRejectedException(
          "reply header says run " + header.getRunId() + " round " + header.getRound() + " " + header.getKind()
              + ", instruction was run " + expected.runId() + " round " + expected.round() + " " + expected.kind());
    }
    if (!header.getError().isEmpty()) {
      throw new ReplyRejectedException("node reported failure: " + header.getError());
    }
    if (header.getNumExamples() <= 0 || header.getNumExamples() > settings.maxNumExamples()) {
      throw new ReplyRejectedException(
          "num_examples " + Long.toUnsignedString(header.getNumExamples()) + " is outside 1.." + settings.maxNumExamples());
    }
  }

  private static Map<String, Double> checkMetrics(ReplyHeader header) throws ReplyRejectedException {
    for (Map.Entry<String, Double> metric : header.getMetricsMap().entrySet()) {
      if (!Double.isFinite(metric.getValue())) {
        throw new ReplyRejectedException("metric " + metric.getKey() + " is not finite");
      }
    }
    Double seconds = header.getMetricsMap().get(LOCAL_SECONDS);
    if (seconds != null && seconds < 0) {
      throw new ReplyRejectedException(LOCAL_SECONDS + " is negative");
    }
    return Map.copyOf(header.getMetricsMap());
  }

  private static MessageKind messageKind(TaskKind kind) {
    return switch (kind) {
      case TASK_KIND_TRAIN -> MessageKind.TRAIN;
      case TASK_KIND_EVALUATE -> MessageKind.EVALUATE;
      default -> throw new IllegalArgumentException("no envelope kind for " + kind);
    };
  }
}
