package io.fedsecure.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Turns an RFC 9457 problem document (or whatever an intermediary sent) into one line. */
final class ProblemDetails {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_RAW = 200;

  private ProblemDetails() {}

  static String describe(int status, String body) {
    try {
      JsonNode problem = MAPPER.readTree(body == null ? "" : body);
      if (problem != null && problem.isObject()) {
        for (String field : new String[] {"detail", "title"}) {
          String text = problem.path(field).asText("");
          if (!text.isBlank()) {
            return oneLine(text);
          }
        }
      }
    } catch (IOException notJson) {
      // fall through: a proxy or a crash page, show its start
    }
    String raw = body == null ? "" : oneLine(body);
    if (raw.length() > MAX_RAW) {
      raw = raw.substring(0, MAX_RAW) + "...";
    }
    return "SuperLink answered HTTP " + status + (raw.isBlank() ? "" : ": " + raw);
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
