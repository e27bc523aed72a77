package io.fedsecure.superlink.run;

import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.superlink.fleet.ChangeSignal;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's operator-visible log: stored, mirrored to the SuperLink's own log, and signalled so that
 * followers ({@code flwr log --stream}) wake on each new line or status change instead of polling.
 * Lines never contain key material or weights.
 */
public class RunLog {

  private static final Logger log = LoggerFactory.getLogger(RunLog.class);

  private final RunRepository repository;
  private final Clock clock;
  private final ChangeSignal appended = new ChangeSignal();

  public RunLog(RunRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  public synchronized LogEntry append(long runId, String text) {
    LogEntry entry = repository.appendLog(runId, clock.instant(), text);
    log.info("[run {}] {}", runId, text);
    appended.signal();
    return entry;
  }

  /**
   * A line about something that went wrong (a dropped reply, a failed run): also a WARN in the
   * SuperLink's log.
   */
  public synchronized LogEntry warn(long runId, String text) {
    LogEntry entry = repository.appendLog(runId, clock.instant(), text);
    log.warn("[run {}] {}", runId, text);
    appended.signal();
    return entry;
  }

  /** Signalled on every appended line and on every run status change. */
  public ChangeSignal changes() {
    return appended;
  }
}
