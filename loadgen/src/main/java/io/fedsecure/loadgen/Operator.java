package io.fedsecure.loadgen;

import io.fedsecure.cli.http.ControlClient;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.NodeStatus;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.control.StartRunRequest;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the load generator does as the operator, through flwr's Control API client; all before one
 * deadline.
 */
final class Operator {

  private final ControlClient control;
  private final long deadlineNanos;

  Operator(ControlClient control, long deadlineNanos) {
    this.control = control;
    this.deadlineNanos = deadlineNanos;
  }

  /** Registers every node's public key, as {@code flwr supernode register} does. */
  void register(List<LoadGenMaterial.Node> nodes) throws InterruptedException, ExecutionException {
    // A few requests in flight: enough to hide the round trips, few enough not to queue in Tomcat.
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Object>> calls =
          nodes.stream()
              .map(
                  node ->
                      (Callable<Object>)
                          () ->
                              control.registerNode(
                                  RegisterNodeRequest.newBuilder()
                                      .setPublicKey(EcKeys.toPemPublic(node.identity().getPublic()))
                                      .setName(node.name())
                                      .build()))
              .toList();
      for (Future<Object> registered : senders.invokeAll(calls)) {
        registered.get();
      }
    } finally {
      senders.shutdownNow();
    }
  }

  void awaitOnline(int count) throws InterruptedException {
    while (control.listNodes().getNodesList().stream()
            .filter(n -> n.getStatus() == NodeStatus.NODE_STATUS_ONLINE)
            .count()
        < count) {
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("not all nodes online at the SuperLink in time");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** Starts a run and returns it once it has ended. */
  RunInfo run(StartRunRequest request) throws InterruptedException {
    long runId = control.startRun(request).getRunId();
    while (true) {
      RunInfo info = control.getRun(runId);
      RunStatus status = info.getStatus();
      if (status != RunStatus.RUN_STATUS_PENDING && status != RunStatus.RUN_STATUS_RUNNING) {
        return info;
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException(
            "run " + runId + " did not end in time (status " + status + ")");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** One round that trains on all {@code nodes}; {@code modelSizeMb} 0 is Flower's Net. */
  static StartRunRequest oneRound(int nodes, int modelSizeMb, double fractionEvaluate) {
    StartRunRequest.Builder request = StartRunRequest.newBuilder();
    if (modelSizeMb > 0) {
      request.putRunConfig(
          "model-size-mb", ConfigValue.newBuilder().setIntValue(modelSizeMb).build());
    }
    return request
        .putRunConfig("num-server-rounds", ConfigValue.newBuilder().setIntValue(1).build())
        .putRunConfig("fraction-train", ConfigValue.newBuilder().setDoubleValue(1.0).build())
        .putRunConfig("min-train-nodes", ConfigValue.newBuilder().setIntValue(nodes).build())
        .putRunConfig("min-available-nodes", ConfigValue.newBuilder().setIntValue(nodes).build())
        .putRunConfig(
            "fraction-evaluate", ConfigValue.newBuilder().setDoubleValue(fractionEvaluate).build())
        .putRunConfig(
            "min-evaluate-nodes",
            ConfigValue.newBuilder().setIntValue(fractionEvaluate > 0 ? 1 : 0).build())
        .putRunConfig("round-timeout", ConfigValue.newBuilder().setIntValue(300).build())
        .putRunConfig("wait-for-nodes-timeout", ConfigValue.newBuilder().setIntValue(60).build())
        .build();
  }
}
