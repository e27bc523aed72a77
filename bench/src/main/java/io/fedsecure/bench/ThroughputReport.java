package io.fedsecure.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the usual command-line options and then prints each result as MB/s (10^6 bytes):
 * ops/s times the bytes one operation processes (the {@code size} parameter, or the encoded CNN for
 * the codec).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fedsecure.bench.ThroughputReport -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
public final class ThroughputReport {

  private ThroughputReport() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    int codecBytes = WeightsCodecBenchmark.encodedSize();
    Double baseline = null;
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("encryptEnvelopeBaseline")) {
        baseline = mbPerSecond(r, codecBytes);
      }
    }
    System.out.printf("%n%-62s %12s %14s %10s%n", "benchmark", "bytes/op", "MB/s", "x BC-GCM");
    for (RunResult r : results) {
      double mbs = mbPerSecond(r, codecBytes);
      String ratio = baseline == null ? "" : String.format("%.1f", mbs / baseline);
      System.out.printf("%-62s %12d %14.1f %10s%n", name(r), bytesPerOp(r, codecBytes), mbs, ratio);
    }
  }

  private static String name(RunResult r) {
    String b = r.getParams().getBenchmark();
    String shortName = b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1);
    String size = r.getParams().getParam("size");
    return size == null ? shortName : shortName + " (size " + size + ")";
  }

  private static long bytesPerOp(RunResult r, int codecBytes) {
    String size = r.getParams().getParam("size");
    return size != null ? Long.parseLong(size) : codecBytes;
  }

  private static double mbPerSecond(RunResult r, int codecBytes) {
    // Results are ops/s (every benchmark here is Mode.Throughput with seconds as the unit).
    return r.getPrimaryResult().getScore() * bytesPerOp(r, codecBytes) / 1e6;
  }
}
