package io.fedsecure.cli.run;

import io.fedsecure.cli.http.ControlClient;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.protocol.UntrustedText;
import java.io.PrintWriter;
import java.util.Optional;

/** Prints a run's log entries as they arrive, flushing each so a followed run reads live. */
final class LogPrinter {

  private LogPrinter() {}

  static Optional<LogEntry> print(
      ControlClient client, long runId, boolean follow, PrintWriter out) {
    return client.streamLog(
        runId,
        0,
        follow,
        entry -> {
          if (!entry.getText().isEmpty()) {
            out.println(UntrustedText.printable(entry.getText().stripTrailing()));
            out.flush();
          }
        });
  }
}
