package io.fedsecure.crypto.envelope;

/** Which way an envelope travels; part of the associated data so a message cannot be reflected. */
public enum Direction {
  SUPERLINK_TO_NODE,
  NODE_TO_SUPERLINK
}
