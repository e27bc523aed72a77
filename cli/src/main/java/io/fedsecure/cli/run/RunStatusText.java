package io.fedsecure.cli.run;

import io.fedsecure.proto.control.RunStatus;
import java.util.Locale;

final class RunStatusText {

  private RunStatusText() {}

  static String of(RunStatus status) {
    if (status == RunStatus.UNRECOGNIZED || status == RunStatus.RUN_STATUS_UNSPECIFIED) {
      return "unknown";
    }
    return status.name().substring("RUN_STATUS_".length()).toLowerCase(Locale.ROOT);
  }

  static boolean isTerminal(RunStatus status) {
    return status == RunStatus.RUN_STATUS_FINISHED
        || status == RunStatus.RUN_STATUS_FAILED
        || status == RunStatus.RUN_STATUS_STOPPED;
  }
}
