package io.fedsecure.superlink.strategy;

/**
 * @param maxNumExamples replies claiming more examples are refused: an absurd count would let one
 *     node dominate the weighted average
 */
public record FedAvgSettings(
    double fractionTrain,
    double fractionEvaluate,
    int minTrainNodes,
    int minEvaluateNodes,
    long maxNumExamples) {}
