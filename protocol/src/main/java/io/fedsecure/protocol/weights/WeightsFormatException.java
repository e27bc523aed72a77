package io.fedsecure.protocol.weights;

/** Encoded weights that are truncated, inconsistent, non-finite or of an unexpected layout. */
public final class WeightsFormatException extends Exception {
  public WeightsFormatException(String message) {
    super(message);
  }
}
