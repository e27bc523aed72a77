package io.fedsecure.crypto.envelope;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Everything an envelope is bound to. The receiver builds this from what it expects (its own run,
 * round and node identity), never from fields of the message it received, so a ciphertext moved to
 * another run, round, node, direction, kind or layout fails authentication.
 *
 * @param layoutDigest SHA-256 of the tensor layout (see {@code TensorLayout#digest()}), 32 bytes
 */
public record EnvelopeContext(
    long runId,
    int round,
    long nodeId,
    Direction direction,
    MessageKind kind,
    byte[] layoutDigest) {

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

  /**
   * The canonical associated-data bytes that GCM authenticates. Fixed layout, 80 bytes, big-endian:
   * the 24-byte tag "fedsecure-envelope-ad-v1", runId (8), round (4), nodeId (8), direction (1),
   * kind (1), two zero bytes, layoutDigest (32). Enum codes are explicit, not ordinals, so
   * reordering an enum cannot silently change the bytes.
   */
  public byte[] associatedData() {
    ByteBuffer b = ByteBuffer.allocate(AD_LENGTH);
    b.put(AD_TAG);
    b.putLong(runId).putInt(round).putLong(nodeId);
    b.put(
        switch (direction) {
          case SUPERLINK_TO_NODE -> (byte) 1;
          case NODE_TO_SUPERLINK -> (byte) 2;
        });
    b.put(
        switch (kind) {
          case TRAIN -> (byte) 1;
          case EVALUATE -> (byte) 2;
        });
    b.putShort((short) 0);
    b.put(layoutDigest);
    return b.array();
  }

  private static final byte[] AD_TAG =
      "fedsecure-envelope-ad-v1".getBytes(StandardCharsets.US_ASCII);
  static final int AD_LENGTH = 24 + 8 + 4 + 8 + 1 + 1 + 2 + 32;

  @Override
  public String toString() {
    return "EnvelopeContext[run="
        + runId
        + ", round="
        + round
        + ", node="
        + nodeId
        + ", "
        + direction
        + ", "
        + kind
        + ", layout="
        + HexFormat.of().formatHex(layoutDigest, 0, 8)
        + "...]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeContext c
        && runId == c.runId
        && round == c.round
        && nodeId == c.nodeId
        && direction == c.direction
        && kind == c.kind
        && Arrays.equals(layoutDigest, c.layoutDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(runId, round, nodeId, direction, kind, Arrays.hashCode(layoutDigest));
  }
}
