package io.fedsecure.supernode.task;

import io.fedsecure.crypto.envelope.MessageKind;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The node's own replay protection: per run, the latest round it handled and which kinds of task it
 * handled in that round. An instruction for a (run, round, kind) already handled, or for an older
 * round of the run, is refused. A recorded valid envelope cannot be fed to the node again even
 * though it would still authenticate.
 */
final class ReplayGuard {

  private record Progress(int round, Set<MessageKind> kinds) {}

  private static final int MAX_RUNS = 1024;

  // Access-ordered: when full, the run not heard of for longest is forgotten.
  private final Map<Long, Progress> runs =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Progress> eldest) {
          return size() > MAX_RUNS;
        }
      };

  /** Why the instruction must be refused, or null when it is new. */
  synchronized String refusal(long runId, int round, MessageKind kind) {
    Progress progress = runs.get(runId);
    if (progress == null || round > progress.round()) {
      return null;
    }
    if (round < progress.round()) {
      return "run "
          + runId
          + " round "
          + round
          + " is older than round "
          + progress.round()
          + ", which this node already handled";
    }
    if (progress.kinds().contains(kind)) {
      return "run "
          + runId
          + " round "
          + round
          + " "
          + kind.name().toLowerCase()
          + " was already handled by this node";
    }
    return null;
  }

  /** Records a task the node accepted (after its envelope authenticated). */
  synchronized void record(long runId, int round, MessageKind kind) {
    Progress progress = runs.get(runId);
    if (progress == null || round > progress.round()) {
      runs.put(runId, new Progress(round, EnumSet.of(kind)));
    } else if (round == progress.round()) {
      progress.kinds().add(kind);
    }
  }
}
