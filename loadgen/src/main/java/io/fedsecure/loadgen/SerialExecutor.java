package io.fedsecure.loadgen;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs one node's tasks one at a time, in order, on a pool shared by all simulated nodes, as the
 * SuperNode's own single worker thread would, without a thread per node.
 */
final class SerialExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final Executor pool;
  private Runnable active;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(
        () -> {
          try {
            task.run();
          } finally {
            next();
          }
        });
    if (active == null) {
      next();
    }
  }

  private synchronized void next() {
    active = tasks.poll();
    if (active != null) {
      pool.execute(active);
    }
  }
}
