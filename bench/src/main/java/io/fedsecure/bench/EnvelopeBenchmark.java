package io.fedsecure.bench;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Envelope seal and open (AES-256-GCM, JDK provider, 1 MiB segments) of the CNN's 248,024-byte
 * encoded weights and of a 50 MB payload. Throughput in ops/s; {@link ThroughputReport} turns it
 * into MB/s using {@code size}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class EnvelopeBenchmark {

  @Param({"248024", "52428800"})
  public int size;

  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private WeightKey key;
  private EnvelopeContext context;
  private byte[] plaintext;
  private byte[] sealed;

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    key = WeightKey.fromBytes(raw);
    byte[] layout = new byte[32];
    random.nextBytes(layout);
    context = new EnvelopeContext(1, 1, 1, Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, layout);
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    sealed = cipher.seal(key, context, plaintext);
  }

  @Benchmark
  public byte[] seal() {
    return cipher.seal(key, context, plaintext);
  }

  @Benchmark
  public byte[] open() throws EnvelopeException {
    return cipher.open(key, context, sealed);
  }
}
