package io.fedsecure.superlink.strategy;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeAuthenticationException;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.EnvelopeOpener;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.protocol.weights.WeightsStreamDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;

/**
 * FedAvg of one round's training replies, computed while the replies stream in, in bounded memory.
 *
 * <h2>Memory</h2>
 *
 * Two float32 copies of the model: the committed sum {@code acc} (Sum n_i * w_i over accepted
 * replies) and {@code next}, where the one reply being consumed writes {@code acc + n * w} segment
 * by segment. Replies are consumed one at a time (a single slot), and the others wait under gRPC
 * flow control holding only what the transport buffers, whatever the number of nodes. With the
 * global model the run engine sends (one encoded copy) that would be three model sizes; for large
 * models the engine creates the aggregate closed and {@link #open opens} it once the global model
 * has been sent to every node and let go, so at most two exist at a time.
 *
 * <h2>Soundness</h2>
 *
 * A reply is tentative until its stream ends, its signature checks out (at half-close) and its
 * envelope and weights finish cleanly. Only then is it committed, by swapping {@code next} and
 * {@code acc}. A reply that fails at any point (bad segment, NaN, truncation, missing last segment,
 * bad signature, deadline) is discarded by not swapping: {@code acc} never saw it. So the aggregate
 * equals, bit for bit, what the same replies without the failed one give. The sum is float32 with
 * one rounding per addition ((float) of the double sum): relative error about n * 2^-24 against
 * {@link FedAvg#weightedAverage}'s double sum, and the bits depend on the order replies arrive in.
 */
public final class StreamingAggregate {

  private final TensorLayout layout;
  private final byte[] layoutDigest;
  private final EnvelopeCipher cipher;
  private final long[] sizes;
  private float[][] acc;
  private float[][] next;
  private double totalExamples;
  private int committed;
  private boolean closed;
  private boolean opened;
  private Contribution holder;
  private final ArrayDeque<Contribution> waiting = new ArrayDeque<>();

  /**
   * @param open false to hold every reply (under flow control) until {@link #open()}: the run
   *     engine does that for large models until the global model has been sent to every node, so
   *     that the global model and the two sums are never in memory together
   */
  public StreamingAggregate(TensorLayout layout, EnvelopeCipher cipher, boolean open) {
    this.layout = layout;
    this.layoutDigest = layout.digest();
    this.cipher = cipher;
    this.sizes = layout.tensors().stream().mapToLong(TensorSpec::elementCount).toArray();
    this.opened = open;
  }

  /** Lets replies in, the first one waiting at once. Idempotent. */
  public void open() {
    Contribution first;
    synchronized (this) {
      if (opened) {
        return;
      }
      opened = true;
      first = closed || holder != null ? null : waiting.poll();
      holder = first != null ? first : holder;
    }
    if (first != null) {
      first.granted.run();
    }
  }

  /**
   * Starts consuming one reply whose header has been checked. {@code granted} runs (on this or
   * another thread) once the reply holds the slot and may be fed.
   */
  public Contribution begin(ExpectedReply expected, long numExamples, Runnable granted) {
    Contribution c = new Contribution(expected, numExamples, granted);
    boolean now;
    synchronized (this) {
      if (closed || (opened && holder == null)) {
        holder = closed ? null : c;
        now = true;
      } else {
        waiting.add(c);
        now = false;
      }
    }
    if (now) {
      granted.run();
    }
    return c;
  }

  /** Replies committed so far. */
  public synchronized int committed() {
    return committed;
  }

  /**
   * Ends the round: no more contributions; waiting streams are let through to be drained and
   * refused. Frees the scratch copy.
   */
  public void close() {
    List<Contribution> release;
    synchronized (this) {
      closed = true;
      holder = null;
      next = null;
      release = List.copyOf(waiting);
      waiting.clear();
    }
    release.forEach(c -> c.granted.run());
  }

  /**
   * The weighted mean, encoded in {@link WeightsCodec}'s format straight from the sum, so that no
   * third float copy exists. Call after {@link #close}.
   */
  public synchronized byte[] encodedMean() {
    if (committed == 0) {
      throw new IllegalStateException("nothing to average");
    }
    byte[] header = WeightsCodec.encodeHeader(layout);
    long size = header.length;
    for (long n : sizes) {
      size += 4 * n;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (float[] sum : acc) {
      for (float v : sum) {
        b.putFloat((float) (v / totalExamples));
      }
    }
    return b.array();
  }

  /** Gives up the slot; returns the next holder's grant, to be run outside the monitor. */
  private Runnable releaseLocked(Contribution c) {
    if (holder != c) {
      waiting.remove(c);
      return null;
    }
    holder = opened ? waiting.poll() : null;
    return holder == null ? null : holder.granted;
  }

  /**
   * One reply being consumed. Methods are called by one thread at a time (gRPC serialises a call's
   * events).
   */
  public final class Contribution {
    private final ExpectedReply expected;
    private final double weight;
    private final Runnable granted;
    private final EnvelopeOpener opener;
    private final WeightsStreamDecoder decoder = new WeightsStreamDecoder(layout);
    private String rejection;
    private boolean done;

    Contribution(ExpectedReply expected, long numExamples, Runnable granted) {
      this.expected = expected;
      this.weight = numExamples;
      this.granted = granted;
      EnvelopeContext context =
          new EnvelopeContext(
              expected.runId(),
              expected.round(),
              expected.participant().nodeId(),
              Direction.NODE_TO_SUPERLINK,
              Phase.TRAIN.messageKind(),
              layoutDigest);
      this.opener = cipher.openStream(expected.participant().key(), context);
    }

    /**
     * Feeds envelope bytes. After a failure the rest is read and ignored; {@link #commit} reports
     * why.
     */
    public void feed(byte[] data, int off, int len) {
      if (rejection != null || done) {
        return;
      }
      float[][] target;
      float[][] base;
      synchronized (StreamingAggregate.this) {
        if (closed || holder != this) {
          reject("the round closed while the update was arriving");
          return;
        }
        ensureBuffers();
        target = next;
        base = acc;
      }
      try {
        opener.update(
            data,
            off,
            len,
            (plain, n) ->
                decoder.update(
                    plain,
                    0,
                    n,
                    (t, o, v, count) -> {
                      float[] a = base[t];
                      float[] out = target[t];
                      int start = (int) o;
                      for (int i = 0; i < count; i++) {
                        out[start + i] = (float) (a[start + i] + weight * v[i]);
                      }
                    }));
      } catch (EnvelopeAuthenticationException e) {
        reject(
            "envelope failed authentication (tampered, replayed or sealed for another run/round/node/layout)");
      } catch (EnvelopeException e) {
        reject("envelope refused: " + e.getMessage());
      } catch (WeightsFormatException e) {
        reject("model update invalid: " + e.getMessage());
      }
    }

    /** The stream ended cleanly and its signature checked out: count the reply, or say why not. */
    public void commit() throws ReplyRejectedException {
      if (rejection == null && !done) {
        try {
          opener.finish();
          decoder.finish();
        } catch (EnvelopeException e) {
          reject("envelope refused: " + e.getMessage());
        } catch (WeightsFormatException e) {
          reject("model update invalid: " + e.getMessage());
        }
      }
      if (rejection != null) {
        throw new ReplyRejectedException(rejection);
      }
      synchronized (StreamingAggregate.this) {
        if (closed || holder != this) {
          abort();
          throw new ReplyRejectedException("the round closed while the update was arriving");
        }
        ensureBuffers();
        float[][] swap = acc;
        acc = next;
        next = swap;
        totalExamples += weight;
        committed++;
        done = true;
      }
      releaseSlot();
    }

    /** The reply will not count (stream broke, signature failed, refused): discard it. */
    public void abort() {
      done = true;
      releaseSlot();
    }

    private void reject(String why) {
      rejection = why;
      // Its remaining bytes are ignored, so the next reply may start at once.
      releaseSlot();
    }

    private void releaseSlot() {
      Runnable grant;
      synchronized (StreamingAggregate.this) {
        grant = releaseLocked(this);
      }
      if (grant != null) {
        grant.run();
      }
    }
  }

  private void ensureBuffers() {
    if (acc == null) {
      acc = new float[sizes.length][];
      for (int t = 0; t < sizes.length; t++) {
        acc[t] = new float[Math.toIntExact(sizes[t])];
      }
    }
    if (next == null) {
      next = new float[sizes.length][];
      for (int t = 0; t < sizes.length; t++) {
        next[t] = new float[Math.toIntExact(sizes[t])];
      }
    }
  }
}
