package io.fedsecure.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsExchange;
import io.fedsecure.cli.CliHarness;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RoundMetrics;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.proto.control.StartRunRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlClientHttpsTest {

  @TempDir Path temp;
  TestControlApi api;

  @BeforeEach
  void start() throws IOException {
    api = new TestControlApi(temp);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private CliHarness.Result flwr(String... args) {
    return CliHarness.run(temp, args);
  }

  @Test
  void registerSendsTheKeyAndInferredNameWithTheOperatorCertificate() throws Exception {
    Path keys = Files.createDirectories(temp.resolve("keys"));
    EcKeys.writeOpenSsh(EcKeys.generateP384(), keys.resolve("client_credentials_1"), "");
    AtomicReference<RegisterNodeRequest> received = new AtomicReference<>();
    AtomicReference<String> subject = new AtomicReference<>();
    api.handle(
        "/v1/nodes",
        exchange -> {
          HttpsExchange https = (HttpsExchange) exchange;
          subject.set(TestControlApi.clientSubject(https));
          RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder();
          ProtoJson.parse(TestControlApi.body(https), request, "request");
          received.set(request.build());
          TestControlApi.respond(
              https,
              201,
              "application/json",
              "{\"nodeId\":\"18446744073709551615\",\"name\":\"node-1\"}");
        });

    CliHarness.Result result =
        flwr(
            "supernode",
            "register",
            keys.resolve("client_credentials_1.pub").toString(),
            api.appDir.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "(name node-1 inferred from the file name)",
                "SuperNode 18446744073709551615 registered successfully",
                ""));
    assertThat(received.get().getName()).isEqualTo("node-1");
    assertThat(received.get().getPublicKey())
        .isEqualTo(Files.readString(keys.resolve("client_credentials_1.pub")).strip());
    assertThat(subject.get()).contains("OU=operators");
  }

  @Test
  void problemDetailsBecomeOneLineAndExitOne() {
    api.handle(
        "/v1/nodes",
        exchange ->
            TestControlApi.respond(
                (HttpsExchange) exchange,
                403,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                    + "\"detail\":\"certificate role supernodes may not use the Control API\"}"));

    CliHarness.Result result = flwr("supernode", "list", api.appDir.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "flwr: certificate role supernodes may not use the Control API"
                + System.lineSeparator());
  }

  @Test
  void runStreamPrintsLogLinesAsTheyArriveThenTheSummary() throws Exception {
    AtomicReference<StartRunRequest> started = new AtomicReference<>();
    CountDownLatch firstLinePrinted = new CountDownLatch(1);
    AtomicBoolean printedBeforeServerContinued = new AtomicBoolean();
    api.handle(
        "/v1/runs",
        exchange -> {
          HttpsExchange https = (HttpsExchange) exchange;
          String path = https.getRequestURI().getPath();
          if (path.equals("/v1/runs") && https.getRequestMethod().equals("POST")) {
            StartRunRequest.Builder request = StartRunRequest.newBuilder();
            ProtoJson.parse(TestControlApi.body(https), request, "request");
            started.set(request.build());
            TestControlApi.respond(
                https,
                201,
                "application/json",
                ProtoJson.compact(
                    RunInfo.newBuilder().setRunId(7).setStatus(RunStatus.RUN_STATUS_PENDING)));
          } else if (path.equals("/v1/runs/7/log")) {
            assertThat(https.getRequestURI().getQuery()).contains("follow=true");
            https.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            https.sendResponseHeaders(200, 0);
            try (OutputStream out = https.getResponseBody()) {
              writeLine(out, LogEntry.newBuilder().setSeq(1).setText("round 1 done").build());
              // Hold the rest back until the CLI has shown the first line: proves it is not
              // buffering to the end.
              printedBeforeServerContinued.set(awaitQuietly(firstLinePrinted));
              writeLine(
                  out,
                  LogEntry.newBuilder()
                      .setSeq(2)
                      .setText("run finished")
                      .setEndOfLog(true)
                      .setStatus(RunStatus.RUN_STATUS_FINISHED)
                      .build());
            }
          } else if (path.equals("/v1/runs/7")) {
            RunInfo run =
                RunInfo.newBuilder()
                    .setRunId(7)
                    .setStatus(RunStatus.RUN_STATUS_FINISHED)
                    .addRounds(
                        RoundMetrics.newBuilder()
                            .setRound(1)
                            .addEvaluateNodes("node-1")
                            .setEvalAccuracy(0.53125))
                    .setFinalModelPath("runs/7/final_model.safetensors")
                    .build();
            TestControlApi.respond(https, 200, "application/json", ProtoJson.compact(run));
          } else {
            TestControlApi.respond(
                https, 404, "application/problem+json", "{\"detail\":\"no route " + path + "\"}");
          }
        });
    StringWriter out =
        new StringWriter() {
          @Override
          public void write(String str, int off, int len) {
            super.write(str, off, len);
            if (toString().contains("round 1 done")) {
              firstLinePrinted.countDown();
            }
          }
        };

    CliHarness.Result result =
        CliHarness.run(
            temp,
            out,
            "run",
            api.appDir.toString(),
            "test",
            "--run-config",
            "num-server-rounds=1",
            "--stream");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(printedBeforeServerContinued).isTrue();
    assertThat(result.out().lines().toList())
        .containsExactly(
            "Starting run 7",
            "round 1 done",
            "run finished",
            "Run 7 finished after 1 round(s)",
            "Final eval accuracy: 0.5313 (round 1)",
            "Final model: runs/7/final_model.safetensors");
    assertThat(started.get().getRunConfigMap())
        .containsEntry("num-server-rounds", ConfigValue.newBuilder().setIntValue(1).build())
        .containsEntry("learning-rate", ConfigValue.newBuilder().setDoubleValue(0.01).build());
  }

  @Test
  void failedRunExitsOne() {
    api.handle(
        "/v1/runs",
        exchange -> {
          HttpsExchange https = (HttpsExchange) exchange;
          String path = https.getRequestURI().getPath();
          if (path.endsWith("/log")) {
            TestControlApi.respond(
                https,
                200,
                "application/x-ndjson",
                ProtoJson.compact(
                        LogEntry.newBuilder()
                            .setSeq(1)
                            .setText("boom")
                            .setEndOfLog(true)
                            .setStatus(RunStatus.RUN_STATUS_FAILED))
                    + "\n");
          } else {
            TestControlApi.respond(
                https,
                200,
                "application/json",
                ProtoJson.compact(
                    RunInfo.newBuilder()
                        .setRunId(3)
                        .setStatus(
                            path.equals("/v1/runs")
                                ? RunStatus.RUN_STATUS_PENDING
                                : RunStatus.RUN_STATUS_FAILED)
                        .setError("no nodes")));
          }
        });

    CliHarness.Result result = flwr("run", api.appDir.toString(), "--stream");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("boom", "Run 3 failed", "Error: no nodes");
  }

  @Test
  void unreachableSuperLinkIsOneLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliHarness.Result result =
        flwr("ls", api.appDir.toString(), "--superlink-address", "127.0.0.1:" + closedPort);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "flwr: cannot reach the SuperLink Control API at 127.0.0.1:"
                + closedPort
                + ": connection refused"
                + System.lineSeparator());
  }

  @Test
  void aServerOutsideTheFederationCaIsRefused() throws IOException {
    // Another CA's app directory: its server certificate is not signed by our CA.
    try (TestControlApi stranger = new TestControlApi(temp.resolve("stranger"))) {
      CliHarness.Result result =
          flwr("ls", api.appDir.toString(), "--superlink-address", "127.0.0.1:" + stranger.port());

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err())
          .startsWith("flwr: cannot reach the SuperLink Control API at 127.0.0.1:")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aServerCertificateThatDoesNotNameTheDialledHostIsRefused() throws IOException {
    // 127.0.0.2 is loopback too, but not among the certificate's names (localhost, 127.0.0.1, ::1).
    try (TestControlApi elsewhere = new TestControlApi(temp.resolve("elsewhere"), "127.0.0.2")) {
      elsewhere.handle(
          "/v1/runs",
          exchange ->
              TestControlApi.respond((HttpsExchange) exchange, 200, "application/json", "{}"));

      CliHarness.Result result = flwr("ls", elsewhere.appDir.toString());

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err())
          .startsWith("flwr: cannot reach the SuperLink Control API at 127.0.0.2:")
          .containsIgnoringCase("no subject alternative names matching IP address 127.0.0.2");
    }
  }

  @Test
  void anOperatorKeyThatDoesNotMatchItsCertificateIsNamed() {
    Path wrongKey = api.appDir.resolve("certificates/server.key");

    CliHarness.Result result =
        flwr("ls", api.appDir.toString(), "--operator-keyfile", wrongKey.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "flwr: operator key "
                + wrongKey
                + " does not belong to certificate "
                + api.appDir.resolve("certificates/operator.pem")
                + System.lineSeparator());
  }

  private static void writeLine(OutputStream out, LogEntry entry) throws IOException {
    out.write((ProtoJson.compact(entry) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
