package io.fedsecure.crypto.envelope;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything an envelope is bound to. The receiver builds this from what it expects (its own run,
 * round and node identity), never from fields of the message it received, so a ciphertext moved to
 * another run, round, node, direction, kind or layout fails authentication.
 *
 * @param layoutDigest SHA-256 of the tensor layout (see {@code TensorLayout#digest()}), 32 bytes
 */
public record EnvelopeContext(
    long runId, int round, long nodeId, Direction direction, MessageKind kind, byte[] layoutDigest) {

  public EnvelopeContext {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(layoutDigest, "layoutDigest");
    if (layoutDigest.length != 32) {
      throw new IllegalArgumentException("layoutDigest must be 32 bytes (SHA-256)");
    }
    layoutDigest = layoutDigest.clone();
  }

  @Override
  public byte[] layoutDigest() {
    return layoutDigest.clone();
  }

  /** The canonical associated-data bytes that GCM authenticates. */
  public byte[] associatedData() {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeContext c
        && runId == c.runId && round == c.round && nodeId == c.nodeId
        && direction == c.direction && kind == c.kind
        && Arrays.equals(layoutDigest, c.layoutDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(runId, round, nodeId, direction, kind, Arrays.hashCode(layoutDigest));
  }
}
