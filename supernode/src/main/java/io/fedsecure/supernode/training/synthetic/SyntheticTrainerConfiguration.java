package io.fedsecure.supernode.training.synthetic;

import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.NodeConfigException;
import io.fedsecure.supernode.training.CifarNet;
import io.fedsecure.supernode.training.LocalTrainer;
import io.fedsecure.supernode.training.TrainerProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * node-config {@code trainer="synthetic"}: a SuperNode that speaks the real protocol with Flower's
 * Net layout but replaces training with {@link SyntheticTrainer}; its index k comes from
 * {@code synthetic-index}, or from a node-id of the form node-k. With {@code synthetic-model-size-mb=M}
 * the node expects the SuperLink's run config {@code model-size-mb=M} model ({@link SyntheticLayouts})
 * instead. For load tests; never loads PyTorch.
 */
@Configuration(proxyBeanMethods = false)
public class SyntheticTrainerConfiguration {

  public static final String NAME = "synthetic";
  private static final Pattern NODE_NUMBER = Pattern.compile(".*?(\\d+)$");

  @Bean
  TrainerProvider syntheticTrainerProvider() {
    return new TrainerProvider() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public LocalTrainer create(NodeConfig config) {
        return new SyntheticTrainer(layout(config), index(config), weights -> {});
      }
    };
  }

  static TensorLayout layout(NodeConfig config) {
    int megabytes = config.intValue("synthetic-model-size-mb", 0);
    if (megabytes == 0) {
      return CifarNet.LAYOUT;
    }
    try {
      return SyntheticLayouts.ofMegabytes(megabytes);
    } catch (IllegalArgumentException e) {
      throw new NodeConfigException("synthetic-model-size-mb: " + e.getMessage());
    }
  }

  static int index(NodeConfig config) {
    int index = config.intValue("synthetic-index", 0);
    if (index > 0) {
      return index;
    }
    Matcher m = NODE_NUMBER.matcher(config.string("node-id"));
    if (!m.matches()) {
      throw new NodeConfigException("trainer=\"synthetic\" needs synthetic-index=<k> or a node-id ending in a number");
    }
    return Integer.parseInt(m.group(1));
  }
}
