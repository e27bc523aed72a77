package io.fedsecure.superlink.fleet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A version counter that waiters can block on, so that whoever waits for "something changed" (a
 * node stream opened or closed, a run stopped) is woken instead of polling.
 */
public final class ChangeSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long version;

  public long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  public void signal() {
    lock.lock();
    try {
      version++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the version differs from {@code seen} or the time is up; true if it changed. */
  public boolean awaitChange(long seen, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (version == seen) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  public boolean awaitChange(long seen, long timeout, TimeUnit unit) throws InterruptedException {
    return awaitChange(seen, unit.toNanos(timeout));
  }
}
