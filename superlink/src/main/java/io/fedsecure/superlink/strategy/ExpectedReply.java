package io.fedsecure.superlink.strategy;

/**
 * What the SuperLink sent and therefore expects back: everything a reply is checked against comes
 * from here, never from the reply itself.
 */
public record ExpectedReply(
    String instructionId, long runId, int round, Phase phase, Participant participant) {}
