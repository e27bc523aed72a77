package io.fedsecure.superlink.strategy;

import io.fedsecure.protocol.weights.NamedTensor;
import java.util.List;
import java.util.Map;

/** A training reply that passed every check. */
public record TrainResult(Participant participant, List<NamedTensor> weights, long numExamples, Map<String, Double> metrics) {}
