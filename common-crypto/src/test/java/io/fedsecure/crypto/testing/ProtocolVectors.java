package io.fedsecure.crypto.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the wire-format test vectors of docs/protocol.md from {@code ../docs/protocol-vectors},
 * relative to the module directory. Unlike the Wycheproof files they are part of this repository,
 * so a missing file fails the test instead of skipping it.
 */
public final class ProtocolVectors {

  private ProtocolVectors() {}

  public static JsonNode load(String fileName) {
    Path file = Path.of("../docs/protocol-vectors").resolve(fileName).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      fail(
          "protocol vector file "
              + file
              + " is missing (tests must run from the module directory)");
    }
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The elements of the file's "cases" array. */
  public static Stream<JsonNode> cases(JsonNode file) {
    return StreamSupport.stream(file.get("cases").spliterator(), false);
  }

  public static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  /** A copy of {@code bytes} with the byte at {@code index} changed. */
  public static byte[] flipped(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}
