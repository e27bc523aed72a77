package io.fedsecure.supernode.training;

import io.fedsecure.supernode.config.NodeConfig;

/**
 * Makes the node's {@link LocalTrainer} when node-config {@code trainer} names it. A bean per kind,
 * so another trainer plugs in by adding a provider, and only the chosen one is ever built: the DJL
 * provider loads PyTorch, others need not.
 */
public interface TrainerProvider {

  /** The value of node-config {@code trainer} that selects this provider. */
  String name();

  LocalTrainer create(NodeConfig config);
}
