package io.fedsecure.cli.run;

import io.fedsecure.cli.output.StatusWords;
import io.fedsecure.proto.control.RunStatus;

final class RunStatusText {

  private RunStatusText() {}

  static String of(RunStatus status) {
    return StatusWords.of(status, "RUN_STATUS_");
  }

  static boolean isTerminal(RunStatus status) {
    return status == RunStatus.RUN_STATUS_FINISHED
        || status == RunStatus.RUN_STATUS_FAILED
        || status == RunStatus.RUN_STATUS_STOPPED;
  }
}
