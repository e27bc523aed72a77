package io.fedsecure.superlink.run;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * SuperLink settings for runs ({@code superlink.runs.*}).
 *
 * @param dir where final models go: {@code <dir>/run-<id>/final_model.safetensors}
 * @param roundTimeout default of the run config's round-timeout
 * @param waitForNodesTimeout default of the run config's wait-for-nodes-timeout
 * @param nodeRecheckInterval the registry has no change events, so a round waiting for nodes also
 *     re-checks it at this interval (stream opens/closes wake it at once)
 * @param maxNumExamples replies claiming more examples than this are dropped
 * @param lowMemoryFrom models at least this large (parameter bytes) are aggregated only after the
 *     global model has gone out to every training node, so that it and the two aggregation buffers
 *     are never held together: about two model sizes of heap instead of three, at the cost of not
 *     overlapping the sending with the aggregating
 */
@ConfigurationProperties("superlink.runs")
public record RunSettings(
    @DefaultValue("runs") Path dir,
    @DefaultValue("600s") Duration roundTimeout,
    @DefaultValue("120s") Duration waitForNodesTimeout,
    @DefaultValue("1s") Duration nodeRecheckInterval,
    @DefaultValue("1000000000") long maxNumExamples,
    @DefaultValue("16MB") DataSize lowMemoryFrom) {}
