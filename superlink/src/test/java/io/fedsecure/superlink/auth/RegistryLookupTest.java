package io.fedsecure.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.testing.TestPki;
import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Authenticating a Fleet call must not cost a database query on the event loop every time. */
class RegistryLookupTest {

  @Test
  void heartbeatFloodDoesNotQueryTheRegistryForTheKeyEveryTimeAndUnregisteringStillCutsTheNodeOff(
      @TempDir Path dir) throws Exception {
    try (SuperLinkFixture superlink =
            SuperLinkFixture.start(TestPki.create(dir), dir, List.of(CountingJdbc.class));
        FleetClient fleet = superlink.fleet()) {
      // Given a registered node
      TestNode node = fleet.register("lookup");
      FleetGrpc.FleetBlockingStub stub = fleet.blocking(node);
      AtomicInteger keyLookups = superlink.bean(CountingJdbcTemplate.class).keyLookups;
      int before = keyLookups.get();

      // When it sends 20 heartbeats
      for (int i = 0; i < 20; i++) {
        stub.sendHeartbeat(HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build());
      }

      // Then its key was read from the database once, and an unregistration is still seen at once
      assertThat(keyLookups.get() - before).isEqualTo(1);
      superlink.operatorClient().delete("v1/nodes/" + Long.toUnsignedString(node.nodeId()));
      assertThatThrownBy(
              () ->
                  stub.sendHeartbeat(
                      HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build()))
          .satisfies(
              e ->
                  assertThat(Status.fromThrowable(e).getDescription())
                      .contains("node unregistered"));
    }
  }

  /** Counts the registry's key lookups (queries by fingerprint). */
  static final class CountingJdbcTemplate extends JdbcTemplate {
    final AtomicInteger keyLookups = new AtomicInteger();

    CountingJdbcTemplate(DataSource dataSource) {
      super(dataSource);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
      if (sql.contains("WHERE fingerprint")) {
        keyLookups.incrementAndGet();
      }
      return super.query(sql, rowMapper, args);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CountingJdbc {
    @Bean
    CountingJdbcTemplate jdbcTemplate(DataSource dataSource) {
      return new CountingJdbcTemplate(dataSource);
    }
  }
}
