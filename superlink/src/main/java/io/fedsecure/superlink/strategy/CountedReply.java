package io.fedsecure.superlink.strategy;

import java.util.Map;

/**
 * A reply that passed every check: for training, its update is in the round's aggregate; for
 * evaluation, its loss and accuracy are among the metrics. {@code instructionId} is the instruction
 * it answered.
 */
public record CountedReply(
    String instructionId, Participant participant, long numExamples, Map<String, Double> metrics) {

  /** A metric the reply carried; the checks guarantee the ones its phase requires. */
  public double metric(String name) {
    return metrics.get(name);
  }
}
