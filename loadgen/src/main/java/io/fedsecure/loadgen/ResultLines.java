package io.fedsecure.loadgen;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A file of the load generator's JSON result lines, one run per line, as the tables read it. */
final class ResultLines {

  private ResultLines() {}

  static List<Map<String, Object>> read(Path file) throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        rows.add(json.readValue(line, new TypeReference<Map<String, Object>>() {}));
      }
    }
    return rows;
  }
}
