package io.fedsecure.crypto.auth;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Nonces seen inside the freshness window, each kept until its request's timestamp falls out of
 * the window. Bounded: when full of unexpired nonces it refuses rather than forgets, because
 * forgetting a nonce inside the window would let its request be replayed. Not thread-safe; the
 * verifier serialises access.
 */
final class NonceCache {

  enum Outcome { RECORDED, REPLAYED, FULL }

  private record Entry(Instant expiry, ByteBuffer nonce) {}

  private final int capacity;
  private final Map<ByteBuffer, Instant> expiries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expiry.compareTo(b.expiry));

  NonceCache(int capacity) {
    this.capacity = capacity;
  }

  /** Records {@code nonce} until {@code expiry} (inclusive) unless it is already there or the cache is full. */
  Outcome record(byte[] nonce, Instant expiry, Instant now) {
    evictExpired(now);
    ByteBuffer key = ByteBuffer.wrap(nonce.clone());
    if (expiries.containsKey(key)) {
      return Outcome.REPLAYED;
    }
    if (expiries.size() >= capacity) {
      return Outcome.FULL;
    }
    expiries.put(key, expiry);
    byExpiry.add(new Entry(expiry, key));
    return Outcome.RECORDED;
  }

  int size() {
    return expiries.size();
  }

  private void evictExpired(Instant now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry.isBefore(now)) {
      expiries.remove(byExpiry.poll().nonce);
    }
  }
}
