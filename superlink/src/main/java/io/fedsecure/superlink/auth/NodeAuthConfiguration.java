package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.registry.JdbcNodeRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class NodeAuthConfiguration {

  @Bean
  RequestVerifier requestVerifier(Clock clock, SuperLinkProperties properties) {
    SuperLinkProperties.NodeAuth auth = properties.nodeAuth();
    return new RequestVerifier(clock, auth.maxClockAhead(), auth.maxClockBehind(), auth.replayCacheCapacity());
  }

  @Bean
  NodeAuthInterceptor nodeAuthInterceptor(
      JdbcNodeRegistry registry, RequestVerifier verifier, SuperLinkProperties properties, AuthFailureMetrics metrics) {
    // Without TLS (--insecure) there is no certificate to check; the request signature still is.
    return new NodeAuthInterceptor(registry, verifier, !properties.insecure(), metrics);
  }
}
