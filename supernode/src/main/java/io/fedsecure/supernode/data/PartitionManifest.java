package io.fedsecure.supernode.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.fedsecure.supernode.NodeStartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code partition.json} beside a partition's record files: where the images came from and how
 * they were cut (see {@link CifarPartition} for the field list).
 *
 * @param alpha the Dirichlet concentration, null for IID
 */
public record PartitionManifest(
    String format,
    int recordBytes,
    String source,
    String sourceSha256,
    String partitioner,
    Double alpha,
    long seed,
    int partitionIndex,
    int numPartitions,
    double trainFraction,
    SplitInfo train,
    SplitInfo test) {

  public static final String FORMAT = "cifar10-binary-records";

  /** Gson (already on the classpath through DJL) handles records and keeps this file tiny. */
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  public record SplitInfo(String file, long count, long[] labelCounts) {
    static SplitInfo of(String file, long[] labelCounts) {
      return new SplitInfo(file, Arrays.stream(labelCounts).sum(), labelCounts);
    }
  }

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  public static PartitionManifest read(Path file) {
    try {
      PartitionManifest manifest =
          GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), PartitionManifest.class);
      if (manifest == null || manifest.train() == null || manifest.test() == null) {
        throw new NodeStartupException(
            "partition manifest " + file + ": missing \"train\" or \"test\" entry");
      }
      if (!FORMAT.equals(manifest.format())) {
        throw new NodeStartupException(
            "partition manifest "
                + file
                + ": format \""
                + manifest.format()
                + "\" is not \""
                + FORMAT
                + "\"");
      }
      return manifest;
    } catch (JsonParseException e) {
      throw new NodeStartupException(
          "partition manifest " + file + ": not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new NodeStartupException(
          "partition manifest " + file + ": cannot be read: " + e.getMessage(), e);
    }
  }
}
