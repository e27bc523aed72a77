package io.fedsecure.supernode.connection;

import io.fedsecure.proto.fleet.ActivateNodeResponse;
import io.fedsecure.proto.fleet.HeartbeatResponse;
import io.fedsecure.proto.fleet.InstructionFrame;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.SuperNodeProperties;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's life with the SuperLink: activate, keep a heartbeat, receive instructions on the
 * long-lived stream, and when the SuperLink goes away reconnect with backoff and activate again.
 * {@link #run()} blocks until {@link #stop()} (then deactivates) or a failure retrying cannot fix.
 */
public final class SuperLinkSession {
  private static final Logger log = LoggerFactory.getLogger(SuperLinkSession.class);
  // Marks a connection ended on purpose; immutable (no stack trace, no suppression).
  private static final Throwable STOPPED = new Throwable("stopped", null, false, false) {};
  private static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

  private final FleetClient client;
  private final FailureClassifier classifier;
  private final SuperLinkAddress address;
  private final String nodeName;
  private final SuperNodeProperties properties;
  private final Backoff backoff;
  private final InstructionHandler handler;

  private final CountDownLatch halted = new CountDownLatch(1);
  private final Context.CancellableContext calls = Context.current().withCancellation();
  private final AtomicReference<CompletableFuture<Throwable>> connection = new AtomicReference<>();
  private final AtomicReference<ActivatedNode> active = new AtomicReference<>();
  private volatile boolean stopRequested;
  private volatile NodeStartupException fatal;

  /**
   * @param classifier tells fatal failures from passing ones, and names the SuperLink
   * @param nodeName the name this node activates under (the node config's {@code node-id})
   */
  public SuperLinkSession(
      FleetClient client,
      FailureClassifier classifier,
      String nodeName,
      SuperNodeProperties properties,
      InstructionHandler handler) {
    this.client = client;
    this.classifier = classifier;
    this.address = classifier.address();
    this.nodeName = nodeName;
    this.properties = properties;
    this.backoff =
        new Backoff(
            properties.reconnect().baseDelay(),
            properties.reconnect().maxDelay(),
            new SecureRandom());
    this.handler = handler;
  }

  /** Runs until stopped (returns) or a fatal failure (throws it). */
  public void run() {
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat");
              t.setDaemon(true);
              return t;
            });
    try {
      calls.run(() -> loop(heartbeats));
    } finally {
      heartbeats.shutdownNow();
      calls.cancel(null);
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  private void loop(ScheduledExecutorService heartbeats) {
    while (!halting()) {
      ActivatedNode node;
      try {
        node = activate();
      } catch (NodeStartupException e) {
        fatal = fatal == null ? e : fatal;
        return;
      }
      if (node == null) {
        return;
      }
      Throwable reason = serve(node, heartbeats);
      active.set(null);
      if (halting()) {
        deactivate(node);
        return;
      }
      Optional<ConnectionFailure> failure = classifier.fatal(reason);
      if (failure.isPresent()) {
        fatal = failure.get();
        return;
      }
      log.warn(
          "lost the SuperLink at {} ({}); reconnecting",
          address,
          FailureClassifier.describe(reason));
    }
  }

  /** Activates, retrying with backoff; null if stopped meanwhile. */
  private ActivatedNode activate() {
    long startedNanos = System.nanoTime();
    int attempts = 0;
    while (!halting()) {
      attempts++;
      client.reconnectNow();
      try {
        ActivateNodeResponse response = client.activate(nodeName, properties.heartbeatInterval());
        Duration heartbeat =
            response.getHeartbeatIntervalSeconds() > 0
                ? max(
                    Duration.ofMillis((long) (response.getHeartbeatIntervalSeconds() * 1000)),
                    MIN_HEARTBEAT)
                : properties.heartbeatInterval();
        ActivatedNode node =
            new ActivatedNode(response.getNodeId(), response.getNodeName(), heartbeat);
        log.info(
            "activated with the SuperLink at {} as node {} (id {}), heartbeat every {} s",
            address,
            node.nodeName(),
            node.nodeId(),
            heartbeat.toMillis() / 1000.0);
        return node;
      } catch (StatusRuntimeException e) {
        if (halting()) {
          return null;
        }
        Optional<ConnectionFailure> failure = classifier.fatal(e);
        if (failure.isPresent()) {
          throw failure.get();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        Duration delay = backoff.delay(attempts - 1);
        boolean retriesLeft = properties.unlimitedRetries() || attempts <= properties.maxRetries();
        Duration maxWait = properties.maxWaitTime();
        if (!maxWait.isZero() && !maxWait.isNegative()) {
          Duration remaining = maxWait.minus(elapsed);
          retriesLeft &= !remaining.isNegative() && !remaining.isZero();
          delay = delay.compareTo(remaining) > 0 ? remaining : delay;
        }
        if (!retriesLeft) {
          throw new ConnectionFailure(
              ConnectionFailure.Kind.UNREACHABLE,
              String.format(
                  "SuperLink at %s unreachable after %d attempts over %.1f s (last error: %s)",
                  address, attempts, elapsed.toMillis() / 1000.0, FailureClassifier.describe(e)));
        }
        String why =
            classifier
                .transientRefusal(e)
                .orElseGet(
                    () ->
                        "SuperLink at "
                            + address
                            + " not reachable ("
                            + FailureClassifier.describe(e)
                            + ")");
        log.warn(
            "{}; attempt {} failed, next in {} ms", why, attempts, Math.max(0, delay.toMillis()));
        if (await(delay)) {
          return null;
        }
      }
    }
    return null;
  }

  /** Serves one activated connection; returns why it ended. */
  private Throwable serve(ActivatedNode node, ScheduledExecutorService heartbeats) {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    connection.set(ended);
    active.set(node);
    if (halting()) {
      ended.complete(STOPPED);
    }
    SessionContext context = new Live(node);
    InstructionAssembler assembler =
        new InstructionAssembler(properties.tasks().maxPayloadSize().toBytes(), context, handler);
    Runnable cancelStream =
        client.pullInstructions(
            node.nodeId(),
            new StreamObserver<InstructionFrame>() {
              @Override
              public void onNext(InstructionFrame frame) {
                try {
                  assembler.accept(frame);
                } catch (RuntimeException e) {
                  log.error("cannot handle an instruction frame: {}", e.toString());
                }
              }

              @Override
              public void onError(Throwable t) {
                assembler.streamEnded();
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                assembler.streamEnded();
                ended.complete(
                    Status.UNAVAILABLE
                        .withDescription("the SuperLink closed the instruction stream")
                        .asRuntimeException());
              }
            });
    scheduleHeartbeat(heartbeats, new Beat(node, ended, 0), node.heartbeatInterval());
    try {
      return ended.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      return STOPPED;
    } catch (ExecutionException e) {
      return e.getCause();
    } finally {
      cancelStream.run();
    }
  }

  /**
   * One heartbeat: the node, the connection it keeps alive, and how many were refused as transient
   * in a row.
   */
  private record Beat(ActivatedNode node, CompletableFuture<Throwable> ended, int refusedInARow) {}

  private void scheduleHeartbeat(
      ScheduledExecutorService heartbeats, Beat beat, Duration interval) {
    if (beat.ended().isDone()) {
      return;
    }
    heartbeats.schedule(
        calls.wrap(
            () -> {
              if (beat.ended().isDone()) {
                return;
              }
              try {
                HeartbeatResponse response = client.heartbeat(beat.node().nodeId());
                if (!response.getOk()) {
                  beat.ended()
                      .complete(
                          Status.UNAVAILABLE
                              .withDescription("the SuperLink no longer counts this node as active")
                              .asRuntimeException());
                  return;
                }
                log.debug("heartbeat acknowledged");
                Duration next =
                    response.getHeartbeatIntervalSeconds() > 0
                        ? max(
                            Duration.ofMillis(
                                (long) (response.getHeartbeatIntervalSeconds() * 1000)),
                            MIN_HEARTBEAT)
                        : interval;
                scheduleHeartbeat(heartbeats, new Beat(beat.node(), beat.ended(), 0), next);
              } catch (StatusRuntimeException e) {
                Optional<String> refusal = classifier.transientRefusal(e);
                if (refusal.isEmpty()) {
                  beat.ended().complete(e);
                  return;
                }
                // Refused for now (rate limit, replay-cache pressure, clock skew): back off, keep
                // the connection.
                Duration delay = max(backoff.delay(beat.refusedInARow()), MIN_HEARTBEAT);
                log.warn("heartbeat refused: {}; next in {} ms", refusal.get(), delay.toMillis());
                scheduleHeartbeat(
                    heartbeats,
                    new Beat(beat.node(), beat.ended(), beat.refusedInARow() + 1),
                    delay);
              }
            }),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void deactivate(ActivatedNode node) {
    try {
      Context.ROOT.call(
          () -> {
            client.deactivate(node.nodeId(), Duration.ofSeconds(3));
            return null;
          });
      log.info("deactivated node {} (id {})", node.nodeName(), node.nodeId());
    } catch (Exception e) {
      log.warn(
          "could not deactivate node {} on shutdown ({})",
          node.nodeName(),
          FailureClassifier.describe(e));
    }
  }

  /** Asks {@link #run()} to deactivate and return. Idempotent. */
  public void stop() {
    stopRequested = true;
    halt(STOPPED);
  }

  /** The node currently activated, if a connection is up. */
  public Optional<ActivatedNode> activeNode() {
    return Optional.ofNullable(active.get());
  }

  private void halt(Throwable reason) {
    halted.countDown();
    CompletableFuture<Throwable> current = connection.get();
    if (current != null) {
      current.complete(reason);
    }
    if (active.get() == null) {
      // Interrupts a blocking activation; a live connection is closed by its own loop instead.
      calls.cancel(null);
    }
  }

  private boolean halting() {
    return stopRequested || fatal != null;
  }

  /** Waits, returning true if the session was halted meanwhile. */
  private boolean await(Duration delay) {
    try {
      return halted.await(Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      return true;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private final class Live implements SessionContext {
    private final ActivatedNode node;

    Live(ActivatedNode node) {
      this.node = node;
    }

    @Override
    public long nodeId() {
      return node.nodeId();
    }

    @Override
    public String nodeName() {
      return node.nodeName();
    }

    @Override
    public void fail(NodeStartupException reason) {
      if (fatal == null) {
        fatal = reason;
      }
      halt(STOPPED);
    }
  }
}
