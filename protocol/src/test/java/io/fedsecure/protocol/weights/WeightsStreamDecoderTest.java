package io.fedsecure.protocol.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightsStreamDecoderTest {

  private static final TensorLayout LAYOUT =
      new TensorLayout(
          List.of(
              TensorSpec.float32("a", 3, 50),
              TensorSpec.float32("empty", 0),
              TensorSpec.float32("b", 7),
              TensorSpec.float32("scalar")));

  private final float[][] values = {ramp(150, 1), new float[0], ramp(7, 1000), {42.5f}};
  private final byte[] encoded =
      WeightsCodec.encode(
          List.of(
              new NamedTensor(LAYOUT.tensors().get(0), values[0]),
                  new NamedTensor(LAYOUT.tensors().get(1), values[1]),
              new NamedTensor(LAYOUT.tensors().get(2), values[2]),
                  new NamedTensor(LAYOUT.tensors().get(3), values[3])));

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5, 64, 10_000})
  void decodesInPiecesOfAnySize(int piece) throws Exception {
    float[][] got = {new float[150], new float[0], new float[7], new float[1]};
    WeightsStreamDecoder d = new WeightsStreamDecoder(LAYOUT);
    assertThat(d.encodedSize()).isEqualTo(encoded.length);
    feed(d, encoded, piece, got);
    d.finish();
    assertThat(got).isDeepEqualTo(values);
  }

  @Test
  void aDifferentLayoutIsRefusedInDecodesWords() {
    TensorLayout other =
        new TensorLayout(
            List.of(
                TensorSpec.float32("a", 3, 51),
                TensorSpec.float32("empty", 0),
                TensorSpec.float32("b", 7),
                TensorSpec.float32("scalar")));
    assertThatThrownBy(() -> feed(new WeightsStreamDecoder(other), encoded, 4096, null))
        .isInstanceOf(WeightsFormatException.class)
        .hasMessageContaining("layout differs at tensor #0");
    byte[] notWeights = encoded.clone();
    notWeights[0] = 'X';
    assertThatThrownBy(() -> feed(new WeightsStreamDecoder(LAYOUT), notWeights, 1, null))
        .isInstanceOf(WeightsFormatException.class)
        .hasMessageContaining("FSWT");
  }

  @Test
  void nonFiniteValuesAreRefusedBeforeTheyAreHandedOut() {
    float[] bad = values[2].clone();
    bad[4] = Float.NaN;
    byte[] enc =
        WeightsCodec.encode(
            List.of(
                new NamedTensor(LAYOUT.tensors().get(0), values[0]),
                    new NamedTensor(LAYOUT.tensors().get(1), values[1]),
                new NamedTensor(LAYOUT.tensors().get(2), bad),
                    new NamedTensor(LAYOUT.tensors().get(3), values[3])));
    float[][] got = {new float[150], new float[0], new float[7], new float[1]};
    assertThatThrownBy(() -> feed(new WeightsStreamDecoder(LAYOUT), enc, 7, got))
        .isInstanceOf(WeightsFormatException.class)
        .hasMessageContaining("tensor b holds a non-finite value (NaN) at index 4");
    for (float f : got[2]) {
      assertThat(Float.isNaN(f)).as("no non-finite value is handed out").isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 20, 100, 300})
  void truncationIsRefusedAtFinish(int cut) throws Exception {
    WeightsStreamDecoder d = new WeightsStreamDecoder(LAYOUT);
    feed(d, Arrays.copyOf(encoded, encoded.length - cut), 13, null);
    assertThatThrownBy(d::finish)
        .isInstanceOf(WeightsFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void trailingBytesAreRefused() {
    assertThatThrownBy(
            () ->
                feed(
                    new WeightsStreamDecoder(LAYOUT),
                    Arrays.copyOf(encoded, encoded.length + 2),
                    100,
                    null))
        .isInstanceOf(WeightsFormatException.class)
        .hasMessageContaining("2 unexpected trailing bytes");
  }

  private static void feed(WeightsStreamDecoder d, byte[] bytes, int piece, float[][] into)
      throws WeightsFormatException {
    for (int off = 0; off < bytes.length; off += piece) {
      d.update(
          bytes,
          off,
          Math.min(piece, bytes.length - off),
          (t, offset, v, n) -> {
            if (into != null) {
              System.arraycopy(v, 0, into[t], (int) offset, n);
            }
          });
    }
  }

  private static float[] ramp(int n, float base) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = base + i * 0.25f;
    }
    return f;
  }
}
