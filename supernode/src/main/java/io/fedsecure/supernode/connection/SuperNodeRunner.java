package io.fedsecure.supernode.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link SuperLinkSession} on its own thread for the life of the application context.
 * Context shutdown (SIGTERM through Spring's shutdown hook) stops it, which deactivates the node.
 * main() waits on {@link #termination()} to learn whether the node stopped or failed.
 */
public final class SuperNodeRunner implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SuperNodeRunner.class);

  private final SuperLinkSession session;
  private final Duration stopTimeout;
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private volatile Thread thread;

  public SuperNodeRunner(SuperLinkSession session, Duration stopTimeout) {
    this.session = session;
    this.stopTimeout = stopTimeout;
  }

  @Override
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread =
        new Thread(
            () -> {
              try {
                session.run();
                termination.complete(null);
              } catch (RuntimeException e) {
                termination.completeExceptionally(e);
              }
            },
            "superlink-session");
    thread.start();
  }

  @Override
  public void stop() {
    Thread running = thread;
    session.stop();
    if (running != null) {
      try {
        running.join(stopTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        log.warn("the SuperLink session did not stop within {} s", stopTimeout.toSeconds());
      }
    }
  }

  @Override
  public boolean isRunning() {
    Thread running = thread;
    return running != null && running.isAlive();
  }

  /** Completes when the session ends: normally after a stop, exceptionally with the failure. */
  public CompletableFuture<Void> termination() {
    return termination;
  }

  public SuperLinkSession session() {
    return session;
  }
}
