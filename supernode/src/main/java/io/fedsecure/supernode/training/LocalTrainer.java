package io.fedsecure.supernode.training;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import java.util.List;

/**
 * A node's local learning on its private partition. The task layer ({@code TaskProcessor}) decrypts
 * the global model, calls this, and encrypts what it returns; this side never sees ciphertext.
 */
public interface LocalTrainer extends AutoCloseable {

  /** The layout of the model this node runs (names, shapes, dtypes in state-dict order). */
  TensorLayout layout();

  /** Trains from {@code weights} on the local training split. */
  TrainResult train(List<NamedTensor> weights, TrainSettings settings);

  /** Evaluates {@code weights} on the local test split. */
  EvalResult evaluate(List<NamedTensor> weights, int batchSize);

  @Override
  default void close() {}

  record TrainSettings(int localEpochs, int batchSize, double learningRate) {}

  /**
   * @param seconds local wall time spent training
   */
  record TrainResult(
      List<NamedTensor> weights, long numExamples, double meanLoss, double seconds) {}

  /**
   * @param seconds local wall time spent evaluating
   */
  record EvalResult(long numExamples, double loss, double accuracy, double seconds) {}
}
