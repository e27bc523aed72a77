package io.fedsecure.superlink.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.TensorSpec;
import io.fedsecure.protocol.weights.WeightsCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Streaming FedAvg: one reply at a time, failed replies leave no trace in the aggregate. */
class StreamingAggregateTest {

  private static final TensorLayout LAYOUT =
      new TensorLayout(
          List.of(TensorSpec.float32("fc.weight", 300, 1000), TensorSpec.float32("fc.bias", 300)));
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final SplittableRandom random = new SplittableRandom(7);

  private record Node(
      ExpectedReply expected, List<NamedTensor> model, long examples, byte[] envelope) {}

  private Node node(int id, long examples) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    Participant p = new Participant(id, "node-" + id, WeightKey.fromBytes(raw));
    List<NamedTensor> model = new ArrayList<>();
    for (TensorSpec spec : LAYOUT.tensors()) {
      float[] data = new float[(int) spec.elementCount()];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) random.nextDouble(-1, 1);
      }
      model.add(new NamedTensor(spec, data));
    }
    ExpectedReply expected = new ExpectedReply("i-" + id, 1, 2, Phase.TRAIN, p);
    EnvelopeContext context =
        new EnvelopeContext(
            1, 2, id, Direction.NODE_TO_SUPERLINK, MessageKind.TRAIN, LAYOUT.digest());
    return new Node(
        expected, model, examples, cipher.seal(p.key(), context, WeightsCodec.encode(model)));
  }

  private static void stream(StreamingAggregate.Contribution c, byte[] envelope, int upTo) {
    for (int off = 0; off < upTo; off += 1 << 20) {
      c.feed(envelope, off, Math.min(1 << 20, upTo - off));
    }
  }

  private byte[] aggregate(List<Node> nodes, Node failing, String how) throws Exception {
    StreamingAggregate agg = new StreamingAggregate(LAYOUT, cipher, true);
    for (Node n : nodes) {
      if (n == failing) {
        StreamingAggregate.Contribution c = agg.begin(n.expected(), n.examples(), () -> {});
        byte[] env = n.envelope().clone();
        switch (how) {
          case "bit-flip" -> {
            env[env.length - 5] ^= 1;
            stream(c, env, env.length);
            assertThatThrownBy(c::commit)
                .isInstanceOf(ReplyRejectedException.class)
                .hasMessageContaining("authentication");
          }
          case "truncated" -> {
            stream(c, env, env.length - 1000);
            assertThatThrownBy(c::commit)
                .isInstanceOf(ReplyRejectedException.class)
                .hasMessageContaining("truncated");
          }
          default -> { // the stream broke or its signature failed after most of it had been added
            stream(c, env, env.length - 10);
            c.abort();
          }
        }
        continue;
      }
      StreamingAggregate.Contribution c = agg.begin(n.expected(), n.examples(), () -> {});
      stream(c, n.envelope(), n.envelope().length);
      c.commit();
    }
    agg.close();
    return agg.encodedMean();
  }

  @Test
  void aReplyFailingMidStreamLeavesExactlyTheAggregateOfTheOthers() throws Exception {
    Node a = node(1, 100);
    Node b = node(2, 250);
    Node c = node(3, 40);
    byte[] others = aggregate(List.of(a, c), null, "");
    for (String how : List.of("bit-flip", "truncated", "aborted")) {
      assertThat(aggregate(List.of(a, b, c), b, how)).as(how).isEqualTo(others);
    }
    List<NamedTensor> mean = WeightsCodec.decode(others, LAYOUT);
    List<NamedTensor> reference =
        FedAvg.weightedAverage(
            LAYOUT,
            List.of(
                new FedAvg.WeightedModel(a.model(), a.examples()),
                new FedAvg.WeightedModel(c.model(), c.examples())));
    for (int t = 0; t < LAYOUT.tensors().size(); t++) {
      float[] got = mean.get(t).data();
      float[] want = reference.get(t).data();
      for (int i = 0; i < got.length; i++) {
        // float32 sums with one rounding each: within a few ulps of the double-accumulated mean.
        assertThat((double) got[i]).isCloseTo(want[i], within(4e-7));
      }
    }
  }

  @Test
  void repliesAreConsumedOneAtATimeAndTheNextIsGrantedWhenTheSlotFrees() throws Exception {
    Node a = node(1, 10);
    Node b = node(2, 10);
    StreamingAggregate agg = new StreamingAggregate(LAYOUT, cipher, true);
    AtomicInteger grantsA = new AtomicInteger();
    AtomicInteger grantsB = new AtomicInteger();
    StreamingAggregate.Contribution ca = agg.begin(a.expected(), 10, grantsA::incrementAndGet);
    StreamingAggregate.Contribution cb = agg.begin(b.expected(), 10, grantsB::incrementAndGet);
    assertThat(grantsA).hasValue(1);
    assertThat(grantsB).as("waits under flow control").hasValue(0);
    stream(ca, a.envelope(), a.envelope().length);
    ca.commit();
    assertThat(grantsB).hasValue(1);
    stream(cb, b.envelope(), b.envelope().length);
    cb.commit();
    assertThat(agg.committed()).isEqualTo(2);
  }

  @Test
  void closingTheRoundRefusesTheReplyInFlightAndReleasesTheWaiting() throws Exception {
    Node a = node(1, 10);
    Node b = node(2, 10);
    StreamingAggregate agg = new StreamingAggregate(LAYOUT, cipher, true);
    StreamingAggregate.Contribution ca = agg.begin(a.expected(), 10, () -> {});
    AtomicInteger grantsB = new AtomicInteger();
    StreamingAggregate.Contribution cb = agg.begin(b.expected(), 10, grantsB::incrementAndGet);
    stream(ca, a.envelope(), 1 << 20);
    agg.close();
    assertThat(grantsB).as("let through to be drained").hasValue(1);
    stream(ca, a.envelope(), a.envelope().length);
    assertThatThrownBy(ca::commit)
        .isInstanceOf(ReplyRejectedException.class)
        .hasMessageContaining("closed");
    stream(cb, b.envelope(), b.envelope().length);
    assertThatThrownBy(cb::commit).isInstanceOf(ReplyRejectedException.class);
    assertThat(agg.committed()).isZero();
  }

  @Test
  void aClosedGateHoldsEveryReplyUntilOpenedThenGrantsOneAtATime() throws Exception {
    Node a = node(1, 10);
    Node b = node(2, 30);
    StreamingAggregate agg = new StreamingAggregate(LAYOUT, cipher, false);
    AtomicInteger grantsA = new AtomicInteger();
    AtomicInteger grantsB = new AtomicInteger();
    StreamingAggregate.Contribution ca = agg.begin(a.expected(), 10, grantsA::incrementAndGet);
    StreamingAggregate.Contribution cb = agg.begin(b.expected(), 30, grantsB::incrementAndGet);
    assertThat(grantsA).as("held until the global model is sent").hasValue(0);
    assertThat(grantsB).hasValue(0);
    agg.open();
    agg.open();
    assertThat(grantsA).as("first in, first granted; opening twice grants once").hasValue(1);
    assertThat(grantsB).hasValue(0);
    stream(ca, a.envelope(), a.envelope().length);
    ca.commit();
    assertThat(grantsB).hasValue(1);
    stream(cb, b.envelope(), b.envelope().length);
    cb.commit();
    agg.close();
    assertThat(agg.committed()).isEqualTo(2);
    assertThat(WeightsCodec.decode(agg.encodedMean(), LAYOUT).get(0).data())
        .isEqualTo(WeightsCodec.decode(aggregate(List.of(a, b), null, ""), LAYOUT).get(0).data());
  }

  @Test
  void aReplyAbandonedBeforeTheGateOpensIsNeverGranted() throws Exception {
    Node a = node(1, 10);
    Node b = node(2, 10);
    StreamingAggregate agg = new StreamingAggregate(LAYOUT, cipher, false);
    AtomicInteger grantsA = new AtomicInteger();
    AtomicInteger grantsB = new AtomicInteger();
    StreamingAggregate.Contribution ca = agg.begin(a.expected(), 10, grantsA::incrementAndGet);
    StreamingAggregate.Contribution cb = agg.begin(b.expected(), 10, grantsB::incrementAndGet);
    ca.abort();
    agg.open();
    assertThat(grantsA).hasValue(0);
    assertThat(grantsB).hasValue(1);
    stream(cb, b.envelope(), b.envelope().length);
    cb.commit();
    assertThat(agg.committed()).isEqualTo(1);
  }
}
