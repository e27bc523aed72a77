package io.fedsecure.supernode.connection;

import java.time.Duration;

/** What the SuperLink answered on activation. */
public record ActivatedNode(long nodeId, String nodeName, Duration heartbeatInterval) {}
