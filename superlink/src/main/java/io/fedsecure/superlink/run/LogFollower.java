package io.fedsecure.superlink.run;

import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.RunStatus;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Streams a run's log from a sequence number on, optionally following it until the run ends. Waits
 * on the log's change signal (appends and status changes), so a quiet run costs no queries.
 */
public class LogFollower {

  private static final int PAGE = 500;

  /** Upper bound on one wait, so a follower whose client vanished notices within this time. */
  private static final long MAX_WAIT_SECONDS = 30;

  private final RunRepository repository;
  private final RunLog runLog;

  private LogEntry endOfLog(long runId, long seq, RunStatus status) {
    LogEntry.Builder b = LogEntry.newBuilder().setSeq(seq).setEndOfLog(true).setStatus(status);
    repository
        .find(runId)
        .map(RunRepository.StoredRun::finishedAt)
        .ifPresent(at -> b.setTimestamp(at.toString()));
    return b.build();
  }

  public LogFollower(RunRepository repository, RunLog runLog) {
    this.repository = repository;
    this.runLog = runLog;
  }

  @FunctionalInterface
  public interface Sink {
    void accept(LogEntry entry) throws IOException;
  }

  /**
   * Emits entries with seq > {@code after}. Once the run has ended and its log is sent, a final
   * marker follows: no text, the seq of the last line, end_of_log and the final status. (Flagging
   * the last stored line instead would race with the run ending right after it was sent.) Without
   * {@code follow}, stops at the current end of the log.
   */
  public void stream(long runId, long after, boolean follow, Sink sink, BooleanSupplier cancelled)
      throws IOException, InterruptedException, RunNotFoundException {
    long seq = after;
    while (!cancelled.getAsBoolean()) {
      long version = runLog.changes().version();
      // Status before lines: a run's last line is written before its status turns terminal.
      RunStatus status =
          repository.status(runId).orElseThrow(() -> new RunNotFoundException(runId));
      boolean ended = RunService.terminal(status);
      List<LogEntry> page = repository.logAfter(runId, seq, PAGE);
      for (LogEntry entry : page) {
        sink.accept(entry);
        seq = entry.getSeq();
      }
      if (page.size() == PAGE) {
        continue;
      }
      if (ended) {
        sink.accept(endOfLog(runId, seq, status));
        return;
      }
      if (!follow) {
        return;
      }
      runLog.changes().awaitChange(version, MAX_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
