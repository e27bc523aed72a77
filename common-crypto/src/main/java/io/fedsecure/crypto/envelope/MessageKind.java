package io.fedsecure.crypto.envelope;

/** What the envelope's model is for; part of the associated data so it cannot be re-labelled. */
public enum MessageKind {
  TRAIN,
  EVALUATE
}
