package io.fedsecure.superlink.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.superlink.support.ControlClient;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SharedSuperLink;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operators' REST API over HTTPS with client certificates. */
@ExtendWith(SharedSuperLink.class)
class ControlApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SuperLinkFixture superlink;
  private final ControlClient operator;

  ControlApiTest(SuperLinkFixture superlink) {
    this.superlink = superlink;
    this.operator = superlink.operatorClient();
  }

  private static String registration(String publicKey, String name) throws IOException {
    return JSON.writeValueAsString(Map.of("public_key", publicKey, "name", name));
  }

  private static String pem(Object key) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(key);
    }
    return out.toString();
  }

  private static JsonNode problem(HttpResponse<String> response, int status) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    return JSON.readTree(response.body());
  }

  @Test
  void operatorRegistersListsAndUnregisters() throws Exception {
    KeyPair keys = EcKeys.generateP384();
    HttpResponse<String> created =
        operator.post("v1/nodes", registration(EcKeys.toPemPublic(keys.getPublic()), "ctl-1"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(created.body());
    String nodeId = body.get("nodeId").asText();
    assertThat(body.get("name").asText()).isEqualTo("ctl-1");
    assertThat(created.headers().firstValue("Location")).hasValue("/v1/nodes/" + nodeId);

    JsonNode listed = findNode(nodeId);
    assertThat(listed.get("status").asText()).isEqualTo("NODE_STATUS_REGISTERED");
    assertThat(listed.get("owner").asText()).isEqualTo("operator-alice");
    assertThat(listed.get("publicKeyFingerprint").asText())
        .isEqualTo(EcKeys.fingerprint(keys.getPublic()));

    HttpResponse<String> deleted = operator.delete("v1/nodes/" + nodeId);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(deleted.body()).get("status").asText())
        .isEqualTo("NODE_STATUS_UNREGISTERED");
    assertThat(findNode(nodeId).get("status").asText()).isEqualTo("NODE_STATUS_UNREGISTERED");
  }

  @Test
  void openSshPublicKeysAreAccepted() throws Exception {
    KeyPair keys = EcKeys.generateP384();
    HttpResponse<String> created =
        operator.post(
            "v1/nodes", registration(EcKeys.toOpenSshPublic(keys.getPublic(), "node@host"), ""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private JsonNode findNode(String nodeId) throws Exception {
    HttpResponse<String> list = operator.get("v1/nodes");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    for (JsonNode node : JSON.readTree(list.body()).get("nodes")) {
      if (node.get("nodeId").asText().equals(nodeId)) {
        return node;
      }
    }
    throw new AssertionError("node " + nodeId + " not listed: " + list.body());
  }

  @Test
  void clientWithoutCertificateFailsTheHandshake() {
    ControlClient anonymous = ControlClient.withoutCertificate(superlink);
    assertThatThrownBy(() -> anonymous.get("v1/nodes")).isInstanceOf(IOException.class);
  }

  @Test
  void nodeCertificateIsForbidden() throws Exception {
    ControlClient node = ControlClient.withCertificate(superlink, superlink.nodeCertificate());
    JsonNode problem = problem(node.get("v1/nodes"), 403);
    assertThat(problem.get("detail").asText()).contains("not an operator certificate");
    // Every path, not only the node endpoints.
    problem(node.get("v1/runs"), 403);
    problem(node.get("anything-else"), 403);
  }

  @Test
  void garbageKeyIsRejected() throws Exception {
    JsonNode problem =
        problem(operator.post("v1/nodes", registration("hello, I am a key", "")), 400);
    assertThat(problem.get("title").asText()).isEqualTo("Invalid public key");
    assertThat(problem.get("detail").asText()).contains("not a public key");
  }

  @Test
  void privateKeyIsRejected() throws Exception {
    KeyPair keys = EcKeys.generateP384();
    JsonNode problem =
        problem(
            operator.post(
                "v1/nodes", registration(EcKeys.toPemPrivatePkcs8(keys.getPrivate()), "")),
            400);
    assertThat(problem.get("detail").asText()).contains("private key");
  }

  @Test
  void unsupportedCurveAndAlgorithmAreRejected() throws Exception {
    KeyPairGenerator k1 = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    k1.initialize(new ECGenParameterSpec("secp256k1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);

    JsonNode secp256k1 =
        problem(
            operator.post("v1/nodes", registration(pem(k1.generateKeyPair().getPublic()), "")),
            400);
    JsonNode rsaKey =
        problem(
            operator.post("v1/nodes", registration(pem(rsa.generateKeyPair().getPublic()), "")),
            400);

    assertThat(secp256k1.get("detail").asText()).containsIgnoringCase("curve");
    assertThat(rsaKey.get("detail").asText()).containsIgnoringCase("RSA");
  }

  @Test
  void oversizedBodyIsRejected() throws Exception {
    String huge = "A".repeat(70 * 1024);
    JsonNode problem = problem(operator.post("v1/nodes", registration(huge, "")), 413);
    assertThat(problem.get("detail").asText()).contains("exceeds the limit of 65536 bytes");
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    JsonNode problem =
        problem(operator.post("v1/nodes", "{\"public_key\": 12, \"nope\": true"), 400);
    assertThat(problem.get("title").asText()).isEqualTo("Malformed request body");
  }

  @Test
  void invalidNameIsRejected() throws Exception {
    String key = EcKeys.toPemPublic(EcKeys.generateP384().getPublic());
    JsonNode problem = problem(operator.post("v1/nodes", registration(key, "../etc/passwd")), 400);
    assertThat(problem.get("title").asText()).isEqualTo("Invalid node name");
  }

  @Test
  void duplicateKeyAndDuplicateNameConflict() throws Exception {
    String key = EcKeys.toPemPublic(EcKeys.generateP384().getPublic());
    assertThat(operator.post("v1/nodes", registration(key, "ctl-dup")).statusCode()).isEqualTo(201);

    JsonNode sameKey = problem(operator.post("v1/nodes", registration(key, "")), 409);
    assertThat(sameKey.get("detail").asText()).contains("already registered");
    String otherKey = EcKeys.toPemPublic(EcKeys.generateP384().getPublic());
    JsonNode sameName = problem(operator.post("v1/nodes", registration(otherKey, "ctl-dup")), 409);
    assertThat(sameName.get("detail").asText()).contains("'ctl-dup' is already used");
  }

  @Test
  void concurrentDuplicateRegistrationsHaveExactlyOneWinner() throws Exception {
    String body = registration(EcKeys.toPemPublic(EcKeys.generateP384().getPublic()), "");
    int attempts = 8;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      List<Callable<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        ControlClient client = superlink.operatorClient();
        posts.add(() -> client.post("v1/nodes", body).statusCode());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(posts)) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownNodeIsNotFound() throws Exception {
    JsonNode problem = problem(operator.delete("v1/nodes/12345"), 404);
    assertThat(problem.get("detail").asText()).isEqualTo("no node with id 12345");
    problem(operator.delete("v1/nodes/not-a-number"), 400);
  }

  @Test
  void managementServesHealthAndMetricsOnLoopbackOverHttp() throws Exception {
    try (FleetClient fleet = superlink.fleet()) {
      TestNode stranger = new TestNode(EcKeys.generateP384(), 7, "");
      assertThatThrownBy(
              () ->
                  fleet
                      .blocking(stranger)
                      .sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(7).build()))
          .isInstanceOf(StatusRuntimeException.class);
    }
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + superlink.managementPort());
    HttpResponse<String> readiness =
        http.send(
            HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("UP");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("fedsecure_nodes_online")
        .contains("fedsecure_fleet_auth_failures_total{reason=\"unregistered_key\"}");
  }
}
