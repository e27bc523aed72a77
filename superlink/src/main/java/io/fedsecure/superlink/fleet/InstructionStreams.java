package io.fedsecure.superlink.fleet;

import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.superlink.registry.NodeUnregisteredEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The open instruction streams per node, so they can be ended when the node loses its registration. */
@Component
public class InstructionStreams {

  private static final Logger log = LoggerFactory.getLogger(InstructionStreams.class);

  private final Map<Long, Set<RevocableStream<InstructionFrame>>> open = new ConcurrentHashMap<>();

  /** Wraps and tracks a newly opened stream; it is forgotten again when it ends. */
  ServerCallStreamObserver<InstructionFrame> track(long nodeId, ServerCallStreamObserver<InstructionFrame> stream) {
    RevocableStream<InstructionFrame> revocable = new RevocableStream<>(stream, ended -> forget(nodeId, ended));
    open.computeIfAbsent(nodeId, id -> ConcurrentHashMap.newKeySet()).add(revocable);
    return revocable;
  }

  /** Number of open streams of the node (for tests and diagnostics). */
  public int openStreams(long nodeId) {
    Set<RevocableStream<InstructionFrame>> streams = open.get(nodeId);
    return streams == null ? 0 : streams.size();
  }

  @EventListener
  void onNodeUnregistered(NodeUnregisteredEvent event) {
    int closed = revoke(event.nodeId(), Status.UNAUTHENTICATED.withDescription("node unregistered"));
    if (closed > 0) {
      log.info("Closed {} instruction stream(s) of unregistered node {}", closed, Long.toUnsignedString(event.nodeId()));
    }
  }

  int revoke(long nodeId, Status status) {
    Set<RevocableStream<InstructionFrame>> streams = open.remove(nodeId);
    if (streams == null) {
      return 0;
    }
    List<RevocableStream<InstructionFrame>> snapshot = List.copyOf(streams);
    snapshot.forEach(s -> s.revoke(status));
    return snapshot.size();
  }

  void revokeAll(Status status) {
    List.copyOf(open.keySet()).forEach(nodeId -> revoke(nodeId, status));
  }

  private void forget(long nodeId, RevocableStream<InstructionFrame> stream) {
    open.computeIfPresent(nodeId, (id, streams) -> {
      streams.remove(stream);
      return streams.isEmpty() ? null : streams;
    });
  }
}
