package io.fedsecure.protocol.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightsCodecTest {

  static List<NamedTensor> model(long seed) {
    Random r = new Random(seed);
    return List.of(
        tensor("conv1.weight", r, 6, 3, 5, 5),
        tensor("conv1.bias", r, 6),
        tensor("fc.weight", r, 10, 84),
        tensor("scalar", r));
  }

  static NamedTensor tensor(String name, Random r, long... shape) {
    TensorSpec spec = TensorSpec.float32(name, shape);
    float[] data = new float[(int) spec.elementCount()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    return new NamedTensor(spec, data);
  }

  @Test
  void encodedSizeIsWhatEncodeProduces() {
    List<NamedTensor> model = model(3);
    assertThat(WeightsCodec.encodedSize(WeightsCodec.layoutOf(model)))
        .isEqualTo(WeightsCodec.encode(model).length);
  }

  @Test
  void roundTripsExactly() throws Exception {
    List<NamedTensor> model = model(1);
    List<NamedTensor> back =
        WeightsCodec.decode(WeightsCodec.encode(model), WeightsCodec.layoutOf(model));
    assertThat(back).hasSize(model.size());
    for (int i = 0; i < model.size(); i++) {
      assertThat(back.get(i).spec()).isEqualTo(model.get(i).spec());
      assertThat(back.get(i).data()).containsExactly(model.get(i).data());
    }
  }

  @Test
  void dataIsLittleEndianFloat32AfterTheHeaders() {
    NamedTensor t = new NamedTensor(TensorSpec.float32("x", 2), new float[] {1.5f, -2f});
    byte[] bytes = WeightsCodec.encode(List.of(t));
    ByteBuffer tail = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(tail.getFloat()).isEqualTo(1.5f);
    assertThat(tail.getFloat()).isEqualTo(-2f);
  }

  @Test
  void refusesTruncationAtEveryLength() {
    List<NamedTensor> model = model(2);
    byte[] bytes = WeightsCodec.encode(model);
    TensorLayout layout = WeightsCodec.layoutOf(model);
    for (int len : new int[] {0, 3, 5, 9, 20, 60, bytes.length / 2, bytes.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> WeightsCodec.decode(cut, layout))
          .as("length " + len)
          .isInstanceOf(WeightsFormatException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void refusesTrailingBytes() {
    List<NamedTensor> model = model(3);
    byte[] bytes =
        java.util.Arrays.copyOf(WeightsCodec.encode(model), WeightsCodec.encode(model).length + 3);
    assertThatThrownBy(() -> WeightsCodec.decode(bytes, WeightsCodec.layoutOf(model)))
        .hasMessageContaining("3 unexpected trailing bytes");
  }

  @Test
  void refusesNaNAndInfinityNamingTheTensor() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      List<NamedTensor> model = model(4);
      model.get(2).data()[17] = bad;
      byte[] bytes = WeightsCodec.encode(model);
      assertThatThrownBy(() -> WeightsCodec.decode(bytes, WeightsCodec.layoutOf(model)))
          .hasMessageContaining("fc.weight")
          .hasMessageContaining("index 17");
    }
  }

  @Test
  void refusesAnotherLayoutSayingWhichTensorDiffers() {
    List<NamedTensor> model = model(5);
    byte[] bytes = WeightsCodec.encode(model);
    TensorLayout otherShape =
        new TensorLayout(
            List.of(
                TensorSpec.float32("conv1.weight", 6, 3, 5, 5),
                TensorSpec.float32("conv1.bias", 6),
                TensorSpec.float32("fc.weight", 84, 10),
                TensorSpec.float32("scalar")));
    assertThatThrownBy(() -> WeightsCodec.decode(bytes, otherShape))
        .hasMessageContaining("tensor #2")
        .hasMessageContaining("fc.weight[84, 10]");
    TensorLayout fewer = new TensorLayout(WeightsCodec.layoutOf(model).tensors().subList(0, 3));
    assertThatThrownBy(() -> WeightsCodec.decode(bytes, fewer))
        .hasMessageContaining("expected 3 tensors but got 4");
  }

  @Test
  void refusesHostileSizesWithoutAllocating() {
    TensorLayout layout = new TensorLayout(List.of(TensorSpec.float32("w", 1L << 40)));
    ByteBuffer b =
        ByteBuffer.allocate(4 + 1 + 4 + 2 + 1 + 1 + 1 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'F', 'S', 'W', 'T', 1})
        .putInt(1)
        .putShort((short) 1)
        .put((byte) 'w')
        .put((byte) 1)
        .put((byte) 1)
        .putLong(1L << 40);
    assertThatThrownBy(() -> WeightsCodec.decode(b.array(), layout))
        .hasMessageContaining("elements");

    ByteBuffer count = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    count.put(new byte[] {'F', 'S', 'W', 'T', 1}).putInt(-1);
    assertThatThrownBy(() -> WeightsCodec.decode(count.array(), layout))
        .hasMessageContaining("4294967295 tensors");

    ByteBuffer name = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    name.put(new byte[] {'F', 'S', 'W', 'T', 1}).putInt(1).putShort((short) 0xffff);
    assertThatThrownBy(() -> WeightsCodec.decode(name.array(), layout))
        .hasMessageContaining("name length 65535");

    // A plausible layout whose data is missing: the size check refuses before allocating.
    TensorLayout big = new TensorLayout(List.of(TensorSpec.float32("w", 100_000_000)));
    byte[] header =
        java.util.Arrays.copyOf(
            WeightsCodec.encode(
                List.of(
                    new NamedTensor(TensorSpec.float32("w", 100_000_000), new float[100_000_000]))),
            30);
    assertThatThrownBy(() -> WeightsCodec.decode(header, big)).hasMessageContaining("truncated");
  }

  @Test
  void refusesGarbageMagic() {
    assertThatThrownBy(
            () -> WeightsCodec.decode("PK\3\4 not weights".getBytes(), new TensorLayout(List.of())))
        .hasMessageContaining("not encoded weights");
  }

  @Test
  void layoutDigestDependsOnNamesShapesDtypesAndOrder() {
    TensorLayout a =
        new TensorLayout(List.of(TensorSpec.float32("a", 2, 3), TensorSpec.float32("b", 4)));
    assertThat(a.digest()).hasSize(32).isEqualTo(new TensorLayout(a.tensors()).digest());
    assertThat(a.digest())
        .isNotEqualTo(
            new TensorLayout(List.of(TensorSpec.float32("b", 4), TensorSpec.float32("a", 2, 3)))
                .digest());
    assertThat(a.digest())
        .isNotEqualTo(
            new TensorLayout(List.of(TensorSpec.float32("a", 3, 2), TensorSpec.float32("b", 4)))
                .digest());
    assertThat(a.digest())
        .isNotEqualTo(
            new TensorLayout(List.of(TensorSpec.float32("a", 2, 3), TensorSpec.float32("c", 4)))
                .digest());
    assertThat(a.digest())
        .isNotEqualTo(
            new TensorLayout(
                    List.of(
                        TensorSpec.float32("a", 2, 3),
                        new TensorSpec("b", new long[] {4}, "float16")))
                .digest());
  }
}
