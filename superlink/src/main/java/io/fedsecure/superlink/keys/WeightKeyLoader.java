package io.fedsecure.superlink.keys;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.KeyFileException;

/** Finds a node's weight key from its registered name. */
@FunctionalInterface
public interface WeightKeyLoader {
  WeightKey load(String nodeName) throws KeyFileException;
}
