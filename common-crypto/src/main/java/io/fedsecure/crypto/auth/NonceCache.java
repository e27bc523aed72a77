package io.fedsecure.crypto.auth;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Nonces seen inside the freshness window, each kept until its request's timestamp falls out of the
 * window. Bounded in all and per signing key: when full of unexpired nonces it refuses rather than
 * forgets, because forgetting a nonce inside the window would let its request be replayed. The
 * per-key quota keeps one key from filling the cache for everyone. Not thread-safe; the verifier
 * serialises access.
 */
final class NonceCache {

  enum Outcome {
    RECORDED,
    REPLAYED,
    KEY_QUOTA_EXCEEDED,
    FULL
  }

  private record Entry(Instant expiry, ByteBuffer nonce, ByteBuffer key) {}

  private final int capacity;
  private final int perKey;
  private final Map<ByteBuffer, Instant> expiries = new HashMap<>();
  private final Map<ByteBuffer, Integer> countsByKey = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> a.expiry.compareTo(b.expiry));

  NonceCache(int capacity, int perKey) {
    this.capacity = capacity;
    this.perKey = perKey;
  }

  /**
   * Records {@code nonce} of {@code key} until {@code expiry} (inclusive) unless it is already
   * there, the key used up its quota or the cache is full.
   */
  Outcome record(byte[] key, byte[] nonce, Instant expiry, Instant now) {
    evictExpired(now);
    ByteBuffer nonceKey = ByteBuffer.wrap(nonce.clone());
    if (expiries.containsKey(nonceKey)) {
      return Outcome.REPLAYED;
    }
    if (expiries.size() >= capacity) {
      return Outcome.FULL;
    }
    ByteBuffer keyId = ByteBuffer.wrap(key);
    int used = countsByKey.getOrDefault(keyId, 0);
    if (used >= perKey) {
      return Outcome.KEY_QUOTA_EXCEEDED;
    }
    expiries.put(nonceKey, expiry);
    countsByKey.put(keyId, used + 1);
    byExpiry.add(new Entry(expiry, nonceKey, keyId));
    return Outcome.RECORDED;
  }

  int size() {
    return expiries.size();
  }

  private void evictExpired(Instant now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry.isBefore(now)) {
      Entry gone = byExpiry.poll();
      expiries.remove(gone.nonce);
      countsByKey.computeIfPresent(gone.key, (k, n) -> n == 1 ? null : n - 1);
    }
  }
}
