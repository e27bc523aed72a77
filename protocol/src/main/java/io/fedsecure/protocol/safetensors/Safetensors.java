package io.fedsecure.protocol.safetensors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor to dtype, shape and byte offsets (plus string-only "__metadata__"), padded
 * with spaces to 8-byte alignment, then the raw little-endian data. Only F32 is written or read,
 * since that is all the federation exchanges.
 */
public final class Safetensors {

  private static final String METADATA = "__metadata__";

  /** Far larger than any header this project writes; stops a corrupt length from allocating GBs. */
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private final ObjectMapper json;

  public Safetensors(ObjectMapper json) {
    this.json = json;
  }

  /** A file's tensors in data order, and its metadata. */
  public record Contents(List<NamedTensor> tensors, Map<String, String> metadata) {}

  /**
   * Writes to a temporary file next to {@code target} and moves it into place, so a reader never
   * sees a half-written model even if the SuperLink dies while writing.
   */
  public void write(Path target, List<NamedTensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ByteBuffer length =
            ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(length.array());
        out.write(header);
        for (NamedTensor tensor : tensors) {
          ByteBuffer data =
              ByteBuffer.allocate(tensor.data().length * Float.BYTES)
                  .order(ByteOrder.LITTLE_ENDIAN);
          data.asFloatBuffer().put(tensor.data());
          out.write(data.array());
        }
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  byte[] header(List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode root = json.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (NamedTensor tensor : tensors) {
      long end = offset + (long) tensor.data().length * Float.BYTES;
      ObjectNode entry = root.putObject(tensor.name());
      entry.put("dtype", "F32");
      ArrayNode shape = entry.putArray("shape");
      for (long d : tensor.spec().shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] raw = json.writeValueAsBytes(root);
    int padded = (raw.length + 7) / 8 * 8;
    byte[] header = new byte[padded];
    System.arraycopy(raw, 0, header, 0, raw.length);
    for (int i = raw.length; i < padded; i++) {
      header[i] = ' ';
    }
    return header;
  }

  public Contents read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 8) {
      throw new IOException(file + ": too short for a safetensors file");
    }
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
      throw new IOException(file + ": header length " + headerLength + " does not fit the file");
    }
    int dataStart = 8 + (int) headerLength;
    JsonNode root = json.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    Map<String, String> metadata = new LinkedHashMap<>();
    if (root.has(METADATA)) {
      metadata.putAll(
          json.convertValue(root.get(METADATA), new TypeReference<Map<String, String>>() {}));
    }
    List<Map.Entry<Long, NamedTensor>> tensors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA)) {
        continue;
      }
      JsonNode entry = field.getValue();
      if (!"F32".equals(entry.path("dtype").asText())) {
        throw new IOException(
            file
                + ": tensor "
                + field.getKey()
                + " has dtype "
                + entry.path("dtype")
                + ", only F32 is supported");
      }
      long[] shape = new long[entry.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = entry.path("shape").get(i).asLong();
      }
      long begin = entry.path("data_offsets").path(0).asLong(-1);
      long end = entry.path("data_offsets").path(1).asLong(-1);
      TensorSpec spec = TensorSpec.float32(field.getKey(), shape);
      if (begin < 0
          || end < begin
          || dataStart + end > bytes.length
          || end - begin != spec.elementCount() * Float.BYTES) {
        throw new IOException(
            file + ": tensor " + field.getKey() + " has inconsistent data_offsets");
      }
      float[] data = new float[(int) spec.elementCount()];
      ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin))
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(data);
      tensors.add(Map.entry(begin, new NamedTensor(spec, data)));
    }
    tensors.sort(Map.Entry.comparingByKey());
    return new Contents(tensors.stream().map(Map.Entry::getValue).toList(), metadata);
  }
}
