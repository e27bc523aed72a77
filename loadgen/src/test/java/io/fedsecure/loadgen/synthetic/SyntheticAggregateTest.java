package io.fedsecure.loadgen.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.supernode.training.LocalTrainer.TrainResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The prediction against the two ways the SuperLink sums replies (FedAvg's double sum over all
 * replies; the streaming float32 sum with one rounding per reply), in several arrival orders.
 */
class SyntheticAggregateTest {

  private record Update(List<NamedTensor> weights, long numExamples) {}

  @Test
  void predictsBothSuperLinkSummationsBitForBitInAnyOrder() {
    List<NamedTensor> global = SyntheticTrainerTest.weights(11);
    int nodes = 1000;
    List<Update> updates = new ArrayList<>();
    for (int k = 1; k <= nodes; k++) {
      TrainResult r =
          new SyntheticTrainer(SyntheticTrainerTest.LAYOUT, k, w -> {})
              .train(global, SyntheticTrainerTest.SETTINGS);
      updates.add(new Update(r.weights(), r.numExamples()));
    }
    List<NamedTensor> expected =
        SyntheticAggregate.expected(global, IntStream.rangeClosed(1, nodes).boxed().toList());

    Random random = new Random(5);
    for (int order = 0; order < 3; order++) {
      Collections.shuffle(updates, random);
      assertSameBits(doubleSum(updates), expected);
      assertSameBits(floatSum(updates), expected);
    }
  }

  @Test
  void aSubsetIsPredictedToo() {
    List<NamedTensor> global = SyntheticTrainerTest.weights(12);
    List<Integer> indices = List.of(3, 5, 8, 13);
    List<Update> updates =
        indices.stream()
            .map(
                k -> {
                  TrainResult r =
                      new SyntheticTrainer(SyntheticTrainerTest.LAYOUT, k, w -> {})
                          .train(global, SyntheticTrainerTest.SETTINGS);
                  return new Update(r.weights(), r.numExamples());
                })
            .toList();
    assertSameBits(floatSum(updates), SyntheticAggregate.expected(global, indices));
    assertThat(SyntheticTrainer.MAX_NODES).isGreaterThanOrEqualTo(4000);
  }

  @Test
  void holdsForTheSyntheticLayoutInitialisedAsTheSuperLinkDoes() {
    // ModelInitializer's range for these Linear layers: U(-1/sqrt(1000), 1/sqrt(1000)); 1 MB stands
    // in for 100 MB (the same 1000-wide rows, so the same grids), keeping the test short.
    TensorLayout layout = SyntheticLayouts.ofMegabytes(1);
    SplittableRandom random = new SplittableRandom(21);
    double bound = 1 / Math.sqrt(1000);
    List<NamedTensor> global = new ArrayList<>();
    for (TensorSpec spec : layout.tensors()) {
      float[] data = new float[(int) spec.elementCount()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) random.nextDouble(-bound, bound);
      }
      global.add(new NamedTensor(spec, data));
    }
    List<Integer> indices = IntStream.rangeClosed(1, 10).boxed().toList();
    List<Update> updates = new ArrayList<>();
    for (int k : indices) {
      TrainResult r =
          new SyntheticTrainer(layout, k, w -> {}).train(global, SyntheticTrainerTest.SETTINGS);
      updates.add(new Update(r.weights(), r.numExamples()));
    }
    List<NamedTensor> expected = SyntheticAggregate.expected(global, indices);
    Collections.shuffle(updates, new Random(7));
    assertSameBits(floatSum(updates), expected);
    // Not vacuous: averaging the offsets moved the weights off the global model.
    assertThat(expected.get(0).data()[0]).isNotEqualTo(global.get(0).data()[0]);
  }

  /** As the SuperLink's FedAvg.weightedAverage: double accumulation, one cast at the end. */
  private static List<float[]> doubleSum(List<Update> updates) {
    int tensors = updates.get(0).weights().size();
    double total = updates.stream().mapToLong(Update::numExamples).sum();
    List<float[]> result = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      double[] sum = new double[updates.get(0).weights().get(t).data().length];
      for (Update u : updates) {
        float[] data = u.weights().get(t).data();
        for (int i = 0; i < data.length; i++) {
          sum[i] += (double) u.numExamples() * data[i];
        }
      }
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] / total);
      }
      result.add(mean);
    }
    return result;
  }

  /** As the SuperLink's streaming aggregate: a float32 sum rounded after each reply. */
  private static List<float[]> floatSum(List<Update> updates) {
    int tensors = updates.get(0).weights().size();
    double total = 0;
    List<float[]> acc = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      acc.add(new float[updates.get(0).weights().get(t).data().length]);
    }
    for (Update u : updates) {
      double weight = u.numExamples();
      for (int t = 0; t < tensors; t++) {
        float[] a = acc.get(t);
        float[] v = u.weights().get(t).data();
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (a[i] + weight * v[i]);
        }
      }
      total += weight;
    }
    List<float[]> result = new ArrayList<>();
    for (float[] a : acc) {
      float[] mean = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        mean[i] = (float) (a[i] / total);
      }
      result.add(mean);
    }
    return result;
  }

  private static void assertSameBits(List<float[]> actual, List<NamedTensor> expected) {
    for (int t = 0; t < expected.size(); t++) {
      float[] e = expected.get(t).data();
      float[] a = actual.get(t);
      for (int i = 0; i < e.length; i++) {
        assertThat(Float.floatToRawIntBits(a[i]))
            .as("tensor %d element %d", t, i)
            .isEqualTo(Float.floatToRawIntBits(e[i]));
      }
    }
  }
}
