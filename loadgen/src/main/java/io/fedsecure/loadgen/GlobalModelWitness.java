package io.fedsecure.loadgen;

import io.fedsecure.protocol.weights.NamedTensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the first global model any node decrypted and checks every other node got the same one: the
 * expected aggregate is computed from what the nodes actually received.
 */
final class GlobalModelWitness {
  private final AtomicReference<List<NamedTensor>> first = new AtomicReference<>();
  private final AtomicInteger seen = new AtomicInteger();
  private final AtomicInteger different = new AtomicInteger();

  void accept(List<NamedTensor> weights) {
    seen.incrementAndGet();
    if (first.compareAndSet(null, weights)) {
      return;
    }
    List<NamedTensor> reference = first.get();
    for (int t = 0; t < reference.size(); t++) {
      if (!Arrays.equals(reference.get(t).data(), weights.get(t).data())) {
        different.incrementAndGet();
        return;
      }
    }
  }

  /** Forgets what was seen (between a warm-up run and the measured one). */
  void reset() {
    first.set(null);
    seen.set(0);
    different.set(0);
  }

  List<NamedTensor> model() {
    return first.get();
  }

  int seen() {
    return seen.get();
  }

  int different() {
    return different.get();
  }
}
