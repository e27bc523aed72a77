package io.fedsecure.supernode.data;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.data.Partitioners.TrainTest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cuts the 50,000 CIFAR-10 training images into per-node partitions (format in {@link
 * CifarPartition}), like Flower's {@code prepare_dataset.py}: shuffle with the seed, cut N IID (or
 * Dirichlet label-skewed) partitions, split each into local train and test sets. The official test
 * batch is not used: it stays for a server-side evaluation.
 *
 * <p>Each partition is written into a hidden temporary directory beside its target and renamed into
 * place, so an interrupted run leaves no half-written partition; existing partitions are refused up
 * front unless {@code --force}.
 */
@Command(
    name = "prepare_dataset",
    mixinStandardHelpOptions = true,
    description =
        "Partition the CIFAR-10 training set for SuperNodes: writes <out>/cifar10_part_<k>/"
            + "{train.bin,test.bin,partition.json} for k = 1..N.")
public final class PrepareDataset implements Callable<Integer> {

  static final int TRAIN_BATCHES = 5;
  private static final Pattern BATCH_NAME = Pattern.compile("(?:^|/)data_batch_([1-5])\\.bin$");

  enum PartitionerKind {
    iid,
    dirichlet
  }

  static final class Source {
    @Option(
        names = "--archive",
        paramLabel = "PATH",
        description = "cifar-10-binary.tar.gz (the official 'CIFAR-10 binary version' download)")
    Path archive;

    @Option(
        names = "--cifar-dir",
        paramLabel = "DIR",
        description =
            "an extracted cifar-10-batches-bin directory holding data_batch_1.bin .. data_batch_5.bin")
    Path cifarDir;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--num-partitions",
      paramLabel = "N",
      defaultValue = "2",
      description = "partitions to write (default: ${DEFAULT-VALUE})")
  int numPartitions;

  @Option(
      names = "--partitioner",
      defaultValue = "iid",
      description = "iid or dirichlet (default: ${DEFAULT-VALUE})")
  PartitionerKind partitioner;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      defaultValue = "0.5",
      description =
          "Dirichlet concentration; smaller is more label-skewed (default: ${DEFAULT-VALUE})")
  double alpha;

  @Option(
      names = "--min-partition-size",
      defaultValue = "" + Partitioners.DEFAULT_MIN_PARTITION_SIZE,
      description =
          "Dirichlet: redraw while a partition gets fewer images (default: ${DEFAULT-VALUE})")
  int minPartitionSize;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "shuffle seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--train-fraction",
      defaultValue = "0.8",
      description = "share of a partition for local training (default: ${DEFAULT-VALUE})")
  double trainFraction;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "datasets",
      description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--force", description = "replace existing partitions")
  boolean force;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** Errors the user can fix are one line on stderr, not a stack trace. */
  static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new PrepareDataset());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof NodeStartupException
              || e instanceof IllegalArgumentException
              || e instanceof IOException) {
            commandLine.getErr().println("prepare_dataset: error: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli;
  }

  @Override
  public Integer call() throws IOException {
    if (partitioner == PartitionerKind.iid
        && spec.commandLine().getParseResult().hasMatchedOption("--alpha")) {
      throw new IllegalArgumentException("--alpha only applies to --partitioner dirichlet");
    }
    List<Path> targets = new ArrayList<>();
    for (int k = 1; k <= numPartitions; k++) {
      targets.add(out.resolve("cifar10_part_" + k));
    }
    List<Path> existing = targets.stream().filter(Files::exists).toList();
    if (!existing.isEmpty() && !force) {
      throw new IllegalArgumentException(
          "refusing to overwrite existing partitions "
              + existing
              + "; pass --force to replace them");
    }

    Loaded images =
        source.archive != null ? readArchive(source.archive) : readDirectory(source.cifarDir);
    int n = images.records.length / CifarRecords.RECORD_BYTES;
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = images.records[i * CifarRecords.RECORD_BYTES];
    }
    int[][] parts =
        switch (partitioner) {
          case iid -> Partitioners.iid(n, numPartitions, seed);
          case dirichlet ->
              Partitioners.dirichlet(labels, numPartitions, alpha, seed, minPartitionSize);
        };

    Files.createDirectories(out);
    removeStaleTemporaries();
    PrintWriter stdout = spec.commandLine().getOut();
    for (int k = 1; k <= numPartitions; k++) {
      // A seed per partition so one partition's split does not depend on how many others exist.
      TrainTest split =
          Partitioners.trainTestSplit(parts[k - 1], trainFraction, seed * 1_000_003L + k);
      PartitionManifest manifest =
          new PartitionManifest(
              PartitionManifest.FORMAT,
              CifarRecords.RECORD_BYTES,
              images.name,
              images.sha256,
              partitioner.name(),
              partitioner == PartitionerKind.dirichlet ? alpha : null,
              seed,
              k,
              numPartitions,
              trainFraction,
              PartitionManifest.SplitInfo.of(
                  CifarPartition.TRAIN_FILE, labelCounts(labels, split.train())),
              PartitionManifest.SplitInfo.of(
                  CifarPartition.TEST_FILE, labelCounts(labels, split.test())));
      writeAtomically(targets.get(k - 1), images.records, split, manifest);
      stdout.printf(
          "cifar10_part_%d: %d train + %d test images (%s%s, seed %d), train labels %s -> %s%n",
          k,
          split.train().length,
          split.test().length,
          partitioner,
          partitioner == PartitionerKind.dirichlet ? " alpha " + alpha : "",
          seed,
          Arrays.toString(manifest.train().labelCounts()),
          targets.get(k - 1));
    }
    stdout.flush();
    return 0;
  }

  private record Loaded(String name, String sha256, byte[] records) {}

  private void writeAtomically(
      Path target, byte[] records, TrainTest split, PartitionManifest manifest) throws IOException {
    Path temp = Files.createTempDirectory(out, "." + target.getFileName() + ".tmp-");
    try {
      writeRecords(temp.resolve(CifarPartition.TRAIN_FILE), records, split.train());
      writeRecords(temp.resolve(CifarPartition.TEST_FILE), records, split.test());
      Files.writeString(
          temp.resolve(CifarPartition.MANIFEST_FILE), manifest.toJson(), StandardCharsets.UTF_8);
      Path old = null;
      if (Files.exists(target)) {
        old = Files.createTempDirectory(out, "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "cannot rename " + temp + " to " + target + " atomically: " + e.getMessage(), e);
      }
      if (old != null) {
        deleteRecursively(old);
      }
    } finally {
      if (Files.exists(temp)) {
        deleteRecursively(temp);
      }
    }
  }

  private static void writeRecords(Path file, byte[] records, int[] indices) throws IOException {
    try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (int i : indices) {
        os.write(records, i * CifarRecords.RECORD_BYTES, CifarRecords.RECORD_BYTES);
      }
    }
  }

  private static long[] labelCounts(byte[] labels, int[] indices) {
    long[] counts = new long[CifarRecords.NUM_CLASSES];
    for (int i : indices) {
      counts[labels[i]]++;
    }
    return counts;
  }

  /** Leftovers of a run killed mid-write: hidden, so nothing mistakes them for a partition. */
  private void removeStaleTemporaries() throws IOException {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(out, ".cifar10_part_*.{tmp,old}-*")) {
      for (Path p : stale) {
        deleteRecursively(p);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Loaded readDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new NodeStartupException("--cifar-dir " + dir + " is not a directory");
    }
    byte[][] batches = new byte[TRAIN_BATCHES][];
    for (int b = 1; b <= TRAIN_BATCHES; b++) {
      batches[b - 1] = CifarRecords.readRaw(dir.resolve("data_batch_" + b + ".bin"));
    }
    return new Loaded(dir.getFileName().toString(), null, concat(batches));
  }

  /**
   * Streams the tar.gz: no temporary extraction, and nothing but the five training batches read.
   */
  static Loaded readArchive(Path archive) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new NodeStartupException("archive " + archive + " does not exist or is not a file");
    }
    byte[][] batches = new byte[TRAIN_BATCHES][];
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 20);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Matcher m = BATCH_NAME.matcher(entry.getName());
        if (entry.isFile() && m.find()) {
          int b = Integer.parseInt(m.group(1));
          batches[b - 1] = tar.readAllBytes();
          CifarRecords.check(batches[b - 1], archive + "!" + entry.getName());
        }
      }
    } catch (IOException e) {
      throw new IOException(
          "archive " + archive + ": cannot be read as a tar.gz: " + e.getMessage(), e);
    }
    List<String> missing = new ArrayList<>();
    for (int b = 1; b <= TRAIN_BATCHES; b++) {
      if (batches[b - 1] == null) {
        missing.add("data_batch_" + b + ".bin");
      }
    }
    if (!missing.isEmpty()) {
      throw new NodeStartupException(
          "archive "
              + archive
              + " lacks "
              + missing
              + "; expected the CIFAR-10 binary version (cifar-10-batches-bin/data_batch_1.bin ..)");
    }
    return new Loaded(archive.getFileName().toString(), sha256Hex(archive), concat(batches));
  }

  private static byte[] concat(byte[][] parts) {
    int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] all = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /**
   * A separate pass over the file: the gzip reader marks, resets and skips on its input, which a
   * digest stream underneath would count wrongly.
   */
  private static String sha256Hex(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
