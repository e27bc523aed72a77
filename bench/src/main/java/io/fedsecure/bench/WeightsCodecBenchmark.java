package io.fedsecure.bench;

import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encode and decode (with full validation) of the example CNN: 62,006 float32 parameters. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class WeightsCodecBenchmark {

  static final TensorLayout CNN =
      new TensorLayout(
          List.of(
              TensorSpec.float32("conv1.weight", 6, 3, 5, 5), TensorSpec.float32("conv1.bias", 6),
              TensorSpec.float32("conv2.weight", 16, 6, 5, 5), TensorSpec.float32("conv2.bias", 16),
              TensorSpec.float32("fc1.weight", 120, 400), TensorSpec.float32("fc1.bias", 120),
              TensorSpec.float32("fc2.weight", 84, 120), TensorSpec.float32("fc2.bias", 84),
              TensorSpec.float32("fc3.weight", 10, 84), TensorSpec.float32("fc3.bias", 10)));

  private List<NamedTensor> model;
  private byte[] encoded;

  @Setup
  public void setUp() {
    Random r = new Random(42);
    model = new ArrayList<>();
    for (TensorSpec spec : CNN.tensors()) {
      float[] data = new float[(int) spec.elementCount()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (r.nextGaussian() * 0.1);
      }
      model.add(new NamedTensor(spec, data));
    }
    encoded = WeightsCodec.encode(model);
  }

  /** Bytes of the encoded CNN, for MB/s. */
  static int encodedSize() {
    WeightsCodecBenchmark b = new WeightsCodecBenchmark();
    b.setUp();
    return b.encoded.length;
  }

  @Benchmark
  public byte[] encode() {
    return WeightsCodec.encode(model);
  }

  @Benchmark
  public List<NamedTensor> decode() throws WeightsFormatException {
    return WeightsCodec.decode(encoded, CNN);
  }
}
