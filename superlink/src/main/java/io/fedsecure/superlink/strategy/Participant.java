package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.WeightKey;
import java.util.Objects;

/**
 * A node taking part in a round, with the weight key chosen from its registered name (never from
 * anything the node sent).
 */
public record Participant(long nodeId, String name, WeightKey key) {
  public Participant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  /** How logs and metrics name the node: "node-1 (id 17)". */
  public String label() {
    return name + " (id " + nodeId + ")";
  }

  @Override
  public String toString() {
    return label();
  }
}
