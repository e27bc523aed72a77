package io.fedsecure.superlink.model;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of Conv2d and Linear without PyTorch. kaiming_uniform_ with
 * a=sqrt(5) gives gain sqrt(2/(1+5)) = sqrt(1/3) and bound gain*sqrt(3/fan_in) = 1/sqrt(fan_in);
 * the bias is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the weight's fan_in. The random stream is not
 * PyTorch's, so the numbers differ from torch.manual_seed, but the distribution is the same and a
 * seed reproduces the model exactly.
 */
public final class ModelInitializer {

  private ModelInitializer() {}

  public static List<NamedTensor> initialise(TensorLayout layout, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<NamedTensor> tensors = new ArrayList<>(layout.tensors().size());
    for (TensorSpec spec : layout.tensors()) {
      double bound = 1.0 / Math.sqrt(NetLayout.fanIn(layout, spec));
      float[] data = new float[Math.toIntExact(spec.elementCount())];
      for (int i = 0; i < data.length; i++) {
        data[i] = clamp((float) random.nextDouble(-bound, bound), (float) bound);
      }
      tensors.add(new NamedTensor(spec, data));
    }
    return List.copyOf(tensors);
  }

  /** Seed used when the run config has none: differs per run, reproducible from the run id. */
  public static long defaultSeed(long runId) {
    return new SplittableRandom(runId ^ 0x5DEECE66DL).nextLong();
  }

  // Rounding a double just inside the bound to float can land a hair outside it.
  private static float clamp(float value, float bound) {
    return Math.max(-bound, Math.min(bound, value));
  }
}
