package io.fedsecure.supernode.data;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * A loaded split: {@code size} images as normalised float32 CHW (3x32x32 each, image-major) and
 * their labels.
 *
 * @param pixels a direct, native-order buffer of {@code size * 3072} floats; direct so DJL can hand
 *     it to PyTorch without another copy. Read through {@link #floats()} or duplicate it: never
 *     move its position, others share it.
 * @param labels one label 0-9 per image
 */
public record CifarSplit(Path file, int size, ByteBuffer pixels, byte[] labels) {

  public CifarSplit {
    if (labels.length != size
        || pixels.capacity() != (long) size * CifarRecords.IMAGE_FLOATS * Float.BYTES) {
      throw new IllegalArgumentException(
          "split "
              + file
              + ": "
              + size
              + " images but "
              + labels.length
              + " labels and "
              + pixels.capacity()
              + " pixel bytes");
    }
  }

  /** An independent read view of the pixels. */
  public FloatBuffer floats() {
    return pixels.duplicate().order(pixels.order()).asFloatBuffer();
  }

  public long[] labelCounts() {
    long[] counts = new long[CifarRecords.NUM_CLASSES];
    for (byte label : labels) {
      counts[label]++;
    }
    return counts;
  }
}
