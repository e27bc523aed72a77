package io.fedsecure.superlink.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.protocol.safetensors.Safetensors;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.fleet.NodeStreams;
import io.fedsecure.superlink.keys.KeyDirectoryLoader;
import io.fedsecure.superlink.model.NetLayout;
import io.fedsecure.superlink.registry.NodeRegistry;
import io.fedsecure.superlink.warmup.EnvelopeWarmup;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the run engine (plain Java) into the SuperLink. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunSettings.class)
public class RunsConfiguration {

  @Bean
  RunRepository runRepository(JdbcTemplate jdbc, ObjectMapper json) {
    return new RunRepository(jdbc, json);
  }

  @Bean
  RunLog runLog(RunRepository repository, Clock clock) {
    return new RunLog(repository, clock);
  }

  @Bean
  NodeEligibility nodeEligibility(
      NodeRegistry registry,
      NodeStreams streams,
      SuperLinkProperties properties,
      RunLog runLog,
      Clock clock) {
    return new NodeEligibility(
        registry, streams, new KeyDirectoryLoader(properties.encryptionKeysDir()), runLog, clock);
  }

  @Bean
  RunEngine runEngine(
      RunRepository repository,
      RunLog runLog,
      NodeEligibility nodes,
      NodeStreams streams,
      RunEngine.Setup setup) {
    return new RunEngine(repository, runLog, nodes, streams, setup);
  }

  @Bean
  RunEngine.Setup runSetup(RunSettings settings, ObjectMapper json, Clock clock) {
    return new RunEngine.Setup(
        settings, NetLayout.LAYOUT, new EnvelopeCipher(), new Safetensors(json), clock);
  }

  @Bean(initMethod = "recoverInterruptedRuns", destroyMethod = "shutdown")
  RunService runService(
      RunRepository repository,
      RunEngine engine,
      RunLog runLog,
      RunEngine.Setup setup,
      EnvelopeWarmup warmup) {
    return new RunService(repository, engine, runLog, setup, warmup.done());
  }

  @Bean
  LogFollower logFollower(RunRepository repository, RunLog runLog) {
    return new LogFollower(repository, runLog);
  }

  /** Threads for followed logs: each open `flwr log --stream` holds one while it waits. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService runLogStreams() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        32,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "run-log-stream-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
