package io.fedsecure.superlink.run;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.superlink.strategy.EncryptedFedAvg;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** State of one executing run, owned by its thread except for the stop flag and the open phase. */
final class ActiveRun {
  final long runId;
  final RunConfig config;

  /** Keys are loaded once per run, so a key file replaced mid-run takes effect at the next run. */
  final Map<String, WeightKey> keys = new HashMap<>();

  /** Nodes already reported as skipped (no name, no key), so that each is reported once per run. */
  final Set<Long> skipped = new HashSet<>();

  volatile boolean stopped;

  /** The phase waiting for replies, if any: a stop wakes it. */
  volatile PhaseReplies replies;

  int round;
  byte[] global = new byte[0];
  TensorLayout layout;
  SplittableRandom sampling;
  EncryptedFedAvg fedAvg;

  ActiveRun(long runId, RunConfig config) {
    this.runId = runId;
    this.config = config;
  }

  /** The run was stopped by the operator; its current round is abandoned. */
  static final class StoppedException extends Exception {}

  /** The run cannot go on; the message says why. */
  static final class FailedException extends Exception {
    FailedException(String message) {
      super(message);
    }
  }
}
