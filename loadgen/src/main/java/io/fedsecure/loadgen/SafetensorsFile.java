package io.fedsecure.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the F32 tensors of a safetensors file (8-byte LE header length, JSON header, LE data). */
final class SafetensorsFile {

  private SafetensorsFile() {}

  static Map<String, float[]> read(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = bytes.getLong(0);
    if (headerLength <= 0 || headerLength > bytes.capacity() - 8) {
      throw new IOException(file + ": bad safetensors header length " + headerLength);
    }
    String json = new String(bytes.array(), 8, (int) headerLength, StandardCharsets.UTF_8);
    JsonNode header = JsonMapper.builder().build().readTree(json);
    int dataStart = 8 + (int) headerLength;
    Map<String, float[]> tensors = new LinkedHashMap<>();
    for (var it = header.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (entry.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode spec = entry.getValue();
      if (!"F32".equals(spec.get("dtype").asText())) {
        throw new IOException(file + ": tensor " + entry.getKey() + " is " + spec.get("dtype") + ", not F32");
      }
      int begin = spec.get("data_offsets").get(0).asInt();
      int end = spec.get("data_offsets").get(1).asInt();
      float[] data = new float[(end - begin) / 4];
      bytes.slice(dataStart + begin, end - begin).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      tensors.put(entry.getKey(), data);
    }
    return tensors;
  }
}
