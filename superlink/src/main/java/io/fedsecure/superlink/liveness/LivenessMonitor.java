package io.fedsecure.superlink.liveness;

import io.fedsecure.superlink.auth.AuthenticatedNode;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import io.fedsecure.superlink.registry.RegisteredNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Marks online nodes offline once they have been silent for longer than the configured patience.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class LivenessMonitor implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(LivenessMonitor.class);

  private final JdbcNodeRegistry registry;
  private final Clock clock;
  private final SuperLinkProperties.Liveness liveness;

  public LivenessMonitor(JdbcNodeRegistry registry, Clock clock, SuperLinkProperties properties) {
    this.registry = registry;
    this.clock = clock;
    this.liveness = properties.liveness();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::markSilentNodesOffline, checkInterval(liveness));
  }

  /**
   * Explicit, or a sixth of the patience (at most 5 s) so an offline node shows within ~1.2 x
   * patience.
   */
  static Duration checkInterval(SuperLinkProperties.Liveness liveness) {
    if (liveness.checkInterval() != null) {
      return liveness.checkInterval();
    }
    Duration sixth = liveness.nodePatience().dividedBy(6);
    Duration max = Duration.ofSeconds(5);
    Duration min = Duration.ofMillis(100);
    return sixth.compareTo(max) > 0 ? max : sixth.compareTo(min) < 0 ? min : sixth;
  }

  void markSilentNodesOffline() {
    try {
      Duration patience = liveness.nodePatience();
      Instant cutoff = clock.instant().minus(patience);
      for (RegisteredNode node : registry.onlineNotSeenSince(cutoff)) {
        if (registry.markOfflineIfNotSeenSince(node.nodeId(), cutoff)) {
          log.info(
              "Node {} is offline (no request for more than {}s)",
              NodePresence.describe(new AuthenticatedNode(node.nodeId(), node.name())),
              patience.toSeconds());
        }
      }
    } catch (RuntimeException e) {
      // Keep the schedule alive; the next round retries.
      log.warn("Liveness check failed: {}", e.toString());
    }
  }
}
