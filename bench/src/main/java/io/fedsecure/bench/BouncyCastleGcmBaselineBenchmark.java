package io.fedsecure.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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
 * Baseline for the envelope figures: BouncyCastle's own AES-256-GCM (lightweight API, no JCA) on
 * the same 248,024-byte payload. The method name contains "Envelope" so that the documented
 * selection {@code java -jar benchmarks.jar Envelope} runs the baseline too and results read as
 * ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class BouncyCastleGcmBaselineBenchmark {

  @Param({"248024"})
  public int size;

  private final SecureRandom random = new SecureRandom();
  private KeyParameter key;
  private byte[] plaintext;
  private byte[] aad;

  @Setup
  public void setUp() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    key = new KeyParameter(raw);
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    aad = new byte[80];
  }

  @Benchmark
  public byte[] encryptEnvelopeBaseline() throws InvalidCipherTextException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(key, 128, nonce, aad));
    byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
    gcm.doFinal(out, n);
    return out;
  }
}
