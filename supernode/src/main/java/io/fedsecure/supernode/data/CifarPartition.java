package io.fedsecure.supernode.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One SuperNode's private share of CIFAR-10, loaded into memory.
 *
 * <h2>On-disk partition format</h2>
 *
 * A node's {@code dataset-path} is a directory (written by {@link PrepareDataset} as {@code
 * datasets/cifar10_part_<k>/}) holding:
 *
 * <ul>
 *   <li>{@code train.bin}: the local training split;
 *   <li>{@code test.bin}: the local evaluation split;
 *   <li>{@code partition.json}: provenance, informational only (the node trains without it, but
 *       when present its counts must match the .bin files).
 * </ul>
 *
 * Both .bin files are a plain concatenation of CIFAR-10 binary records, exactly as in the official
 * {@code cifar-10-binary.tar.gz} batches: every record is 3,073 bytes, 1 label byte (0-9) followed
 * by 1,024 red, 1,024 green and 1,024 blue bytes, each plane row-major 32x32. No header, no
 * padding, so a file's size is a non-zero multiple of 3,073 and {@code head -c} / {@code cat} work
 * on it.
 *
 * <p>{@code partition.json} (UTF-8 JSON object):
 *
 * <pre>{@code
 * {
 *   "format": "cifar10-binary-records",  "recordBytes": 3073,
 *   "source": "cifar-10-binary.tar.gz",  "sourceSha256": "<hex of the archive>",
 *   "partitioner": "iid" | "dirichlet",  "alpha": 0.5 (dirichlet only),
 *   "seed": 42,  "partitionIndex": 1,  "numPartitions": 2,  "trainFraction": 0.8,
 *   "train": {"file": "train.bin", "count": 20000, "labelCounts": [10 ints, label 0..9]},
 *   "test":  {"file": "test.bin",  "count": 5000,  "labelCounts": [...]}
 * }
 * }</pre>
 *
 * In memory each split is pre-normalised once to float32 CHW, {@code (x/255 - 0.5)/0.5}, the same
 * as torchvision's {@code ToTensor()} + {@code Normalize((0.5,)*3, (0.5,)*3)} in Flower's example,
 * so training never re-normalises per batch.
 */
public record CifarPartition(
    Path directory, CifarSplit train, CifarSplit test, Optional<PartitionManifest> manifest) {

  public static final String TRAIN_FILE = "train.bin";
  public static final String TEST_FILE = "test.bin";
  public static final String MANIFEST_FILE = "partition.json";
}
