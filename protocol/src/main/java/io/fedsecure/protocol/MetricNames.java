package io.fedsecure.protocol;

/**
 * Names of the metrics a SuperNode reports in a {@code ReplyHeader} and the SuperLink aggregates.
 */
public final class MetricNames {

  /** Mean training loss over the node's local epochs (training replies). */
  public static final String TRAIN_LOSS = "train_loss";

  /** Loss on the node's test split (evaluation replies). */
  public static final String EVAL_LOSS = "eval_loss";

  /** Accuracy in [0, 1] on the node's test split (evaluation replies). */
  public static final String EVAL_ACCURACY = "eval_accuracy";

  /** Seconds the node spent on the task itself, without transfer (both kinds). */
  public static final String LOCAL_SECONDS = "local_seconds";

  private MetricNames() {}
}
