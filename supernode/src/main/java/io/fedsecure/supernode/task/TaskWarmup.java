package io.fedsecure.supernode.task;

import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.GcmWarmup;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.proto.fleet.ReplyFrame;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.supernode.connection.FleetClient;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instruction's work outside training (opening and decoding a model-sized envelope,
 * encoding and sealing the update, framing and digesting the reply, signing a request) until
 * HotSpot has compiled it, with throwaway keys, once at start-up.
 *
 * <p>Why: a node does this twice per round, far below C2's compile thresholds, so a fresh node ran
 * it slowly in every round, on the round's critical path. Measured with the CIFAR-10 Net's 248 KB
 * envelope: AES-GCM took 3.3 ms per envelope until about 600 model-sized calls, 0.75 ms after, and
 * that count was not always enough on a loaded machine, so AES-GCM is left to {@link GcmWarmup},
 * which stops when it measures the fast path; the first decryption of a run took 170-180 ms, later
 * ones 10-30 ms on a loaded machine; signing a request costs 6-20 ms for the first few, 0.7 ms once
 * compiled. About a second at start-up; a time budget bounds it on slow machines.
 */
public final class TaskWarmup {
  private static final Logger log = LoggerFactory.getLogger(TaskWarmup.class);

  /**
   * Model-sized tasks (open, decode, encode, seal, frame, digest) before {@link GcmWarmup} runs.
   */
  static final int ROUNDS = 60;

  static final int SIGNATURES = 300;
  static final Duration BUDGET = Duration.ofSeconds(10);
  private static final String METHOD = "warmup/Warmup";

  private TaskWarmup() {}

  /**
   * Warms up for models of {@code layout}, on the calling thread: before the node activates, so
   * that it never competes with a first round for the CPU.
   */
  public static void warmUp(TensorLayout layout) {
    long start = System.nanoTime();
    try {
      long deadline = start + BUDGET.toNanos();
      run(layout, ROUNDS, SIGNATURES, deadline);
      GcmWarmup.Outcome gcm = GcmWarmup.run(WeightsCodec.encodedSize(layout), deadline);
      if (gcm.fast()) {
        log.info(
            "envelope, codec and request-signing paths warmed up in {} ms; {}",
            (System.nanoTime() - start) / 1_000_000,
            gcm.describe());
      } else {
        log.warn(
            "warm-up stopped at its {} s budget with {}: tasks stay correct, envelopes slower",
            BUDGET.toSeconds(),
            gcm.describe());
      }
    } catch (GeneralSecurityException
        | EnvelopeException
        | WeightsFormatException
        | RuntimeException e) {
      log.warn(
          "warm-up of the task path failed (tasks stay correct, the first ones slower): {}",
          e.toString());
    }
  }

  static void run(TensorLayout layout, int rounds, int signatures, long deadlineNanos)
      throws GeneralSecurityException, EnvelopeException, WeightsFormatException {
    SecureRandom random = new SecureRandom();
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    WeightKey key = WeightKey.fromBytes(rawKey);
    EnvelopeCipher cipher = new EnvelopeCipher();
    List<NamedTensor> model = new ArrayList<>();
    for (TensorSpec spec : layout.tensors()) {
      model.add(new NamedTensor(spec, new float[Math.toIntExact(spec.elementCount())]));
    }
    byte[] layoutDigest = layout.digest();
    ReplyHeader header = ReplyHeader.newBuilder().setInstructionId("warmup").build();
    for (int i = 0; i < rounds && System.nanoTime() < deadlineNanos; i++) {
      EnvelopeContext down =
          new EnvelopeContext(
              0, i, 0, Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, layoutDigest);
      byte[] received = cipher.seal(key, down, WeightsCodec.encode(model));
      List<NamedTensor> weights = WeightsCodec.decode(cipher.open(key, down, received), layout);
      EnvelopeContext up =
          new EnvelopeContext(
              0, i, 0, Direction.NODE_TO_SUPERLINK, MessageKind.TRAIN, layoutDigest);
      byte[] sealed = cipher.seal(key, up, WeightsCodec.encode(weights));
      RequestDigest digest = new RequestDigest();
      for (ReplyFrame frame : FleetClient.frames(header, sealed, 1 << 20)) {
        digest.update(frame.toByteArray());
      }
      digest.digest();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    // P-384: the curve of the node keys the project's scripts generate.
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    RequestSigner signer = new RequestSigner(generator.generateKeyPair(), Clock.systemUTC());
    byte[] bodyDigest = RequestDigest.of(new byte[] {1});
    for (int i = 0; i < signatures && System.nanoTime() < deadlineNanos; i++) {
      signer.sign(METHOD, bodyDigest);
    }
  }
}
