package io.fedsecure.supernode.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.supernode.NodeStartupException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLoaderTest {

  @TempDir Path dir;

  @Test
  void loadsNormalisedChwImagesAndLabels() throws Exception {
    byte[] records = SyntheticCifar.records(5, 7);
    // Record 2: distinct values at the first pixel of each plane and at the last pixel.
    int base = 2 * CifarRecords.RECORD_BYTES;
    records[base + 1] = 0;
    records[base + 1 + 1024] = (byte) 255;
    records[base + 1 + 2048] = (byte) 51;
    records[base + CifarRecords.IMAGE_BYTES] = (byte) 204;
    Files.write(dir.resolve("train.bin"), records);
    SyntheticCifar.write(dir.resolve("test.bin"), 3, 8);

    CifarPartition partition = PartitionLoader.load(dir);

    assertThat(partition.train().size()).isEqualTo(5);
    assertThat(partition.test().size()).isEqualTo(3);
    assertThat(partition.manifest()).isEmpty();
    for (int r = 0; r < 5; r++) {
      assertThat(partition.train().labels()[r]).isEqualTo(records[r * CifarRecords.RECORD_BYTES]);
    }
    FloatBuffer f = partition.train().floats();
    int image = 2 * CifarRecords.IMAGE_FLOATS;
    assertThat(f.get(image)).isEqualTo(-1f);
    assertThat(f.get(image + 1024)).isEqualTo(1f);
    assertThat(f.get(image + 2048))
        .isCloseTo(51 / 127.5f - 1, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(f.get(image + CifarRecords.IMAGE_FLOATS - 1))
        .isCloseTo(204 / 127.5f - 1, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(Arrays.stream(partition.train().labelCounts()).sum()).isEqualTo(5);
  }

  @Test
  void refusesMissingDirectory() {
    Path missing = dir.resolve("cifar10_part_9");
    assertThatThrownBy(() -> PartitionLoader.load(missing))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void refusesMissingSplitFile() throws Exception {
    SyntheticCifar.write(dir.resolve("train.bin"), 2, 1);
    assertThatThrownBy(() -> PartitionLoader.load(dir))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(dir.resolve("test.bin").toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void refusesWrongRecordSize() throws Exception {
    SyntheticCifar.partition(dir, 2, 2, 1);
    byte[] truncated =
        Arrays.copyOf(SyntheticCifar.records(3, 2), 3 * CifarRecords.RECORD_BYTES - 1);
    Files.write(dir.resolve("train.bin"), truncated);
    assertThatThrownBy(() -> PartitionLoader.load(dir))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(dir.resolve("train.bin").toString())
        .hasMessageContaining(String.valueOf(truncated.length))
        .hasMessageContaining("not a multiple of the 3073-byte record");
  }

  @Test
  void refusesEmptyFile() throws Exception {
    SyntheticCifar.partition(dir, 2, 2, 1);
    Files.write(dir.resolve("test.bin"), new byte[0]);
    assertThatThrownBy(() -> PartitionLoader.load(dir))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(dir.resolve("test.bin").toString())
        .hasMessageContaining("empty");
  }

  @Test
  void refusesLabelTenNamingTheRecord() throws Exception {
    SyntheticCifar.partition(dir, 2, 2, 1);
    byte[] records = SyntheticCifar.records(6, 3);
    records[4 * CifarRecords.RECORD_BYTES] = 10;
    Files.write(dir.resolve("train.bin"), records);
    assertThatThrownBy(() -> PartitionLoader.load(dir))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(dir.resolve("train.bin").toString())
        .hasMessageContaining("record 4")
        .hasMessageContaining("label 10");
  }

  @Test
  void refusesManifestThatDisagreesWithTheFiles() throws Exception {
    SyntheticCifar.partition(dir, 4, 2, 1);
    PartitionManifest manifest =
        new PartitionManifest(
            PartitionManifest.FORMAT,
            CifarRecords.RECORD_BYTES,
            "x.tar.gz",
            null,
            "iid",
            null,
            42,
            1,
            2,
            0.8,
            new PartitionManifest.SplitInfo("train.bin", 5, new long[10]),
            new PartitionManifest.SplitInfo("test.bin", 2, new long[10]));
    Files.writeString(dir.resolve("partition.json"), manifest.toJson());
    assertThatThrownBy(() -> PartitionLoader.load(dir))
        .isInstanceOf(NodeStartupException.class)
        .hasMessageContaining(dir.resolve("partition.json").toString())
        .hasMessageContaining("declares 5 train images");
  }
}
