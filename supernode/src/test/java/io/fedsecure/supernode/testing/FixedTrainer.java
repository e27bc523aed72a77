package io.fedsecure.supernode.testing;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.supernode.training.LocalTrainer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic stand-in for the DJL trainer: "training" adds the learning rate times the number
 * of epochs to every weight, so a test can compute what the node must send back.
 */
public final class FixedTrainer implements LocalTrainer {

  public static final TensorLayout LAYOUT =
      new TensorLayout(
          List.of(TensorSpec.float32("fc.weight", 3, 4), TensorSpec.float32("fc.bias", 3)));

  public final List<TrainSettings> trainCalls = new CopyOnWriteArrayList<>();

  @Override
  public TensorLayout layout() {
    return LAYOUT;
  }

  @Override
  public TrainResult train(List<NamedTensor> weights, TrainSettings settings) {
    trainCalls.add(settings);
    return new TrainResult(trained(weights, settings), 120, 0.5 + settings.localEpochs(), 0.01);
  }

  @Override
  public EvalResult evaluate(List<NamedTensor> weights, int batchSize) {
    return new EvalResult(40, 1.25, 0.625, 0.01);
  }

  /** What {@link #train} returns for these inputs. */
  public static List<NamedTensor> trained(List<NamedTensor> weights, TrainSettings settings) {
    float delta = (float) (settings.learningRate() * settings.localEpochs());
    return weights.stream()
        .map(
            t -> {
              float[] data = t.data().clone();
              for (int i = 0; i < data.length; i++) {
                data[i] += delta;
              }
              return new NamedTensor(t.spec(), data);
            })
        .toList();
  }

  /** Weights with distinct values for this layout. */
  public static List<NamedTensor> sampleWeights(float offset) {
    return LAYOUT.tensors().stream()
        .map(
            spec -> {
              float[] data = new float[(int) spec.elementCount()];
              for (int i = 0; i < data.length; i++) {
                data[i] = offset + i * 0.5f;
              }
              return new NamedTensor(spec, data);
            })
        .toList();
  }
}
