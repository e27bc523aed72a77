package io.fedsecure.supernode.data;

import io.fedsecure.supernode.NodeStartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Loads and checks a node's partition directory (format in {@link CifarPartition}). */
public final class PartitionLoader {

  private PartitionLoader() {}

  /**
   * @throws NodeStartupException naming the directory or file at fault: missing directory or split
   *     file, a file that is not whole records, a label above 9, or a {@code partition.json} whose
   *     counts disagree with the files
   */
  public static CifarPartition load(Path directory) {
    if (!Files.exists(directory)) {
      throw new NodeStartupException(
          "dataset directory "
              + directory
              + " (dataset-path) does not exist;"
              + " create partitions with scripts/prepare_dataset.sh");
    }
    if (!Files.isDirectory(directory)) {
      throw new NodeStartupException(
          "dataset-path "
              + directory
              + " is not a directory: expected a partition"
              + " directory holding "
              + CifarPartition.TRAIN_FILE
              + " and "
              + CifarPartition.TEST_FILE);
    }
    Path manifestFile = directory.resolve(CifarPartition.MANIFEST_FILE);
    Optional<PartitionManifest> manifest =
        Files.exists(manifestFile)
            ? Optional.of(PartitionManifest.read(manifestFile))
            : Optional.empty();
    CifarSplit train = CifarRecords.load(directory.resolve(CifarPartition.TRAIN_FILE));
    CifarSplit test = CifarRecords.load(directory.resolve(CifarPartition.TEST_FILE));
    manifest.ifPresent(
        m -> {
          checkCount(manifestFile, "train", m.train().count(), train);
          checkCount(manifestFile, "test", m.test().count(), test);
        });
    return new CifarPartition(directory, train, test, manifest);
  }

  private static void checkCount(
      Path manifestFile, String split, long declared, CifarSplit actual) {
    if (declared != actual.size()) {
      throw new NodeStartupException(
          "partition manifest "
              + manifestFile
              + ": declares "
              + declared
              + " "
              + split
              + " images but "
              + actual.file()
              + " holds "
              + actual.size()
              + "; the partition is inconsistent, prepare it again");
    }
  }
}
