package io.fedsecure.superlink.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.DroppedReply;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.control.StartRunRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Runs, rounds and run logs in the SuperLink's database (tables from V2__runs.sql). */
public class RunRepository {

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  public RunRepository(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A run row as stored. */
  public record StoredRun(
      long runId,
      RunStatus status,
      Map<String, ConfigValue> config,
      Instant createdAt,
      Instant finishedAt,
      String finalModelPath,
      String error) {}

  /** A dropped reply as kept in rounds.dropped. */
  record Dropped(long nodeId, String nodeName, String reason) {}

  public long create(Map<String, ConfigValue> config, Instant createdAt) {
    Long id =
        jdbc.queryForObject(
            "INSERT INTO runs (status, config, created_at) VALUES (?, ?, ?) RETURNING run_id",
            Long.class,
            RunStatus.RUN_STATUS_PENDING.name(),
            configJson(config),
            createdAt.toString());
    return id;
  }

  /**
   * Moves a run from one status to another only if it is still in {@code from}; true if it moved.
   */
  public boolean transition(long runId, RunStatus from, RunStatus to) {
    return jdbc.update(
            "UPDATE runs SET status = ? WHERE run_id = ? AND status = ?",
            to.name(),
            runId,
            from.name())
        == 1;
  }

  /**
   * How a run ended: terminal status, when, its final model (may be null) and error (may be null).
   */
  public record Ending(RunStatus status, Instant at, String finalModelPath, String error) {}

  /** Ends a run that is in {@code from}; false if it was not (any more). */
  public boolean finish(long runId, RunStatus from, Ending ending) {
    return jdbc.update(
            "UPDATE runs SET status = ?, finished_at = ?, final_model_path = ?, error = ? WHERE run_id = ? AND status = ?",
            ending.status().name(),
            ending.at().toString(),
            ending.finalModelPath(),
            ending.error(),
            runId,
            from.name())
        == 1;
  }

  /** Runs left RUNNING or PENDING by a SuperLink that stopped: they cannot resume. */
  public List<Long> unfinished() {
    return jdbc.queryForList(
        "SELECT run_id FROM runs WHERE status IN (?, ?) ORDER BY run_id",
        Long.class,
        RunStatus.RUN_STATUS_RUNNING.name(),
        RunStatus.RUN_STATUS_PENDING.name());
  }

  public Optional<StoredRun> find(long runId) {
    return jdbc.query("SELECT * FROM runs WHERE run_id = ?", this::mapRun, runId).stream()
        .findFirst();
  }

  public Optional<RunStatus> status(long runId) {
    return jdbc
        .queryForList("SELECT status FROM runs WHERE run_id = ?", String.class, runId)
        .stream()
        .findFirst()
        .map(RunStatus::valueOf);
  }

  public List<StoredRun> list() {
    return jdbc.query("SELECT * FROM runs ORDER BY run_id", this::mapRun);
  }

  public void saveRound(long runId, RoundMetrics m) {
    jdbc.update(
        "INSERT INTO rounds (run_id, round, train_loss, eval_loss, eval_accuracy, train_nodes, eval_nodes, dropped,"
            + " wall_seconds, slowest_node_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        runId,
        m.getRound(),
        finiteOrNull(m.getTrainLoss()),
        finiteOrNull(m.getEvalLoss()),
        finiteOrNull(m.getEvalAccuracy()),
        write(m.getTrainNodesList()),
        write(m.getEvaluateNodesList()),
        write(
            m.getDroppedList().stream()
                .map(d -> new Dropped(d.getNodeId(), d.getNodeName(), d.getReason()))
                .toList()),
        m.getWallSeconds(),
        finiteOrNull(m.getSlowestNodeSeconds()));
  }

  public List<RoundMetrics> rounds(long runId) {
    return jdbc.query(
        "SELECT * FROM rounds WHERE run_id = ? ORDER BY round", (rs, i) -> mapRound(rs), runId);
  }

  /** Appends a log line with the next sequence number (from 1) and returns it. */
  public LogEntry appendLog(long runId, Instant at, String text) {
    Long seq =
        jdbc.queryForObject(
            "INSERT INTO run_log (run_id, seq, ts, text)"
                + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM run_log WHERE run_id = ? RETURNING seq",
            Long.class,
            runId,
            at.toString(),
            text,
            runId);
    return LogEntry.newBuilder().setSeq(seq).setTimestamp(at.toString()).setText(text).build();
  }

  public List<LogEntry> logAfter(long runId, long afterSeq, int limit) {
    return jdbc.query(
        "SELECT seq, ts, text FROM run_log WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (rs, i) ->
            LogEntry.newBuilder()
                .setSeq(rs.getLong("seq"))
                .setTimestamp(rs.getString("ts"))
                .setText(rs.getString("text"))
                .build(),
        runId,
        afterSeq,
        limit);
  }

  public long lastLogSeq(long runId) {
    Long seq =
        jdbc.queryForObject(
            "SELECT COALESCE(MAX(seq), 0) FROM run_log WHERE run_id = ?", Long.class, runId);
    return seq == null ? 0 : seq;
  }

  public RunInfo toRunInfo(StoredRun run, Map<String, ConfigValue> effectiveConfig) {
    RunInfo.Builder b =
        RunInfo.newBuilder()
            .setRunId(run.runId())
            .setStatus(run.status())
            .putAllRunConfig(effectiveConfig)
            .setCreatedAt(run.createdAt().toString())
            .addAllRounds(rounds(run.runId()));
    if (run.finishedAt() != null) {
      b.setFinishedAt(run.finishedAt().toString());
    }
    if (run.finalModelPath() != null) {
      b.setFinalModelPath(run.finalModelPath());
    }
    if (run.error() != null) {
      b.setError(run.error());
    }
    return b.build();
  }

  private StoredRun mapRun(ResultSet rs, int row) throws SQLException {
    String finished = rs.getString("finished_at");
    return new StoredRun(
        rs.getLong("run_id"),
        RunStatus.valueOf(rs.getString("status")),
        parseConfig(rs.getString("config")),
        Instant.parse(rs.getString("created_at")),
        finished == null ? null : Instant.parse(finished),
        rs.getString("final_model_path"),
        rs.getString("error"));
  }

  private RoundMetrics mapRound(ResultSet rs) throws SQLException {
    RoundMetrics.Builder b =
        RoundMetrics.newBuilder()
            .setRound(rs.getInt("round"))
            .setTrainLoss(doubleOrNaN(rs, "train_loss"))
            .setEvalLoss(doubleOrNaN(rs, "eval_loss"))
            .setEvalAccuracy(doubleOrNaN(rs, "eval_accuracy"))
            .setWallSeconds(rs.getDouble("wall_seconds"))
            .setSlowestNodeSeconds(doubleOrNaN(rs, "slowest_node_seconds"))
            .addAllTrainNodes(
                read(rs.getString("train_nodes"), new TypeReference<List<String>>() {}))
            .addAllEvaluateNodes(
                read(rs.getString("eval_nodes"), new TypeReference<List<String>>() {}));
    for (Dropped d : read(rs.getString("dropped"), new TypeReference<List<Dropped>>() {})) {
      b.addDropped(
          DroppedReply.newBuilder()
              .setNodeId(d.nodeId())
              .setNodeName(d.nodeName())
              .setReason(d.reason()));
    }
    return b.build();
  }

  private static double doubleOrNaN(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : v;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String configJson(Map<String, ConfigValue> config) {
    try {
      return JsonFormat.printer()
          .omittingInsignificantWhitespace()
          .print(StartRunRequest.newBuilder().putAllRunConfig(config));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("run config not printable as JSON", e);
    }
  }

  private static Map<String, ConfigValue> parseConfig(String text) {
    StartRunRequest.Builder b = StartRunRequest.newBuilder();
    try {
      JsonFormat.parser().merge(text, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored run config is not valid JSON", e);
    }
    return b.getRunConfigMap();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored round metrics are not valid JSON", e);
    }
  }
}
