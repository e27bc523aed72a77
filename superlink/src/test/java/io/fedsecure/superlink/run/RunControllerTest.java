package io.fedsecure.superlink.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.superlink.support.ControlClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SuperLinkFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runs part of the Control API, end to end over HTTPS on the real SuperLink. */
@ExtendWith(SharedSuperLink.class)
class RunControllerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ControlClient operator;

  RunControllerTest(SuperLinkFixture superlink) {
    this.operator = superlink.operatorClient();
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  @Test
  void unknownKeyOrWrongTypeIsAProblemNamingTheKey() throws Exception {
    JsonNode unknown =
        json(
            operator.post("v1/runs", "{\"runConfig\":{\"num-rounds\":{\"intValue\":\"2\"}}}"), 400);
    assertThat(unknown.path("detail").asText()).contains("'num-rounds'").contains("unknown key");
    JsonNode wrongType =
        json(
            operator.post(
                "v1/runs", "{\"runConfig\":{\"fraction-train\":{\"stringValue\":\"all\"}}}"),
            400);
    assertThat(wrongType.path("detail").asText()).contains("'fraction-train'").contains("string");
    assertThat(json(operator.get("v1/runs/987654321"), 404).path("detail").asText())
        .contains("987654321");
  }

  @Test
  void runWithoutNodesFailsAndItsLogStreamsToTheEnd() throws Exception {
    JsonNode created =
        json(
            operator.post(
                "v1/runs",
                "{\"runConfig\":{\"wait-for-nodes-timeout\":{\"doubleValue\":0.2},"
                    + "\"num-server-rounds\":{\"intValue\":\"1\"}}}"),
            201);
    String runId = created.path("runId").asText();
    assertThat(created.path("runConfig").path("fraction-evaluate").path("doubleValue").asDouble())
        .isEqualTo(0.5);
    assertThat(created.path("runConfig").has("seed")).isTrue();

    HttpResponse<String> log = operator.get("v1/runs/" + runId + "/log?follow=true");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : log.body().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("endOfLog").asBoolean()).isTrue();
    assertThat(last.path("status").asText()).isEqualTo("RUN_STATUS_FAILED");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l.path("text").asText()).contains("only 0 of the 2 required nodes"));

    JsonNode info = json(operator.get("v1/runs/" + runId), 200);
    assertThat(info.path("status").asText()).isEqualTo("RUN_STATUS_FAILED");
    assertThat(info.path("error").asText()).contains("required nodes");
    assertThat(json(operator.get("v1/runs"), 200).path("runs").findValuesAsText("runId"))
        .contains(runId);
    assertThat(json(operator.post("v1/runs/" + runId + "/stop", ""), 409).path("detail").asText())
        .contains("already ended");
  }

  @Test
  void stopEndsAWaitingRunAsStopped() throws Exception {
    String runId =
        json(
                operator.post(
                    "v1/runs",
                    "{\"runConfig\":{\"wait-for-nodes-timeout\":{\"intValue\":\"300\"}}}"),
                201)
            .path("runId")
            .asText();

    JsonNode stopped = json(operator.post("v1/runs/" + runId + "/stop", ""), 200);

    assertThat(stopped.path("status").asText()).isEqualTo("RUN_STATUS_STOPPED");
    String log = operator.get("v1/runs/" + runId + "/log").body();
    assertThat(log).contains("stop requested by the operator").contains("\"endOfLog\":true");
  }
}
