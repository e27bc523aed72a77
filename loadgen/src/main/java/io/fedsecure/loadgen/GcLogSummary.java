package io.fedsecure.loadgen;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collections in a unified GC log ({@code -Xlog:gc}) from a byte offset on: how many, the
 * largest heap occupancy before one (what the heap had to hold, garbage included) and after an
 * evacuating one (an upper bound of what was live at that moment), what the last such one left, and
 * the total pause time.
 */
record GcLogSummary(
    int collections,
    long maxBeforeBytes,
    long maxAfterBytes,
    long lastAfterBytes,
    double pauseSeconds) {

  /** e.g. "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 250M->120M(600M) 3.456ms". */
  private static final Pattern COLLECTION =
      Pattern.compile(
          "GC\\(\\d+\\) .*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");

  static GcLogSummary read(Path log, long offset) throws IOException {
    if (!Files.exists(log)) {
      return parse("");
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      byte[] tail = new byte[Math.toIntExact(Math.max(0, length - offset))];
      file.seek(Math.min(offset, length));
      file.readFully(tail);
      return parse(new String(tail, StandardCharsets.UTF_8));
    }
  }

  static GcLogSummary parse(String text) {
    int collections = 0;
    long maxBefore = 0;
    long maxAfter = 0;
    long lastAfter = 0;
    double pauseMillis = 0;
    for (String line : text.split("\n")) {
      Matcher m = COLLECTION.matcher(line);
      if (!m.find()) {
        continue;
      }
      collections++;
      maxBefore = Math.max(maxBefore, bytes(m.group(1), m.group(2)));
      // Remark and Cleanup pauses report use without evacuating anything: not a bound on what is
      // live.
      if (!line.contains("Pause Remark") && !line.contains("Pause Cleanup")) {
        lastAfter = bytes(m.group(3), m.group(4));
        maxAfter = Math.max(maxAfter, lastAfter);
      }
      pauseMillis += Double.parseDouble(m.group(7));
    }
    return new GcLogSummary(collections, maxBefore, maxAfter, lastAfter, pauseMillis / 1000);
  }

  private static long bytes(String amount, String unit) {
    long n = Long.parseLong(amount);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
