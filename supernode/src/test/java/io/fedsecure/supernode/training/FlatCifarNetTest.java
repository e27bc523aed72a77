package io.fedsecure.supernode.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fedsecure.protocol.weights.NamedTensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flat-buffer net must be the same model and the same optimizer as DJL's generic path
 * (CifarNet's Block trained by a DJL Trainer with SGD momentum 0.9), which it replaced for speed.
 */
class FlatCifarNetTest {

  private static final float LR = 0.05f;

  private NDManager manager;

  @BeforeEach
  void manager() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void forwardEqualsTheDjlBlock() {
    List<NamedTensor> weights = CifarNet.initialWeights(7);
    NDArray images = manager.randomNormal(CifarNet.inputShape(5));
    float[] expected;
    try (Model model = blockModel(weights, 5)) {
      expected =
          model
              .getBlock()
              .forward(new ParameterStore(model.getNDManager(), false), new NDList(images), false)
              .singletonOrThrow()
              .toFloatArray();
    }
    try (FlatCifarNet net = new FlatCifarNet(manager, weights);
        NDManager batch = manager.newSubManager()) {
      NDArray x = images.duplicate();
      x.attach(batch);
      NDArray logits = net.forward(batch, x);
      assertThat(logits.getShape()).isEqualTo(new Shape(5, 10));
      assertClose(logits.toFloatArray(), expected, 1e-5f);
    }
  }

  @Test
  void inferenceForwardEqualsTheDjlBlock() {
    List<NamedTensor> weights = CifarNet.initialWeights(8);
    NDArray images = manager.randomNormal(CifarNet.inputShape(6));
    float[] expected;
    try (Model model = blockModel(weights, 6)) {
      expected =
          model
              .getBlock()
              .forward(new ParameterStore(model.getNDManager(), false), new NDList(images), false)
              .singletonOrThrow()
              .toFloatArray();
    }
    try (FlatCifarNet net = new FlatCifarNet(manager, weights);
        NDManager batch = manager.newSubManager()) {
      NDArray x = images.duplicate();
      x.attach(batch);
      assertClose(FlatCifarNet.forward(x, net.views(batch), false).toFloatArray(), expected, 1e-5f);
    }
  }

  @Test
  void maxOfFourIsMaxPoolExactlyWithTiesAndNaN() {
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.randomNormal(new Shape(3, 4, 10, 10)).maximum(0f); // many all-zero windows
      x.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 1"), x.getFloat(0, 0, 0, 0)); // a tie
      x.set(new ai.djl.ndarray.index.NDIndex("1, 2, 5, 4"), Float.NaN);
      NDArray expected =
          JniUtils.maxPool(
              (ai.djl.pytorch.engine.PtNDArray) x,
              new Shape(2, 2),
              new Shape(2, 2),
              new Shape(0, 0),
              false);
      NDArray actual = FlatCifarNet.maxOfFour((ai.djl.pytorch.engine.PtNDArray) x);
      assertThat(actual.getShape()).isEqualTo(new Shape(3, 4, 5, 5));
      assertThat(Float.isNaN(actual.getFloat(1, 2, 2, 2))).isTrue();
      assertThat(actual.toFloatArray()).isEqualTo(expected.toFloatArray());
    }
  }

  @Test
  void trainStepsEqualDjlsTrainerWithSgdMomentum() {
    List<NamedTensor> weights = CifarNet.initialWeights(11);
    Random random = new Random(3);
    int batchSize = 8;
    NDArray[] images = new NDArray[3];
    long[][] labels = new long[3][batchSize];
    for (int step = 0; step < images.length; step++) {
      images[step] = manager.randomNormal(CifarNet.inputShape(batchSize));
      for (int i = 0; i < batchSize; i++) {
        labels[step][i] = random.nextInt(10);
      }
    }

    // Three steps, so the momentum of the first two shows in the last.
    List<NamedTensor> expected;
    float[] expectedLosses = new float[images.length];
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Optimizer.sgd()
                    .setLearningRateTracker(Tracker.fixed(LR))
                    .optMomentum(0.9f)
                    .build());
    try (Model model = blockModel(weights, batchSize);
        Trainer trainer = model.newTrainer(config)) {
      NetParameters parameters = NetParameters.bind(model.getBlock(), CifarNet.LAYOUT);
      parameters.load(weights);
      for (int step = 0; step < images.length; step++) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray y = trainer.getManager().create(labels[step]);
          NDArray loss =
              trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(images[step])));
          collector.backward(loss);
          expectedLosses[step] = loss.getFloat();
        }
        trainer.step();
      }
      expected = parameters.read();
    }

    try (FlatCifarNet net = new FlatCifarNet(manager, weights)) {
      for (int step = 0; step < images.length; step++) {
        try (NDManager batch = manager.newSubManager()) {
          NDArray x = images[step].duplicate();
          x.attach(batch);
          NDArray y = batch.create(labels[step], new Shape(batchSize, 1));
          assertThat(net.trainStep(batch, x, y, LR).getFloat())
              .as("loss of step %d", step)
              .isCloseTo(expectedLosses[step], within(1e-5f));
        }
      }
      List<NamedTensor> actual = net.read();
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i).spec()).isEqualTo(expected.get(i).spec());
        assertClose(actual.get(i).data(), expected.get(i).data(), 1e-5f);
        assertThat(actual.get(i).data())
            .as("%s moved", actual.get(i).spec().name())
            .isNotEqualTo(weights.get(i).data());
      }
    }
    assertThat(JniUtils.isGradMode()).as("grad mode left off").isFalse();
  }

  @Test
  void readReturnsTheLoadedWeightsAsFreshArrays() {
    List<NamedTensor> weights = CifarNet.initialWeights(5);
    try (FlatCifarNet net = new FlatCifarNet(manager, weights)) {
      List<NamedTensor> back = net.read();
      for (int i = 0; i < weights.size(); i++) {
        assertThat(back.get(i).spec()).isEqualTo(weights.get(i).spec());
        assertThat(back.get(i).data())
            .isEqualTo(weights.get(i).data())
            .isNotSameAs(weights.get(i).data());
      }
    }
  }

  @Test
  void refusesWeightsOfAnotherLayout() {
    List<NamedTensor> weights = CifarNet.initialWeights(5);
    assertThatThrownBy(() -> new FlatCifarNet(manager, weights.subList(0, 9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 10 tensors");
    List<NamedTensor> swapped = new java.util.ArrayList<>(weights);
    swapped.set(0, weights.get(1));
    swapped.set(1, weights.get(0));
    assertThatThrownBy(() -> new FlatCifarNet(manager, swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conv1.weight");
  }

  private static Model blockModel(List<NamedTensor> weights, int batchSize) {
    Model model = Model.newInstance("reference", "PyTorch");
    model.setBlock(CifarNet.newBlock());
    model
        .getBlock()
        .initialize(model.getNDManager(), DataType.FLOAT32, CifarNet.inputShape(batchSize));
    NetParameters.bind(model.getBlock(), CifarNet.LAYOUT).load(weights);
    return model;
  }

  private static void assertClose(float[] actual, float[] expected, float tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }
}
