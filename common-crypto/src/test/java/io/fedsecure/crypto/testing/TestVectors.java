package io.fedsecure.crypto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared, read-only Wycheproof vectors: system property {@code fedsecure.shared.dir}
 * (set by surefire), else {@code ../../shared} relative to the module directory. Tests that need
 * them are skipped, with a message, when they are absent.
 */
public final class TestVectors {

  private TestVectors() {}

  public static JsonNode wycheproof(String fileName) {
    Path file = sharedDir().resolve("testvectors/wycheproof").resolve(fileName);
    Assumptions.assumeTrue(
        Files.isRegularFile(file),
        "Wycheproof vectors not found at "
            + file
            + " (set -Dfedsecure.shared.dir=<shared folder>): skipping");
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  private static Path sharedDir() {
    String property = System.getProperty("fedsecure.shared.dir");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    return Path.of("../../shared").toAbsolutePath().normalize();
  }
}
