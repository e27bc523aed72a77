package io.fedsecure.superlink.registry;

import java.util.List;
import java.util.Optional;

/** Read side of the node registry, as the run engine needs it. */
public interface NodeRegistry {

  List<RegisteredNode> list();

  Optional<RegisteredNode> find(long nodeId);

  /** Registered nodes whose status is ONLINE now. */
  List<RegisteredNode> online();
}
