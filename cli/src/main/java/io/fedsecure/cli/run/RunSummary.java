package io.fedsecure.cli.run;

import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.io.PrintWriter;
import java.util.Locale;

/** What an operator wants after a run: how it ended, how good the model is, where it is. */
final class RunSummary {

  private RunSummary() {}

  static void print(RunInfo run, PrintWriter out) {
    String id = Long.toUnsignedString(run.getRunId());
    out.println(
        "Run "
            + id
            + " "
            + RunStatusText.of(run.getStatus())
            + " after "
            + run.getRoundsCount()
            + " round(s)");
    if (run.getRoundsCount() > 0) {
      out.println("Final eval accuracy: " + finalAccuracy(run));
    }
    if (!run.getFinalModelPath().isEmpty()) {
      out.println("Final model: " + run.getFinalModelPath());
    }
    if (run.getStatus() == RunStatus.RUN_STATUS_FAILED && !run.getError().isEmpty()) {
      out.println("Error: " + run.getError());
    }
    out.flush();
  }

  /** The last round's evaluation, or a note that it did not evaluate. */
  static String finalAccuracy(RunInfo run) {
    if (run.getRoundsCount() == 0) {
      return "-";
    }
    RoundMetrics last = run.getRounds(run.getRoundsCount() - 1);
    if (last.getEvaluateNodesCount() == 0) {
      return "not evaluated (round " + last.getRound() + ")";
    }
    return String.format(Locale.ROOT, "%.4f (round %d)", last.getEvalAccuracy(), last.getRound());
  }
}
