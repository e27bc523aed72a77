package io.fedsecure.protocol.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.protocol.weights.FlowerNetLayout;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  private final ObjectMapper json = new ObjectMapper();
  private final Safetensors safetensors = new Safetensors(json);

  @Test
  void roundTripsTheNetWithMetadata(@TempDir Path dir) throws Exception {
    List<NamedTensor> model = model(3);
    Path file = dir.resolve("run-5/final_model.safetensors");

    safetensors.write(file, model, Map.of("run_id", "5", "round", "3"));
    Safetensors.Contents read = safetensors.read(file);

    assertThat(read.metadata()).containsEntry("run_id", "5").containsEntry("round", "3");
    assertThat(read.tensors()).hasSize(model.size());
    for (int i = 0; i < model.size(); i++) {
      assertThat(read.tensors().get(i).spec()).isEqualTo(model.get(i).spec());
      assertThat(read.tensors().get(i).data()).isEqualTo(model.get(i).data());
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void headerIsAlignedJsonWithContiguousLittleEndianData(@TempDir Path dir) throws Exception {
    List<NamedTensor> model = model(4);
    Path file = dir.resolve("m.safetensors");
    safetensors.write(file, model, Map.of("run_id", "9"));
    byte[] bytes = Files.readAllBytes(file);

    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    assertThat(bytes.length).isEqualTo(8 + headerLength + 62_006L * 4);
    JsonNode header =
        json.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    assertThat(header.path("__metadata__").path("run_id").asText()).isEqualTo("9");

    long expectedBegin = 0;
    for (NamedTensor t : model) {
      JsonNode entry = header.path(t.name());
      assertThat(entry.path("dtype").asText()).isEqualTo("F32");
      assertThat(entry.path("shape").size()).isEqualTo(t.spec().shape().length);
      long begin = entry.path("data_offsets").get(0).asLong();
      long end = entry.path("data_offsets").get(1).asLong();
      assertThat(begin).isEqualTo(expectedBegin);
      assertThat(end - begin).isEqualTo(t.data().length * 4L);
      float first =
          ByteBuffer.wrap(bytes, (int) (8 + headerLength + begin), 4)
              .order(ByteOrder.LITTLE_ENDIAN)
              .getFloat();
      assertThat(first).isEqualTo(t.data()[0]);
      expectedBegin = end;
    }
  }

  /** Flower's Net with seeded values in [-1, 1). */
  private static List<NamedTensor> model(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return FlowerNetLayout.LAYOUT.tensors().stream().map(spec -> tensor(spec, random)).toList();
  }

  private static NamedTensor tensor(TensorSpec spec, SplittableRandom random) {
    float[] data = new float[Math.toIntExact(spec.elementCount())];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble(-1, 1);
    }
    return new NamedTensor(spec, data);
  }
}
