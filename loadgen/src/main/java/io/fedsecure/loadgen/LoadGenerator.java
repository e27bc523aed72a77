package io.fedsecure.loadgen;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedsecure.cli.http.ControlClient;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.RunStatus;
import io.fedsecure.protocol.weights.SyntheticLayouts;
import io.fedsecure.protocol.weights.TensorLayout;
import io.fedsecure.supernode.connection.SuperLinkAddress;
import io.fedsecure.supernode.task.TaskWarmup;
import io.fedsecure.supernode.training.CifarNet;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs N simulated SuperNodes in this JVM against a real SuperLink process, for one round, and
 * reports connect time, round overhead, dispatch-to-reply latency, the SuperLink's peak heap and
 * CPU time, and whether the SuperLink's aggregate is bit-exact. Prints one JSON line and a table.
 *
 * <pre>
 * java -jar loadgen/target/loadgen.jar --nodes 1000 --work-dir W --superlink-jar superlink/target/superlink.jar
 * </pre>
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description =
        "N simulated SuperNodes (real TLS, signatures, envelopes; synthetic training) against a real SuperLink.")
public final class LoadGenerator implements Callable<Integer> {

  @Option(names = "--nodes", required = true, description = "Number of simulated SuperNodes.")
  int nodes;

  @Option(
      names = "--work-dir",
      required = true,
      description = "Fresh directory for certificates, keys, the SuperLink's state and logs.")
  Path workDir;

  @Option(
      names = "--superlink-jar",
      defaultValue = "superlink/target/superlink.jar",
      description = "SuperLink jar (default: ${DEFAULT-VALUE}).")
  Path superlinkJar;

  @Option(
      names = "--superlink-heap",
      defaultValue = "1g",
      description = "SuperLink -Xmx (default: ${DEFAULT-VALUE}).")
  String superlinkHeap;

  @Option(
      names = "--superlink-jvm-arg",
      description = "Extra SuperLink JVM argument (repeatable), e.g. -XX:StartFlightRecording=...")
  List<String> superlinkJvmArgs = new ArrayList<>();

  @Option(
      names = "--workers",
      defaultValue = "32",
      description = "Threads for the nodes' task work (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--connect-concurrency",
      defaultValue = "64",
      description = "Nodes connecting at once (default: ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(
      names = "--fraction-evaluate",
      defaultValue = "0.01",
      description = "Run config fraction-evaluate (default: ${DEFAULT-VALUE}).")
  double fractionEvaluate;

  @Option(
      names = "--timeout",
      defaultValue = "PT15M",
      description = "Give up after this long in all (ISO-8601; default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--warmup-runs",
      defaultValue = "1",
      description =
          "One-round runs before the measured one, whose figures are kept apart (default: ${DEFAULT-VALUE}; 0 measures a fresh SuperLink's first round).")
  int warmupRuns;

  @Option(names = "--out", description = "Append the JSON result line to this file.")
  Path out;

  @Option(
      names = "--model-size-mb",
      defaultValue = "0",
      description =
          "0: Flower's Net; M: the synthetic M MB model, in the run config (model-size-mb) and every node's trainer.")
  int modelSizeMb;

  @Option(
      names = "--max-message-size",
      defaultValue = "8MB",
      paramLabel = "SIZE",
      description =
          "Largest gRPC message either side accepts (nodes' channels and the SuperLink's Fleet API; default: ${DEFAULT-VALUE}).")
  String maxMessageSizeText;

  private DataSize maxMessageSize;

  private final PrintStream stdout = System.out;

  public static void main(String[] args) {
    // The synthetic trainer never touches DJL; this only guards against a future change that would.
    System.setProperty("ai.djl.offline", "true");
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--nodes must be at least 1");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> result = new LinkedHashMap<>();
    ScaleResult measured = new ScaleResult(result);
    maxMessageSize = DataSize.parse(maxMessageSizeText);
    TensorLayout layout =
        modelSizeMb > 0 ? SyntheticLayouts.ofMegabytes(modelSizeMb) : CifarNet.LAYOUT;
    result.put("nodes", nodes);
    result.put("parameters", layout.parameterCount());
    result.put("model_bytes", SyntheticLayouts.parameterBytes(layout));
    result.put("max_message_bytes", maxMessageSize.toBytes());
    result.put("started_at", Instant.now().toString());

    long t = System.nanoTime();
    LoadGenMaterial material = LoadGenMaterial.create(workDir, nodes);
    progress("material for %d nodes in %.1f s", nodes, seconds(t));

    Path gcLog = workDir.toAbsolutePath().resolve("superlink-gc.log");
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-Xmx" + superlinkHeap,
                // The peak gauge counts garbage too; the GC log's after-collection sizes bound what
                // was live.
                "-Xlog:gc:file=" + gcLog,
                "-Dsuperlink.fleet-api.max-inbound-message-size="
                    + maxMessageSize.toBytes()
                    + "B"));
    jvm.addAll(superlinkJvmArgs);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread thread = new Thread(r, "loadgen-task");
              thread.setDaemon(true);
              return thread;
            });
    List<SimulatedNode> simulated = new ArrayList<>();
    boolean ok = false;
    try (SuperLinkProcess superlink =
        SuperLinkProcess.start(superlinkJar, jvm, material, Duration.ofSeconds(120))) {
      result.put("superlink_heap_max", superlinkHeap);
      Operator operator =
          new Operator(
              ControlClient.connect(material.operatorConnection(superlink.controlPort)), deadline);

      t = System.nanoTime();
      operator.register(material.nodes);
      measured.put("register_seconds", seconds(t));
      progress("registered %d public keys in %.1f s", nodes, seconds(t));

      LatencyRecorder latencies = new LatencyRecorder();
      GlobalModelWitness witness = new GlobalModelWitness();
      SuperLinkAddress address = new SuperLinkAddress("127.0.0.1", superlink.fleetPort);
      SimulatedNode.Shared shared =
          new SimulatedNode.Shared(
              address,
              SimulatedNode.Shared.properties(address, maxMessageSize),
              material.caCertificate(),
              pool);
      for (LoadGenMaterial.Node node : material.nodes) {
        simulated.add(new SimulatedNode(node, shared, layout, latencies, witness));
      }

      // As a SuperNode does before it activates; once for all, since the simulated nodes share this
      // JVM.
      t = System.nanoTime();
      TaskWarmup.warmUp(layout);
      progress("task path warmed up in %.1f s", seconds(t));

      double cpuBeforeConnect = superlink.cpuSeconds();
      long connectStart = System.nanoTime();
      connectAll(simulated, deadline);
      double activatedSeconds = seconds(connectStart);
      operator.awaitOnline(nodes);
      double onlineSeconds = seconds(connectStart);
      measured.put("connect_seconds", onlineSeconds);
      measured.put("all_activated_seconds", activatedSeconds);
      progress(
          "all %d nodes activated in %.2f s, online at the SuperLink in %.2f s",
          nodes, activatedSeconds, onlineSeconds);
      measured.put("superlink_cpu_connect_seconds", superlink.cpuSeconds() - cpuBeforeConnect);

      // The SuperLink warms its envelope path up in the background after start-up (EnvelopeWarmup,
      // up to 20 s of CPU): a round overlapping it would time that work too, on these two cores.
      boolean warm =
          superlink.awaitLog(
              Duration.ofSeconds(60),
              "warmed up in",
              "Warm-up of the envelope path failed",
              "warm-up stopped at its");
      result.put("superlink_warmed_up", warm);
      // A long-running SuperLink compiles its network, TLS and aggregation paths once, in its first
      // round: at N=1000, 2.6 CPU-seconds of C2 compilation in the SuperLink and 2.5 in this JVM
      // during that round (per-thread CPU from /proc). Warm-up runs pay for it and are reported
      // apart.
      for (int i = 0; i < warmupRuns; i++) {
        long warmStart = System.nanoTime();
        RunInfo warmup = operator.run(Operator.oneRound(nodes, modelSizeMb, fractionEvaluate));
        if (warmup.getStatus() != RunStatus.RUN_STATUS_FINISHED || warmup.getRoundsCount() != 1) {
          throw new IllegalStateException(
              "warm-up run "
                  + warmup.getRunId()
                  + " ended "
                  + warmup.getStatus()
                  + ": "
                  + warmup.getError());
        }
        if (i == 0) {
          measured.put("first_round_overhead_seconds", ScaleResult.overhead(warmup.getRounds(0)));
        }
        progress(
            "warm-up run %d of %d: round overhead %.2f s (%.1f s in all)",
            i + 1, warmupRuns, ScaleResult.overhead(warmup.getRounds(0)), seconds(warmStart));
      }
      result.put("warmup_runs", warmupRuns);
      witness.reset();
      latencies.reset();
      // What the idle SuperLink holds live: a full collection now, read back from the GC log.
      superlink.collectGarbage(Duration.ofSeconds(30));
      measured.put(
          "superlink_idle_live_heap_mib",
          GcLogSummary.read(gcLog, 0).lastAfterBytes() / ScaleResult.MIB);
      // Peaks since start-up: read just before the run, they are the idle SuperLink's baseline.
      measured.put(
          "superlink_baseline_peak_heap_mib",
          superlink.metric("fedsecure_jvm_heap_peak_bytes") / ScaleResult.MIB);
      measured.put(
          "superlink_baseline_live_peak_heap_mib",
          superlink.metric("fedsecure_jvm_heap_live_peak_bytes") / ScaleResult.MIB);
      long gcLogOffset = Files.exists(gcLog) ? Files.size(gcLog) : 0;
      double cpuBeforeRun = superlink.cpuSeconds();
      long loadgenCpuBefore = processCpuNanos();
      long runStart = System.nanoTime();
      RunInfo finished = operator.run(Operator.oneRound(nodes, modelSizeMb, fractionEvaluate));
      measured.put("run_seconds", seconds(runStart));
      double cpuAfterRun = superlink.cpuSeconds();
      measured.put("loadgen_cpu_run_seconds", (processCpuNanos() - loadgenCpuBefore) / 1e9);
      measured.round(finished);
      measured.latencies(latencies);
      measured.heap(superlink, GcLogSummary.read(gcLog, gcLogOffset));
      measured.put("superlink_cpu_round_seconds", cpuAfterRun - cpuBeforeRun);
      measured.traffic(finished, layout, cpuAfterRun - cpuBeforeRun);
      measured.put("superlink_cpu_total_seconds", cpuAfterRun);

      boolean exact =
          finished.getStatus() == RunStatus.RUN_STATUS_FINISHED
              && AggregateCheck.matches(finished, witness, result);
      result.put("aggregate_exact", exact);
      ok =
          exact
              && finished.getRoundsCount() == 1
              && finished.getRounds(0).getTrainNodesCount() == nodes;

      stopAll(simulated);
      simulated.clear();
    } finally {
      stopAll(simulated);
      pool.shutdownNow();
    }
    result.put("ok", ok);
    String line = JsonMapper.builder().build().writeValueAsString(result);
    stdout.println(line);
    if (out != null) {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(
          out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    stdout.println(ScaleTable.render(List.of(result)));
    return ok ? 0 : 1;
  }

  private void connectAll(List<SimulatedNode> simulated, long deadline)
      throws InterruptedException {
    // Ramped: a thousand simultaneous handshakes and signature checks would only time each other
    // out.
    List<SimulatedNode> connecting = new ArrayList<>();
    int next = 0;
    int activated = 0;
    while (activated < simulated.size()) {
      connecting.removeIf(SimulatedNode::activated);
      activated = next - connecting.size();
      while (connecting.size() < connectConcurrency && next < simulated.size()) {
        SimulatedNode node = simulated.get(next++);
        node.start();
        connecting.add(node);
      }
      for (SimulatedNode node : connecting) {
        if (node.termination().isCompletedExceptionally()) {
          throw new IllegalStateException(
              node.name() + " gave up: " + node.termination().handle((v, e) -> e).join());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + activated + " of " + simulated.size() + " nodes activated in time");
      }
      if (activated < simulated.size()) {
        // Activation has no completion callback in SuperLinkSession; a short poll costs nothing
        // here.
        TimeUnit.MILLISECONDS.sleep(5);
      }
    }
  }

  private static void stopAll(List<SimulatedNode> simulated) throws InterruptedException {
    simulated.forEach(SimulatedNode::requestStop);
    for (SimulatedNode node : simulated) {
      node.awaitStop();
    }
  }

  private void progress(String format, Object... args) {
    System.err.println("loadgen: " + String.format(Locale.ROOT, format, args));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
