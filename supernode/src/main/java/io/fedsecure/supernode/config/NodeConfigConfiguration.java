package io.fedsecure.supernode.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SuperNodeProperties.class)
public class NodeConfigConfiguration {

  @Bean
  public NodeConfig nodeConfig(SuperNodeProperties properties) {
    return NodeConfig.parse(properties.nodeConfig());
  }
}
