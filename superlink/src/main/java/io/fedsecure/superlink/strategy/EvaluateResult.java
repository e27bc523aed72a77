package io.fedsecure.superlink.strategy;

import java.util.Map;

/** An evaluation reply that passed every check. */
public record EvaluateResult(Participant participant, long numExamples, double loss, double accuracy, Map<String, Double> metrics) {}
