package io.fedsecure.superlink.fleet;

import io.fedsecure.superlink.auth.NodeAuthInterceptor;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.liveness.NodePresence;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class FleetConfiguration {

  @Bean(destroyMethod = "shutdown")
  NodeStreams nodeStreams() {
    return new NodeStreams();
  }

  @Bean
  FleetService fleetService(
      NodeStreams streams, NodePresence presence, SuperLinkProperties properties) {
    return new FleetService(
        streams,
        presence,
        properties.liveness().heartbeatInterval().toMillis() / 1000.0,
        properties.fleetApi().maxReplyPayload().toBytes());
  }

  @Bean
  FleetServer fleetServer(
      SuperLinkProperties properties,
      FleetService fleetService,
      NodeAuthInterceptor authInterceptor,
      NodeStreams streams) {
    return new FleetServer(properties, fleetService, authInterceptor, streams);
  }
}
