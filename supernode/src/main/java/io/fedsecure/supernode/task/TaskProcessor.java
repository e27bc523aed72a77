package io.fedsecure.supernode.task;

import io.fedsecure.crypto.envelope.Direction;
import io.fedsecure.crypto.envelope.EnvelopeCipher;
import io.fedsecure.crypto.envelope.EnvelopeContext;
import io.fedsecure.crypto.envelope.EnvelopeException;
import io.fedsecure.crypto.envelope.MessageKind;
import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.proto.ConfigValue;
import io.fedsecure.proto.fleet.Instruction;
import io.fedsecure.proto.fleet.ReplyHeader;
import io.fedsecure.protocol.MetricNames;
import io.fedsecure.protocol.TaskKinds;
import io.fedsecure.protocol.weights.NamedTensor;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.protocol.weights.WeightsCodec;
import io.fedsecure.protocol.weights.WeightsFormatException;
import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.training.LocalTrainer;
import io.fedsecure.supernode.training.LocalTrainer.EvalResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainResult;
import io.fedsecure.supernode.training.LocalTrainer.TrainSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instruction, start to end: replay and layout checks, decryption with the context this node
 * expects, local training or evaluation, encryption of the update. Problems become error replies;
 * no path replies with plaintext weights, and weights and keys are never logged.
 */
public final class TaskProcessor {
  private static final Logger log = LoggerFactory.getLogger(TaskProcessor.class);

  static final int DEFAULT_LOCAL_EPOCHS = 1;
  static final int DEFAULT_BATCH_SIZE = 32;
  static final double DEFAULT_LEARNING_RATE = 0.01;

  private final LocalTrainer trainer;
  private final WeightKey key;
  private final EnvelopeCipher cipher;
  private final Clock clock;
  private final ReplayGuard replayGuard = new ReplayGuard();

  /** The node's clock, which its instructions' deadlines are read against. */
  Clock clock() {
    return clock;
  }

  public TaskProcessor(LocalTrainer trainer, WeightKey key, EnvelopeCipher cipher, Clock clock) {
    this.trainer = trainer;
    this.key = key;
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * Handles one instruction for this node ({@code nodeId} as assigned on activation). Throws {@link
   * NodeStartupException} only when the node itself cannot go on (e.g. its dataset vanished).
   */
  public Reply handle(long nodeId, Instruction instruction, byte[] envelope) {
    String round = "round " + instruction.getRound();
    MessageKind kind = TaskKinds.messageKind(instruction.getKind()).orElse(null);
    if (kind == null) {
      return error(nodeId, instruction, "unsupported task kind " + instruction.getKind());
    }
    String task = round + " " + kind.name().toLowerCase();
    String refusal = replayGuard.refusal(instruction.getRunId(), instruction.getRound(), kind);
    if (refusal != null) {
      log.warn(
          "refusing instruction {} (run {} {}): {}",
          instruction.getInstructionId(),
          instruction.getRunId(),
          task,
          refusal);
      return error(nodeId, instruction, "refused as a replay: " + refusal);
    }
    if (instruction.getDeadlineUnixMs() > 0 && clock.millis() > instruction.getDeadlineUnixMs()) {
      return error(
          nodeId,
          instruction,
          "the deadline of " + task + " had passed before the node could start it");
    }
    TensorLayout layout = trainer.layout();
    Optional<String> difference =
        Layouts.firstDifference(TensorLayout.fromProto(instruction.getLayout()), layout);
    if (difference.isPresent()) {
      return error(
          nodeId,
          instruction,
          "model layout of " + task + " is not this node's model: " + difference.get());
    }
    byte[] layoutDigest = layout.digest();
    long opening = System.nanoTime();
    List<NamedTensor> weights;
    try {
      byte[] plaintext =
          cipher.open(
              key,
              new EnvelopeContext(
                  instruction.getRunId(),
                  instruction.getRound(),
                  nodeId,
                  Direction.SUPERLINK_TO_NODE,
                  kind,
                  layoutDigest),
              envelope);
      weights = WeightsCodec.decode(plaintext, layout);
    } catch (EnvelopeException e) {
      log.warn(
          "cannot decrypt the global model of run {} {}: {}",
          instruction.getRunId(),
          task,
          e.getMessage());
      return error(
          nodeId,
          instruction,
          "cannot decrypt the global model for " + round + ": " + e.getMessage());
    } catch (WeightsFormatException e) {
      return error(
          nodeId,
          instruction,
          "the decrypted global model for " + round + " is malformed: " + e.getMessage());
    }
    replayGuard.record(instruction.getRunId(), instruction.getRound(), kind);
    log.info(
        "run {} {}: global model decrypted ({} parameters) in {} ms, starting",
        instruction.getRunId(),
        task,
        layout.parameterCount(),
        String.format("%.1f", (System.nanoTime() - opening) / 1e6));
    try {
      return kind == MessageKind.TRAIN
          ? train(nodeId, instruction, weights, layoutDigest)
          : evaluate(nodeId, instruction, weights);
    } catch (NodeStartupException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      return error(nodeId, instruction, e.getMessage());
    } catch (RuntimeException e) {
      log.error("run {} {} failed: {}", instruction.getRunId(), task, e.toString());
      return error(nodeId, instruction, task + " failed on this node: " + e);
    }
  }

  private Reply train(
      long nodeId, Instruction instruction, List<NamedTensor> weights, byte[] layoutDigest) {
    Map<String, ConfigValue> config = instruction.getConfigMap();
    TrainSettings settings =
        new TrainSettings(
            positiveInt(config, "local-epochs", DEFAULT_LOCAL_EPOCHS),
            positiveInt(config, "batch-size", DEFAULT_BATCH_SIZE),
            positiveDouble(config, "learning-rate", DEFAULT_LEARNING_RATE));
    TrainResult result = trainer.train(weights, settings);
    long sealing = System.nanoTime();
    byte[] sealed =
        cipher.seal(
            key,
            new EnvelopeContext(
                instruction.getRunId(),
                instruction.getRound(),
                nodeId,
                Direction.NODE_TO_SUPERLINK,
                MessageKind.TRAIN,
                layoutDigest),
            WeightsCodec.encode(result.weights()));
    long sealedAt = System.nanoTime();
    log.info(
        "run {} round {} train: {} examples, {} epochs, loss {}, {} s local; update encrypted ({} bytes) in {} ms",
        instruction.getRunId(),
        instruction.getRound(),
        result.numExamples(),
        settings.localEpochs(),
        String.format("%.4f", result.meanLoss()),
        String.format("%.3f", result.seconds()),
        sealed.length,
        String.format("%.1f", (sealedAt - sealing) / 1e6));
    ReplyHeader header =
        header(nodeId, instruction)
            .setNumExamples(result.numExamples())
            .putMetrics(MetricNames.TRAIN_LOSS, result.meanLoss())
            .putMetrics(MetricNames.LOCAL_SECONDS, result.seconds())
            .setPayloadSize(sealed.length)
            .build();
    return new Reply(header, sealed);
  }

  private Reply evaluate(long nodeId, Instruction instruction, List<NamedTensor> weights) {
    int batchSize = positiveInt(instruction.getConfigMap(), "batch-size", DEFAULT_BATCH_SIZE);
    EvalResult result = trainer.evaluate(weights, batchSize);
    log.info(
        "run {} round {} evaluate: {} examples, loss {}, accuracy {}, {} s local",
        instruction.getRunId(),
        instruction.getRound(),
        result.numExamples(),
        String.format("%.4f", result.loss()),
        String.format("%.4f", result.accuracy()),
        String.format("%.3f", result.seconds()));
    ReplyHeader header =
        header(nodeId, instruction)
            .setNumExamples(result.numExamples())
            .putMetrics(MetricNames.EVAL_LOSS, result.loss())
            .putMetrics(MetricNames.EVAL_ACCURACY, result.accuracy())
            .putMetrics(MetricNames.LOCAL_SECONDS, result.seconds())
            .build();
    return new Reply(header, new byte[0]);
  }

  /** An error reply: the header names the instruction and the problem, no payload. */
  public Reply error(long nodeId, Instruction instruction, String problem) {
    return new Reply(header(nodeId, instruction).setError(problem).build(), new byte[0]);
  }

  private static ReplyHeader.Builder header(long nodeId, Instruction instruction) {
    return ReplyHeader.newBuilder()
        .setInstructionId(instruction.getInstructionId())
        .setNodeId(nodeId)
        .setRunId(instruction.getRunId())
        .setRound(instruction.getRound())
        .setKind(instruction.getKind());
  }

  private static int positiveInt(Map<String, ConfigValue> config, String name, int defaultValue) {
    ConfigValue value = config.get(name);
    if (value == null) {
      return defaultValue;
    }
    long n =
        switch (value.getKindCase()) {
          case INT_VALUE -> value.getIntValue();
          case DOUBLE_VALUE ->
              value.getDoubleValue() == Math.rint(value.getDoubleValue())
                  ? (long) value.getDoubleValue()
                  : -1;
          default -> -1;
        };
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "run config " + name + " must be a positive integer, got " + render(value));
    }
    return (int) n;
  }

  private static double positiveDouble(
      Map<String, ConfigValue> config, String name, double defaultValue) {
    ConfigValue value = config.get(name);
    if (value == null) {
      return defaultValue;
    }
    double d =
        switch (value.getKindCase()) {
          case INT_VALUE -> value.getIntValue();
          case DOUBLE_VALUE -> value.getDoubleValue();
          default -> Double.NaN;
        };
    if (!(d > 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(
          "run config " + name + " must be a positive number, got " + render(value));
    }
    return d;
  }

  private static String render(ConfigValue value) {
    return switch (value.getKindCase()) {
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case STRING_VALUE -> "\"" + value.getStringValue() + "\"";
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> "nothing";
    };
  }
}
