package io.fedsecure.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsecure.proto.fleet.FleetGrpc;
import io.fedsecure.proto.fleet.HeartbeatRequest;
import io.fedsecure.superlink.support.FleetClient;
import io.fedsecure.superlink.support.SigningInterceptor;
import io.fedsecure.superlink.support.SuperLinkFixture;
import io.fedsecure.superlink.support.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A registered node floods signed requests; the replay cache must not become a switch that turns
 * the others off.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplayCacheFloodTest {

  @Test
  void floodingNodeCannotLockOutHonestNodesThroughTheReplayCache(
      @TempDir Path dir, CapturedOutput output) throws Exception {
    // Given a SuperLink whose replay cache holds 200 nonces, 50 per key, and three registered nodes
    try (SuperLinkFixture superlink =
            SuperLinkFixture.startWith(
                dir,
                Map.of(
                    "superlink.node-auth.replay-cache-capacity",
                    "200",
                    "superlink.node-auth.replay-cache-per-key",
                    "50"));
        FleetClient fleet = superlink.fleet()) {
      TestNode attacker = fleet.register("flooder");
      List<TestNode> honest = List.of(fleet.register("honest-1"), fleet.register("honest-2"));
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger floodAccepted = new AtomicInteger();
      ConcurrentLinkedQueue<Status.Code> floodRefusals = new ConcurrentLinkedQueue<>();
      // When the attacker sends signed heartbeats as fast as it can from two threads
      Runnable flood =
          () -> {
            FleetGrpc.FleetBlockingStub stub =
                fleet.blocking(fleet.channel(), new SigningInterceptor(attacker.signer()));
            while (flooding.get()) {
              try {
                stub.sendHeartbeat(heartbeat(attacker));
                floodAccepted.incrementAndGet();
              } catch (StatusRuntimeException e) {
                if (floodRefusals.size() < 100_000) {
                  floodRefusals.add(e.getStatus().getCode());
                }
              }
            }
          };
      List<Thread> flooders = List.of(new Thread(flood, "flood-1"), new Thread(flood, "flood-2"));
      flooders.forEach(Thread::start);
      ConcurrentLinkedQueue<String> honestFailures = new ConcurrentLinkedQueue<>();
      AtomicInteger honestAccepted = new AtomicInteger();
      AtomicInteger honestRoundsAfterRefusal = new AtomicInteger();
      List<FleetGrpc.FleetBlockingStub> stubs =
          honest.stream()
              .map(n -> fleet.blocking(fleet.channel(), new SigningInterceptor(n.signer())))
              .toList();
      // The honest nodes beat at a node's pace, every 300 ms, while the flood goes on
      Runnable honestRound =
          () -> {
            boolean floodRefused = !floodRefusals.isEmpty();
            for (int i = 0; i < honest.size(); i++) {
              try {
                stubs.get(i).sendHeartbeat(heartbeat(honest.get(i)));
                honestAccepted.incrementAndGet();
              } catch (StatusRuntimeException e) {
                honestFailures.add(honest.get(i).name() + ": " + e.getStatus());
              }
            }
            if (floodRefused) {
              honestRoundsAfterRefusal.incrementAndGet();
            }
          };
      ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
      try {
        heartbeats.scheduleAtFixedRate(honestRound, 0, 300, TimeUnit.MILLISECONDS);
        // ...until the flood is refused (the cache or the attacker's share of it is full), then for
        // fifteen more honest rounds
        await().atMost(Duration.ofSeconds(60)).until(() -> !floodRefusals.isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> honestRoundsAfterRefusal.get() >= 15);
      } finally {
        heartbeats.shutdownNow();
        heartbeats.awaitTermination(10, TimeUnit.SECONDS);
        flooding.set(false);
        for (Thread t : flooders) {
          t.join();
        }
      }
      // Then every honest heartbeat was accepted, and the flood itself was held back as a transient
      // refusal
      assertThat(honestFailures)
          .as(
              "honest heartbeats refused (flood accepted %s, refused %s)",
              floodAccepted.get(), floodRefusals.size())
          .isEmpty();
      assertThat(honestAccepted.get()).isGreaterThan(10);
      assertThat(floodRefusals)
          .contains(Status.Code.RESOURCE_EXHAUSTED)
          .doesNotContain(Status.Code.UNAUTHENTICATED);
      // and the hundreds of refusals cost a few log lines, one per 10 s interval
      assertThat(
              output
                  .getOut()
                  .lines()
                  .filter(
                      line ->
                          line.contains("Refused")
                              && line.contains(Long.toUnsignedString(attacker.nodeId()))))
          .hasSizeBetween(1, 8);
    }
  }

  private static HeartbeatRequest heartbeat(TestNode node) {
    return HeartbeatRequest.newBuilder().setNodeId(node.nodeId()).build();
  }
}
