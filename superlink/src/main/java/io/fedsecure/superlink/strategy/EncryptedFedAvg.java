package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.protocol.MetricNames;
import io.fedsecure.protocol.weights.TensorLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * FedAvg over encrypted model exchange, free of transport and Spring: who is asked, how the model
 * is sealed for each node, and how the counted replies' metrics are combined. Which replies count
 * is decided where they arrive (the run's {@code InstructionReply}); their updates are averaged by
 * {@link StreamingAggregate}.
 */
public final class EncryptedFedAvg {

  private final FedAvgSettings settings;
  private final byte[] layoutDigest;
  private final EnvelopeCipher cipher;

  public EncryptedFedAvg(FedAvgSettings settings, TensorLayout layout, EnvelopeCipher cipher) {
    this.settings = settings;
    this.layoutDigest = layout.digest();
    this.cipher = cipher;
  }

  public FedAvgSettings settings() {
    return settings;
  }

  public List<Participant> sampleTrain(List<Participant> available, SplittableRandom random) {
    return Sampling.sample(
        available,
        Sampling.sampleSize(available.size(), settings.fractionTrain(), settings.minTrainNodes()),
        random);
  }

  public List<Participant> sampleEvaluate(List<Participant> available, SplittableRandom random) {
    if (settings.fractionEvaluate() <= 0) {
      return List.of();
    }
    return Sampling.sample(
        available,
        Sampling.sampleSize(
            available.size(), settings.fractionEvaluate(), settings.minEvaluateNodes()),
        random);
  }

  /** The encoded global model sealed for one node as it is read (see {@link EnvelopeSealer}). */
  public EnvelopeSealer sealStream(
      Participant participant, long runId, int round, Phase phase, byte[] encodedModel) {
    EnvelopeContext context =
        new EnvelopeContext(
            runId,
            round,
            participant.nodeId(),
            Direction.SUPERLINK_TO_NODE,
            phase.messageKind(),
            layoutDigest);
    return cipher.sealStream(participant.key(), context, encodedModel);
  }

  /** Example-weighted mean of the nodes' train_loss; NaN if none reported one. */
  public static double trainLoss(List<CountedReply> trained) {
    return FedAvg.weightedMean(
        trained.stream()
            .filter(r -> r.metrics().containsKey(MetricNames.TRAIN_LOSS))
            .map(r -> new FedAvg.WeightedValue(r.metric(MetricNames.TRAIN_LOSS), r.numExamples()))
            .toList());
  }

  public record EvaluateAggregate(double loss, double accuracy) {}

  public static EvaluateAggregate aggregateEvaluate(List<CountedReply> evaluated) {
    return new EvaluateAggregate(
        weightedMean(evaluated, MetricNames.EVAL_LOSS),
        weightedMean(evaluated, MetricNames.EVAL_ACCURACY));
  }

  private static double weightedMean(List<CountedReply> replies, String metric) {
    return FedAvg.weightedMean(
        replies.stream()
            .map(r -> new FedAvg.WeightedValue(r.metric(metric), r.numExamples()))
            .toList());
  }
}
