package io.fedsecure.supernode.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PrepareDatasetTest {

  private static final int PER_BATCH = 40;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesIidPartitionsFromTheArchiveThatCoverTheTrainingImages() throws Exception {
    Path archive = archive(5);
    Path outDir = dir.resolve("datasets");

    int exit =
        run("--archive", archive.toString(), "--num-partitions", "2", "--out", outDir.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .hasSize(2)
        .allMatch(l -> l.contains("80 train + 20 test images"));
    Map<ByteBuffer, Integer> seen = new HashMap<>();
    for (int k = 1; k <= 2; k++) {
      Path part = outDir.resolve("cifar10_part_" + k);
      CifarPartition partition = PartitionLoader.load(part);
      assertThat(partition.train().size()).isEqualTo(80);
      assertThat(partition.test().size()).isEqualTo(20);
      PartitionManifest manifest = partition.manifest().orElseThrow();
      assertThat(manifest.partitionIndex()).isEqualTo(k);
      assertThat(manifest.numPartitions()).isEqualTo(2);
      assertThat(manifest.seed()).isEqualTo(42);
      assertThat(manifest.partitioner()).isEqualTo("iid");
      assertThat(manifest.sourceSha256())
          .isEqualTo(
              java.util.HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256")
                          .digest(Files.readAllBytes(archive))));
      assertThat(manifest.train().labelCounts()).isEqualTo(partition.train().labelCounts());
      for (String file : List.of("train.bin", "test.bin")) {
        byte[] bytes = Files.readAllBytes(part.resolve(file));
        for (int r = 0; r < bytes.length / CifarRecords.RECORD_BYTES; r++) {
          seen.merge(
              ByteBuffer.wrap(
                  Arrays.copyOfRange(
                      bytes, r * CifarRecords.RECORD_BYTES, (r + 1) * CifarRecords.RECORD_BYTES)),
              1,
              Integer::sum);
        }
      }
    }
    List<ByteBuffer> source = new ArrayList<>();
    for (int b = 1; b <= 5; b++) {
      byte[] batch = SyntheticCifar.records(PER_BATCH, b);
      for (int r = 0; r < PER_BATCH; r++) {
        source.add(
            ByteBuffer.wrap(
                Arrays.copyOfRange(
                    batch, r * CifarRecords.RECORD_BYTES, (r + 1) * CifarRecords.RECORD_BYTES)));
      }
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(source);
    assertThat(seen.values()).containsOnly(1);
    try (Stream<Path> left = Files.list(outDir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("cifar10_part_1", "cifar10_part_2");
    }
  }

  @Test
  void sameSeedGivesTheSamePartitionsAndForceIsNeededToReplace() throws Exception {
    Path archive = archive(5);
    Path outDir = dir.resolve("datasets");
    assertThat(run("--archive", archive.toString(), "--out", outDir.toString(), "--seed", "7"))
        .isZero();
    byte[] first = Files.readAllBytes(outDir.resolve("cifar10_part_1/train.bin"));

    assertThat(run("--archive", archive.toString(), "--out", outDir.toString(), "--seed", "7"))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("refusing to overwrite")
        .contains("cifar10_part_1")
        .contains("--force");

    assertThat(
            run(
                "--archive",
                archive.toString(),
                "--out",
                outDir.toString(),
                "--seed",
                "7",
                "--force"))
        .isZero();
    assertThat(Files.readAllBytes(outDir.resolve("cifar10_part_1/train.bin"))).isEqualTo(first);

    assertThat(
            run(
                "--archive",
                archive.toString(),
                "--out",
                outDir.toString(),
                "--seed",
                "8",
                "--force"))
        .isZero();
    assertThat(Files.readAllBytes(outDir.resolve("cifar10_part_1/train.bin"))).isNotEqualTo(first);
  }

  @Test
  void dirichletRecordsAlphaAndFromDirectory() throws Exception {
    Path cifarDir = dir.resolve("cifar-10-batches-bin");
    for (int b = 1; b <= 5; b++) {
      SyntheticCifar.write(cifarDir.resolve("data_batch_" + b + ".bin"), PER_BATCH, b);
    }
    Path outDir = dir.resolve("out");
    int exit =
        run(
            "--cifar-dir",
            cifarDir.toString(),
            "--partitioner",
            "dirichlet",
            "--alpha",
            "0.3",
            "--num-partitions",
            "3",
            "--out",
            outDir.toString());
    assertThat(exit).as(err.toString()).isZero();
    long total = 0;
    for (int k = 1; k <= 3; k++) {
      CifarPartition partition = PartitionLoader.load(outDir.resolve("cifar10_part_" + k));
      assertThat(partition.manifest().orElseThrow().alpha()).isEqualTo(0.3);
      total += partition.train().size() + partition.test().size();
    }
    assertThat(total).isEqualTo(5 * PER_BATCH);
  }

  @Test
  void archiveWithoutAllTrainingBatchesIsRefusedAndNothingIsWritten() throws Exception {
    Path archive = archive(4);
    Path outDir = dir.resolve("datasets");
    assertThat(run("--archive", archive.toString(), "--out", outDir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(archive.toString()).contains("data_batch_5.bin");
    assertThat(outDir).doesNotExist();
  }

  @Test
  void corruptBatchIsNamed() throws Exception {
    Path cifarDir = dir.resolve("cifar-10-batches-bin");
    for (int b = 1; b <= 5; b++) {
      SyntheticCifar.write(cifarDir.resolve("data_batch_" + b + ".bin"), PER_BATCH, b);
    }
    Files.write(cifarDir.resolve("data_batch_3.bin"), new byte[100]);
    assertThat(run("--cifar-dir", cifarDir.toString(), "--out", dir.resolve("o").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("data_batch_3.bin").contains("not a multiple");
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cli = PrepareDataset.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /**
   * A tar.gz made by the system's tar, laid out like the official download. Not commons-compress:
   * its writer needs commons-lang3, which DJL excludes from the classpath (the reader does not).
   */
  private Path archive(int batches) throws Exception {
    Path tree = dir.resolve("tree");
    Path batchDir = Files.createDirectories(tree.resolve("cifar-10-batches-bin"));
    Files.writeString(batchDir.resolve("batches.meta.txt"), "airplane\nautomobile\n");
    for (int b = 1; b <= batches; b++) {
      SyntheticCifar.write(batchDir.resolve("data_batch_" + b + ".bin"), PER_BATCH, b);
    }
    SyntheticCifar.write(batchDir.resolve("test_batch.bin"), 10, 99);
    Path archive = dir.resolve("cifar-10-binary.tar.gz");
    Process tar =
        new ProcessBuilder(
                "tar", "-czf", archive.toString(), "-C", tree.toString(), "cifar-10-batches-bin")
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    assertThat(tar.waitFor()).as(output).isZero();
    return archive;
  }
}
