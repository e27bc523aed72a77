package io.fedsecure.superlink.support;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Puts the {@link RecordingBroker} in front of the run engine's broker for the Fleet service. */
@Configuration(proxyBeanMethods = false)
public class TestBrokerConfiguration {
  @Bean
  @Primary
  RecordingBroker recordingBroker() {
    return new RecordingBroker();
  }
}
