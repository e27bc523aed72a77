package io.fedsecure.superlink.run;

import io.fedsecure.proto.ConfigValue;
import io.fedsecure.superlink.model.ModelInitializer;
import io.fedsecure.superlink.strategy.FedAvgSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's configuration with Flower's key names and defaults (its FedAvg and the PyTorch example
 * app), except learning-rate 0.01, because 0.1 with momentum does not learn on this Net.
 *
 * <p>min-evaluate-nodes defaults to 2 like Flower's FedAvg, capped at the nodes available, so with
 * two nodes both evaluate even at fraction-evaluate 0.5. A round waits for max(min-available-nodes,
 * min-train-nodes) nodes, since fewer could never make a valid round.
 *
 * @param seed null when not given: {@link #effectiveSeed} derives one from the run id
 */
public record RunConfig(
    int numServerRounds,
    double fractionTrain,
    double fractionEvaluate,
    int localEpochs,
    int batchSize,
    double learningRate,
    int minTrainNodes,
    int minEvaluateNodes,
    int minAvailableNodes,
    Duration roundTimeout,
    Duration waitForNodesTimeout,
    Long seed,
    int modelSizeMb) {

  /** 0 (the default): Flower's example CNN; n > 0: a synthetic model of n MB for benchmarks. */
  public static final String MODEL_SIZE_MB = "model-size-mb";

  public static final String NUM_SERVER_ROUNDS = "num-server-rounds";
  public static final String FRACTION_TRAIN = "fraction-train";
  public static final String FRACTION_EVALUATE = "fraction-evaluate";
  public static final String LOCAL_EPOCHS = "local-epochs";
  public static final String BATCH_SIZE = "batch-size";
  public static final String LEARNING_RATE = "learning-rate";
  public static final String MIN_TRAIN_NODES = "min-train-nodes";
  public static final String MIN_EVALUATE_NODES = "min-evaluate-nodes";
  public static final String MIN_AVAILABLE_NODES = "min-available-nodes";
  public static final String ROUND_TIMEOUT = "round-timeout";
  public static final String WAIT_FOR_NODES_TIMEOUT = "wait-for-nodes-timeout";
  public static final String SEED = "seed";

  /** Parses overrides onto the defaults; unknown keys, wrong types and bad ranges are refused. */
  public static RunConfig parse(Map<String, ConfigValue> overrides, RunSettings settings)
      throws InvalidRunConfigException {
    int rounds = 3;
    double fractionTrain = 1.0;
    double fractionEvaluate = 0.5;
    int localEpochs = 1;
    int batchSize = 32;
    double learningRate = 0.01;
    int minTrain = 2;
    int minEvaluate = 2;
    int minAvailable = 2;
    Duration roundTimeout = settings.roundTimeout();
    Duration waitForNodes = settings.waitForNodesTimeout();
    Long seed = null;
    int modelSizeMb = 0;
    // Sorted so the error names the same key each time when several are wrong.
    for (Map.Entry<String, ConfigValue> e : new TreeMap<>(overrides).entrySet()) {
      String key = e.getKey();
      ConfigValue v = e.getValue();
      switch (key) {
        case NUM_SERVER_ROUNDS -> rounds = intIn(key, v, 1, 100_000);
        case FRACTION_TRAIN -> fractionTrain = fraction(key, v, false);
        case FRACTION_EVALUATE -> fractionEvaluate = fraction(key, v, true);
        case LOCAL_EPOCHS -> localEpochs = intIn(key, v, 1, 10_000);
        case BATCH_SIZE -> batchSize = intIn(key, v, 1, 1_000_000);
        case LEARNING_RATE -> learningRate = positive(key, v);
        case MIN_TRAIN_NODES -> minTrain = intIn(key, v, 1, 1_000_000);
        case MIN_EVALUATE_NODES -> minEvaluate = intIn(key, v, 0, 1_000_000);
        case MIN_AVAILABLE_NODES -> minAvailable = intIn(key, v, 1, 1_000_000);
        case ROUND_TIMEOUT -> roundTimeout = seconds(key, v);
        case WAIT_FOR_NODES_TIMEOUT -> waitForNodes = seconds(key, v);
        case MODEL_SIZE_MB -> modelSizeMb = intIn(key, v, 0, 1000);
        case SEED -> {
          if (v.getKindCase() != ConfigValue.KindCase.INT_VALUE) {
            throw new InvalidRunConfigException(key, "expected an integer, got " + describe(v));
          }
          seed = v.getIntValue();
        }
        default ->
            throw new InvalidRunConfigException(
                key, "unknown key; known keys are " + String.join(", ", knownKeys()));
      }
    }
    return new RunConfig(
        rounds,
        fractionTrain,
        fractionEvaluate,
        localEpochs,
        batchSize,
        learningRate,
        minTrain,
        minEvaluate,
        minAvailable,
        roundTimeout,
        waitForNodes,
        seed,
        modelSizeMb);
  }

  public static java.util.List<String> knownKeys() {
    return java.util.List.of(
        NUM_SERVER_ROUNDS,
        FRACTION_TRAIN,
        FRACTION_EVALUATE,
        LOCAL_EPOCHS,
        BATCH_SIZE,
        LEARNING_RATE,
        MIN_TRAIN_NODES,
        MIN_EVALUATE_NODES,
        MIN_AVAILABLE_NODES,
        ROUND_TIMEOUT,
        WAIT_FOR_NODES_TIMEOUT,
        SEED,
        MODEL_SIZE_MB);
  }

  public long effectiveSeed(long runId) {
    return seed != null ? seed : ModelInitializer.defaultSeed(runId);
  }

  /** How many nodes a round waits for. */
  public int nodesToWaitFor() {
    return Math.max(minAvailableNodes, minTrainNodes);
  }

  public FedAvgSettings fedAvgSettings(long maxNumExamples) {
    return new FedAvgSettings(
        fractionTrain, fractionEvaluate, minTrainNodes, minEvaluateNodes, maxNumExamples);
  }

  /** The effective config, every key present (what RunInfo shows). */
  public Map<String, ConfigValue> toConfigMap(long runId) {
    Map<String, ConfigValue> map = new LinkedHashMap<>(storedMap());
    map.put(SEED, ConfigValue.newBuilder().setIntValue(effectiveSeed(runId)).build());
    return map;
  }

  /** What is persisted: the seed only when the operator gave one. */
  public Map<String, ConfigValue> storedMap() {
    Map<String, ConfigValue> map = new LinkedHashMap<>();
    map.put(NUM_SERVER_ROUNDS, intValue(numServerRounds));
    map.put(FRACTION_TRAIN, doubleValue(fractionTrain));
    map.put(FRACTION_EVALUATE, doubleValue(fractionEvaluate));
    map.put(LOCAL_EPOCHS, intValue(localEpochs));
    map.put(BATCH_SIZE, intValue(batchSize));
    map.put(LEARNING_RATE, doubleValue(learningRate));
    map.put(MIN_TRAIN_NODES, intValue(minTrainNodes));
    map.put(MIN_EVALUATE_NODES, intValue(minEvaluateNodes));
    map.put(MIN_AVAILABLE_NODES, intValue(minAvailableNodes));
    map.put(ROUND_TIMEOUT, doubleValue(roundTimeout.toMillis() / 1000.0));
    map.put(WAIT_FOR_NODES_TIMEOUT, doubleValue(waitForNodesTimeout.toMillis() / 1000.0));
    if (seed != null) {
      map.put(SEED, intValue(seed));
    }
    map.put(MODEL_SIZE_MB, intValue(modelSizeMb));
    return map;
  }

  /** The part of the config a SuperNode needs for its local training. */
  public Map<String, ConfigValue> nodeConfig() {
    return Map.of(
        LOCAL_EPOCHS,
        intValue(localEpochs),
        BATCH_SIZE,
        intValue(batchSize),
        LEARNING_RATE,
        doubleValue(learningRate));
  }

  private static ConfigValue intValue(long v) {
    return ConfigValue.newBuilder().setIntValue(v).build();
  }

  private static ConfigValue doubleValue(double v) {
    return ConfigValue.newBuilder().setDoubleValue(v).build();
  }

  private static int intIn(String key, ConfigValue v, int min, int max)
      throws InvalidRunConfigException {
    if (v.getKindCase() != ConfigValue.KindCase.INT_VALUE) {
      throw new InvalidRunConfigException(key, "expected an integer, got " + describe(v));
    }
    long value = v.getIntValue();
    if (value < min || value > max) {
      throw new InvalidRunConfigException(key, "must be in " + min + ".." + max + ", got " + value);
    }
    return (int) value;
  }

  private static double number(String key, ConfigValue v) throws InvalidRunConfigException {
    double value =
        switch (v.getKindCase()) {
          case INT_VALUE -> v.getIntValue();
          case DOUBLE_VALUE -> v.getDoubleValue();
          default ->
              throw new InvalidRunConfigException(key, "expected a number, got " + describe(v));
        };
    if (!Double.isFinite(value)) {
      throw new InvalidRunConfigException(key, "must be finite, got " + value);
    }
    return value;
  }

  private static double fraction(String key, ConfigValue v, boolean zeroAllowed)
      throws InvalidRunConfigException {
    double value = number(key, v);
    if (value > 1 || value < 0 || (!zeroAllowed && value == 0)) {
      throw new InvalidRunConfigException(
          key, "must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got " + value);
    }
    return value;
  }

  private static double positive(String key, ConfigValue v) throws InvalidRunConfigException {
    double value = number(key, v);
    if (value <= 0) {
      throw new InvalidRunConfigException(key, "must be positive, got " + value);
    }
    return value;
  }

  private static Duration seconds(String key, ConfigValue v) throws InvalidRunConfigException {
    double value = number(key, v);
    if (value <= 0 || value > 7 * 24 * 3600) {
      throw new InvalidRunConfigException(
          key, "must be a positive number of seconds up to a week, got " + value);
    }
    return Duration.ofNanos((long) (value * 1e9));
  }

  private static String describe(ConfigValue v) {
    return switch (v.getKindCase()) {
      case INT_VALUE -> "integer " + v.getIntValue();
      case DOUBLE_VALUE -> "number " + v.getDoubleValue();
      case STRING_VALUE -> "string \"" + v.getStringValue() + "\"";
      case BOOL_VALUE -> "boolean " + v.getBoolValue();
      case KIND_NOT_SET -> "no value";
    };
  }
}
