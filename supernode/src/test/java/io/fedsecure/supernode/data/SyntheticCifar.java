package io.fedsecure.supernode.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small CIFAR-format record files for tests. The label is drawn into the image (a bright horizontal
 * band at rows 3*label .. 3*label+2 of the red plane, over noise), so a model can learn it in a few
 * steps.
 */
public final class SyntheticCifar {

  private SyntheticCifar() {}

  public static byte[] records(int count, long seed) {
    Random random = new Random(seed);
    byte[] out = new byte[count * CifarRecords.RECORD_BYTES];
    for (int r = 0; r < count; r++) {
      int base = r * CifarRecords.RECORD_BYTES;
      int label = random.nextInt(CifarRecords.NUM_CLASSES);
      out[base] = (byte) label;
      for (int p = 0; p < CifarRecords.IMAGE_BYTES; p++) {
        out[base + 1 + p] = (byte) random.nextInt(96);
      }
      for (int row = 3 * label; row < 3 * label + 3; row++) {
        for (int col = 0; col < CifarRecords.SIDE; col++) {
          out[base + 1 + row * CifarRecords.SIDE + col] = (byte) 255;
        }
      }
    }
    return out;
  }

  public static Path write(Path file, int count, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, records(count, seed));
  }

  /** A partition directory without partition.json. */
  public static Path partition(Path dir, int train, int test, long seed) throws IOException {
    write(dir.resolve(CifarPartition.TRAIN_FILE), train, seed);
    write(dir.resolve(CifarPartition.TEST_FILE), test, seed + 1);
    return dir;
  }
}
