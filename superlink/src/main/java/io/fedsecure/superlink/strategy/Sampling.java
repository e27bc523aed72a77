package io.fedsecure.superlink.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Flower-style node sampling: a fraction of the available nodes, at least a minimum. */
public final class Sampling {

  private Sampling() {}

  /**
   * max(ceil(fraction * available), min), but never more than are available. Rounding up means a
   * non-zero fraction always asks at least one node; a zero fraction asks only the minimum.
   */
  public static int sampleSize(int available, double fraction, int min) {
    if (available <= 0) {
      return 0;
    }
    // The epsilon stops 0.3 * 10 = 3.0000000000000004 from becoming 4.
    int byFraction = (int) Math.ceil(fraction * available - 1e-9);
    return Math.min(available, Math.max(byFraction, min));
  }

  /** {@code size} distinct elements chosen uniformly; the result keeps the candidates' order. */
  public static <T> List<T> sample(List<T> candidates, int size, SplittableRandom random) {
    if (size >= candidates.size()) {
      return List.copyOf(candidates);
    }
    List<Integer> indices = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      indices.add(i);
    }
    // Partial Fisher-Yates: the first `size` positions become a uniform sample.
    for (int i = 0; i < size; i++) {
      Collections.swap(indices, i, i + random.nextInt(indices.size() - i));
    }
    List<Integer> chosen = new ArrayList<>(indices.subList(0, size));
    Collections.sort(chosen);
    return chosen.stream().map(candidates::get).toList();
  }
}
