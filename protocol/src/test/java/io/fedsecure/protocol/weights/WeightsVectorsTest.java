package io.fedsecure.protocol.weights;

import static io.fedsecure.crypto.testing.ProtocolVectors.flipped;
import static io.fedsecure.crypto.testing.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.crypto.testing.ProtocolVectors;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/protocol-vectors/{layout-digest,weights-codec}.json against the layout and codec code. */
class WeightsVectorsTest {

  static Stream<JsonNode> layouts() {
    return ProtocolVectors.cases(ProtocolVectors.load("layout-digest.json"));
  }

  static Stream<JsonNode> models() {
    return ProtocolVectors.cases(ProtocolVectors.load("weights-codec.json"));
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void givenALayoutWhenDigestedThenTheDigestIsTheSha256OfTheVectorsPreimage(JsonNode vector)
      throws Exception {
    TensorLayout layout = layout(vector.get("layout"));
    byte[] preimage = hex(vector.get("preimage"));

    assertThat(layout.digest()).isEqualTo(hex(vector.get("digest")));
    assertThat(MessageDigest.getInstance("SHA-256").digest(preimage))
        .isEqualTo(hex(vector.get("digest")));
    assertThat(MessageDigest.getInstance("SHA-256").digest(flipped(preimage, preimage.length - 1)))
        .isNotEqualTo(layout.digest());
  }

  @Test
  void theFlowerNetVectorIsTheLayoutBothDaemonsUse() {
    JsonNode net =
        layouts()
            .filter(v -> v.get("name").asText().equals("flower-net"))
            .findFirst()
            .orElseThrow();

    assertThat(layout(net.get("layout"))).isEqualTo(FlowerNetLayout.LAYOUT);
    assertThat(FlowerNetLayout.LAYOUT.digest()).isEqualTo(hex(net.get("digest")));
  }

  @ParameterizedTest
  @MethodSource("models")
  void givenAModelWhenEncodedThenTheBytesAreTheVectors(JsonNode vector) {
    List<NamedTensor> model = model(vector.get("tensors"));

    assertThat(WeightsCodec.encode(model)).isEqualTo(hex(vector.get("encoded")));
    assertThat(WeightsCodec.encodeHeader(WeightsCodec.layoutOf(model)))
        .isEqualTo(hex(vector.get("header")));
  }

  @ParameterizedTest
  @MethodSource("models")
  void givenTheVectorsBytesWhenDecodedThenTheModelComesBackAndAnyChangedHeaderByteIsRefused(
      JsonNode vector) throws Exception {
    List<NamedTensor> model = model(vector.get("tensors"));
    TensorLayout layout = WeightsCodec.layoutOf(model);
    byte[] encoded = hex(vector.get("encoded"));

    List<NamedTensor> decoded = WeightsCodec.decode(encoded, layout);

    for (int i = 0; i < model.size(); i++) {
      assertThat(decoded.get(i).spec()).isEqualTo(model.get(i).spec());
      assertThat(decoded.get(i).data()).containsExactly(model.get(i).data());
    }
    int headerLength = hex(vector.get("header")).length;
    for (int i = 0; i < headerLength; i++) {
      byte[] changed = flipped(encoded, i);
      assertThatThrownBy(() -> WeightsCodec.decode(changed, layout))
          .as("header byte %d changed", i)
          .isInstanceOf(WeightsFormatException.class);
    }
  }

  private static TensorLayout layout(JsonNode tensors) {
    List<TensorSpec> specs = new ArrayList<>();
    for (JsonNode t : tensors) {
      specs.add(
          new TensorSpec(t.get("name").asText(), longs(t.get("shape")), t.get("dtype").asText()));
    }
    return new TensorLayout(specs);
  }

  private static List<NamedTensor> model(JsonNode tensors) {
    List<NamedTensor> model = new ArrayList<>();
    for (JsonNode t : tensors) {
      JsonNode values = t.get("values");
      float[] data = new float[values.size()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) values.get(i).asDouble();
      }
      model.add(
          new NamedTensor(
              new TensorSpec(
                  t.get("name").asText(), longs(t.get("shape")), t.get("dtype").asText()),
              data));
    }
    return model;
  }

  private static long[] longs(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
  }
}
