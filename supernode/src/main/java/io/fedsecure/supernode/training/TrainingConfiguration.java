package io.fedsecure.supernode.training;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.data.PartitionLoader;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's trainer, chosen by node-config {@code trainer} (default {@code djl}).
 *
 * <p>node-config keys read for {@code djl}: {@code dataset-path} (partition directory, required),
 * {@code num-threads} (PyTorch intra- and inter-op threads, default 1: two nodes sharing two cores
 * each spin OpenMP threads otherwise), {@code seed} (epoch shuffles, default 42).
 */
@Configuration(proxyBeanMethods = false)
public class TrainingConfiguration {

  public static final String DEFAULT_TRAINER = DjlTrainerProvider.NAME;

  @Bean
  DjlTrainerProvider djlTrainerProvider() {
    return new DjlTrainerProvider();
  }

  /** Built at startup, so a missing or corrupt partition stops the node before it connects. */
  @Bean
  LocalTrainer localTrainer(NodeConfig config, List<TrainerProvider> providers) {
    String name = config.optionalString("trainer").orElse(DEFAULT_TRAINER);
    return providers.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new NodeStartupException(
                    "node-config trainer=\""
                        + name
                        + "\" is unknown; known: "
                        + providers.stream().map(TrainerProvider::name).sorted().toList()))
        .create(config);
  }

  /** Creates {@link DjlTrainer}; PyTorch is loaded only here, after its thread settings. */
  static final class DjlTrainerProvider implements TrainerProvider {
    static final String NAME = "djl";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public LocalTrainer create(NodeConfig config) {
      int threads = config.intValue("num-threads", 1);
      if (threads < 1) {
        throw new NodeStartupException(
            "node-config num-threads must be at least 1, got " + threads);
      }
      Path dataset = Path.of(config.string("dataset-path"));
      int seed = config.intValue("seed", 42);
      DjlTrainer.applyThreadSettings(threads);
      // Load (and validate) the data first: a bad partition should fail fast, before 400 MB of
      // natives.
      return new DjlTrainer(PartitionLoader.load(dataset), seed, threads);
    }
  }
}
