package io.fedsecure.superlink.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registrations live in the SQLite file and survive a restart. */
class PersistenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void registrationSurvivesRestartOnTheSameDatabaseFile(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    Path database = dir.resolve("state/superlink.db");
    Path portFile = dir.resolve("ports.json");
    TestNode node;

    try (SuperLinkFixture first =
            SuperLinkFixture.start(
                pki, dir, "--database", database.toString(), "--port-file", portFile.toString());
        FleetClient fleet = first.fleet()) {
      node = fleet.register("persisted-1");
      JsonNode ports = JSON.readTree(portFile.toFile());
      assertThat(ports.get("fleet").asInt()).isEqualTo(first.fleetPort());
      assertThat(ports.get("control").asInt()).isEqualTo(first.controlPort());
      assertThat(ports.get("management").asInt()).isEqualTo(first.managementPort()).isPositive();
    }
    assertThat(database).isRegularFile();

    try (SuperLinkFixture second =
        SuperLinkFixture.start(pki, dir, "--database", database.toString())) {
      HttpResponse<String> list = second.operatorClient().get("v1/nodes");
      assertThat(list.statusCode()).isEqualTo(200);
      JsonNode nodes = JSON.readTree(list.body()).get("nodes");
      assertThat(nodes).hasSize(1);
      assertThat(nodes.get(0).get("nodeId").asText())
          .isEqualTo(Long.toUnsignedString(node.nodeId()));
      assertThat(nodes.get(0).get("name").asText()).isEqualTo("persisted-1");
      assertThat(Files.exists(dir.resolve("state/superlink.db-wal")) || Files.size(database) > 0)
          .isTrue();
    }
  }
}
