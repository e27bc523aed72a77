package io.fedsecure.superlink.warmup;

import io.fedsecure.crypto.auth.RequestDigest;
import io.fedsecure.crypto.auth.RequestSigner;
import io.fedsecure.crypto.auth.RequestVerifier;
import io.fedsecure.crypto.auth.SignatureRejectedException;
import io.fedsecure.crypto.auth.SignedRequest;
import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.EnvelopeOpener;
import io.fedsecure.crypto.envelope.EnvelopeSealer;
import io.fedsecure.crypto.envelope.GcmWarmup;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.protocol.weights.WeightsStreamDecoder;
import io.fedsecure.superlink.model.ModelInitializer;
import io.fedsecure.superlink.model.NetLayout;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Runs a round's per-message work (sealing a model-sized envelope, opening and decoding one as a
 * reply stream, the body digest, a request-signature check) until HotSpot has compiled it, on a
 * background thread at start-up, with throwaway keys.
 *
 * <p>Why: a run seals a few envelopes and checks a few signatures per round, far below C2's compile
 * thresholds, so without this every round of a fresh SuperLink ran them slowly, on the round's
 * critical path (between "instruction queued" and "reply accepted" in the round timing). Measured
 * with the CIFAR-10 Net's 248 KB envelopes: sealing or opening took 3.3 ms until about 600
 * model-sized AES-GCM calls had been made, and on a loaded machine a fixed number of calls was not
 * always enough, so AES-GCM is left to {@link GcmWarmup}, which stops when it measures the fast
 * path. This class adds the rest of a reply's path (streamed open, decode, digest). A BouncyCastle
 * ECDSA verification takes about 15 ms for the first few, 0.4 ms once compiled (P-384, the curve of
 * the keys the project generates). In the background because nothing needs it before the first run,
 * which starts after nodes have joined and waits for {@link #done()} (a round overlapping the
 * warm-up would share the CPU with it); it stops at a time budget on a machine too slow to finish.
 */
@Component
public class EnvelopeWarmup implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(EnvelopeWarmup.class);

  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Completes when the warm-up has finished, failed or run out of budget. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Model-sized seal, streamed open, decode and digest passes before {@link GcmWarmup} runs. */
  static final int ROUNDS = 60;

  static final int SIGNATURES = 300;
  static final Duration BUDGET = Duration.ofSeconds(20);
  private static final String METHOD = "warmup/Warmup";

  @Override
  public void afterPropertiesSet() {
    Thread t =
        new Thread(
            () -> {
              long start = System.nanoTime();
              try {
                long deadline = start + BUDGET.toNanos();
                run(NetLayout.LAYOUT, ROUNDS, SIGNATURES, deadline);
                GcmWarmup.Outcome gcm =
                    GcmWarmup.run(WeightsCodec.encodedSize(NetLayout.LAYOUT), deadline);
                if (gcm.fast()) {
                  log.info(
                      "Envelope and request-signature paths warmed up in {} ms; {}",
                      (System.nanoTime() - start) / 1_000_000,
                      gcm.describe());
                } else {
                  log.warn(
                      "Envelope warm-up stopped at its {} s budget with {}: rounds stay correct, envelopes slower",
                      BUDGET.toSeconds(),
                      gcm.describe());
                }
              } catch (Exception e) {
                log.warn(
                    "Warm-up of the envelope path failed (rounds stay correct, the first ones slower): {}",
                    e.toString());
              } finally {
                done.complete(null);
              }
            },
            "envelope-warmup");
    t.setDaemon(true);
    t.start();
  }

  static void run(TensorLayout layout, int rounds, int signatures, long deadlineNanos)
      throws GeneralSecurityException,
          EnvelopeException,
          WeightsFormatException,
          SignatureRejectedException {
    SecureRandom random = new SecureRandom();
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    WeightKey key = WeightKey.fromBytes(rawKey);
    EnvelopeCipher cipher = new EnvelopeCipher();
    byte[] model = WeightsCodec.encode(ModelInitializer.initialise(layout, random.nextLong()));
    byte[] layoutDigest = layout.digest();
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < rounds && System.nanoTime() < deadlineNanos; i++) {
      EnvelopeContext context =
          new EnvelopeContext(
              0, i, 0, Direction.SUPERLINK_TO_NODE, MessageKind.TRAIN, layoutDigest);
      EnvelopeSealer sealer = cipher.sealStream(key, context, model);
      EnvelopeOpener opener = cipher.openStream(key, context);
      WeightsStreamDecoder decoder = new WeightsStreamDecoder(layout);
      RequestDigest body = new RequestDigest();
      int n;
      while ((n = sealer.read(chunk, 0, chunk.length)) > 0) {
        body.update(Arrays.copyOf(chunk, n));
        opener.update(
            chunk, 0, n, (plain, len) -> decoder.update(plain, 0, len, (t, o, v, count) -> {}));
      }
      opener.finish();
      decoder.finish();
      body.digest();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = generator.generateKeyPair();
    RequestSigner signer = new RequestSigner(pair, Clock.systemUTC());
    // Its own replay cache, sized so that every warm-up nonce fits (a full cache refuses requests).
    int checks = Math.min(signatures, SIGNATURES);
    RequestVerifier verifier =
        new RequestVerifier(
            Clock.systemUTC(), Duration.ofMinutes(1), Duration.ofMinutes(1), checks + 1);
    byte[] bodyDigest = RequestDigest.of(new byte[] {1});
    for (int i = 0; i < checks && System.nanoTime() < deadlineNanos; i++) {
      SignedRequest request = signer.sign(METHOD, bodyDigest);
      verifier.verify(pair.getPublic(), METHOD, request, bodyDigest);
    }
  }
}
