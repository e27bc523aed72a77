package io.fedsecure.superlink.auth;

import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.superlink.config.SuperLinkProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class NodeAuthConfiguration {

  @Bean
  RequestVerifier requestVerifier(Clock clock, SuperLinkProperties properties) {
    SuperLinkProperties.NodeAuth auth = properties.nodeAuth();
    return new RequestVerifier(
        clock,
        auth.maxClockAhead(),
        auth.maxClockBehind(),
        auth.replayCacheCapacity(),
        auth.replayCachePerKey());
  }

  @Bean
  NodeAuthInterceptor nodeAuthInterceptor(
      RegisteredKeyCache keys,
      RequestVerifier verifier,
      SuperLinkProperties properties,
      AuthFailureMetrics metrics,
      Clock clock) {
    NodeAuthInterceptor.CallLimits limits =
        NodeAuthInterceptor.CallLimits.of(
            clock, properties.nodeAuth(), properties.fleetApi().maxConnectionsPerCertificate());
    // Without TLS (--insecure) there is no certificate to check; the request signature still is.
    return new NodeAuthInterceptor(keys, verifier, !properties.insecure(), metrics, limits);
  }
}
