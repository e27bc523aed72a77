package io.fedsecure.superlink.run;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.keys.WeightKeyLoader;
import io.fedsecure.superlink.registry.NodeRegistry;
import io.fedsecure.superlink.registry.RegisteredNode;
import io.fedsecure.superlink.strategy.Participant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which nodes a round can ask: online, with an open instruction stream, and with a key file for
 * their registered name. Nodes left out are reported once per run, with the reason.
 */
final class NodeEligibility {

  private final NodeRegistry registry;
  private final NodeStreams streams;
  private final WeightKeyLoader keys;
  private final RunLog runLog;
  private final Clock clock;

  NodeEligibility(
      NodeRegistry registry,
      NodeStreams streams,
      WeightKeyLoader keys,
      RunLog runLog,
      Clock clock) {
    this.registry = registry;
    this.streams = streams;
    this.keys = keys;
    this.runLog = runLog;
    this.clock = clock;
  }

  /**
   * Waits, woken by stream changes and a re-check of the registry every {@code recheck} (it has no
   * change events), until enough nodes are eligible.
   */
  List<Participant> await(ActiveRun run, int round, Duration recheck)
      throws ActiveRun.StoppedException, ActiveRun.FailedException, InterruptedException {
    int needed = run.config.nodesToWaitFor();
    Instant deadline = clock.instant().plus(run.config.waitForNodesTimeout());
    boolean announced = false;
    while (true) {
      if (run.stopped) {
        throw new ActiveRun.StoppedException();
      }
      long version = streams.changes().version();
      List<Participant> eligible = eligible(run);
      if (eligible.size() >= needed) {
        return eligible;
      }
      long remaining = Duration.between(clock.instant(), deadline).toNanos();
      if (remaining <= 0) {
        throw new ActiveRun.FailedException(
            "only "
                + eligible.size()
                + " of the "
                + needed
                + " required nodes were online with an open instruction stream"
                + " and a key file after waiting "
                + LogText.seconds(run.config.waitForNodesTimeout())
                + " s");
      }
      if (!announced) {
        runLog.append(
            run.runId,
            "Round "
                + round
                + ": waiting up to "
                + LogText.seconds(run.config.waitForNodesTimeout())
                + " s for "
                + needed
                + " nodes ("
                + eligible.size()
                + " ready: "
                + LogText.labels(eligible)
                + ")");
        announced = true;
      }
      streams.changes().awaitChange(version, Math.min(remaining, recheck.toNanos()));
    }
  }

  /** Online nodes with an open stream and a usable key, in node-id order. */
  List<Participant> eligible(ActiveRun run) {
    List<Participant> result = new ArrayList<>();
    List<RegisteredNode> online = new ArrayList<>(registry.online());
    online.sort(Comparator.comparingLong(RegisteredNode::nodeId));
    for (RegisteredNode node : online) {
      if (!streams.hasStream(node.nodeId())) {
        continue;
      }
      if (node.name() == null || node.name().isBlank()) {
        if (run.skipped.add(node.nodeId())) {
          runLog.warn(
              run.runId,
              "Node id " + node.nodeId() + " has no registered name, so no key file: skipped");
        }
        continue;
      }
      WeightKey key = run.keys.get(node.name());
      if (key == null) {
        try {
          key = keys.load(node.name());
          run.keys.put(node.name(), key);
        } catch (KeyFileException e) {
          if (run.skipped.add(node.nodeId())) {
            runLog.warn(
                run.runId,
                "Node " + node.name() + " (id " + node.nodeId() + ") skipped: " + e.getMessage());
          }
          continue;
        }
      }
      result.add(new Participant(node.nodeId(), node.name(), key));
    }
    return result;
  }
}
