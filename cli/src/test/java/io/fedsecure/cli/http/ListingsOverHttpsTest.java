package io.fedsecure.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsExchange;
import io.fedsecure.cli.CliHarness;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.ListRunsResponse;
import io.fedsecure.proto.control.NodeInfo;
import io.fedsecure.proto.control.NodeStatus;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingsOverHttpsTest {

  @TempDir Path temp;
  TestControlApi api;

  @BeforeEach
  void start() throws IOException {
    api = new TestControlApi(temp);
    ListNodesResponse nodes =
        ListNodesResponse.newBuilder()
            .addNodes(
                NodeInfo.newBuilder()
                    .setNodeId(11)
                    .setName("node-1")
                    .setStatus(NodeStatus.NODE_STATUS_ONLINE)
                    .setLastSeenAt("2026-11-26T21:00:00Z"))
            .addNodes(
                NodeInfo.newBuilder().setNodeId(12).setStatus(NodeStatus.NODE_STATUS_REGISTERED))
            .build();
    api.handle(
        "/v1/nodes",
        exchange ->
            TestControlApi.respond(
                (HttpsExchange) exchange, 200, "application/json", ProtoJson.compact(nodes)));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void supernodeListAsTableAndAsJson() {
    CliHarness.Result table =
        CliHarness.run(temp, "supernode", "list", api.appDir.toString(), "test");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines().toList())
        .containsExactly(
            "NODE ID  NAME    STATUS      LAST SEEN",
            "11       node-1  online      2026-11-26T21:00:00Z",
            "12       -       registered  never");

    CliHarness.Result json =
        CliHarness.run(temp, "supernode", "list", api.appDir.toString(), "--format", "json");

    ListNodesResponse.Builder parsed =
        ProtoJson.parse(json.out(), ListNodesResponse.newBuilder(), "output");
    assertThat(parsed.getNodes(0).getName()).isEqualTo("node-1");
    // The demo script greps for these exact tokens.
    assertThat(json.out()).contains("\"node-1\"", "\"NODE_STATUS_ONLINE\"", "\"11\"");
  }

  @Test
  void lsShowsRoundsAndFinalAccuracy() {
    ListRunsResponse runs =
        ListRunsResponse.newBuilder()
            .addRuns(
                RunInfo.newBuilder()
                    .setRunId(1)
                    .setStatus(RunStatus.RUN_STATUS_RUNNING)
                    .setCreatedAt("2026-11-26T20:00:00Z")
                    .putRunConfig(
                        "num-server-rounds", ConfigValue.newBuilder().setIntValue(3).build())
                    .addRounds(
                        RoundMetrics.newBuilder()
                            .setRound(1)
                            .addEvaluateNodes("node-2")
                            .setEvalAccuracy(0.25)))
            .build();
    api.handle(
        "/v1/runs",
        exchange ->
            TestControlApi.respond(
                (HttpsExchange) exchange, 200, "application/json", ProtoJson.compact(runs)));

    CliHarness.Result result = CliHarness.run(temp, "ls", api.appDir.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().toList())
        .containsExactly(
            "RUN ID  STATUS   ROUNDS  CREATED               FINAL ACCURACY",
            "1       running  1/3     2026-11-26T20:00:00Z  0.2500 (round 1)");
  }

  @Test
  void unregisterUsesDeleteOnTheNodesId() {
    AtomicReference<String> request = new AtomicReference<>();
    api.handle(
        "/v1/nodes/",
        exchange -> {
          request.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          TestControlApi.respond(
              (HttpsExchange) exchange,
              200,
              "application/json",
              ProtoJson.compact(
                  NodeInfo.newBuilder()
                      .setNodeId(12)
                      .setName("node-2")
                      .setStatus(NodeStatus.NODE_STATUS_UNREGISTERED)));
        });

    CliHarness.Result result =
        CliHarness.run(temp, "supernode", "unregister", "12", api.appDir.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(request.get()).isEqualTo("DELETE /v1/nodes/12");
    assertThat(result.out())
        .isEqualTo("SuperNode 12 (node-2) unregistered successfully" + System.lineSeparator());
  }
}
