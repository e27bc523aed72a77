package io.fedsecure.supernode.data;

import io.fedsecure.supernode.NodeStartupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and checks CIFAR-10 binary records (see {@link CifarPartition} for the format). Every
 * refusal names the file and, for a bad label, the zero-based record index, because the operator
 * has to find the broken file among several nodes' partitions.
 */
public final class CifarRecords {

  public static final int NUM_CLASSES = 10;
  public static final int CHANNELS = 3;
  public static final int SIDE = 32;
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
  public static final int IMAGE_FLOATS = IMAGE_BYTES;
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

  /**
   * Byte value to normalised float, computed with float32 arithmetic in torchvision's order ({@code
   * ToTensor} then {@code Normalize}) so inputs match the PyTorch reference bit for bit.
   */
  private static final float[] NORMALISED = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      NORMALISED[b] = (b / 255f - 0.5f) / 0.5f;
    }
  }

  /** Records read per I/O call: big enough for throughput, small enough to not double memory. */
  private static final int CHUNK_RECORDS = 1024;

  private CifarRecords() {}

  public static float normalise(int unsignedByte) {
    return NORMALISED[unsignedByte];
  }

  /**
   * Loads a record file into memory, normalised.
   *
   * @throws NodeStartupException when the file is missing, empty, not a whole number of records, or
   *     has a label outside 0-9
   */
  public static CifarSplit load(Path file) {
    int count = recordCount(file, sizeOf(file));
    ByteBuffer pixels;
    try {
      pixels =
          ByteBuffer.allocateDirect(count * IMAGE_FLOATS * Float.BYTES)
              .order(ByteOrder.nativeOrder());
    } catch (OutOfMemoryError e) {
      throw new NodeStartupException(
          "CIFAR-10 file "
              + file
              + ": "
              + count
              + " images need "
              + (count * (long) IMAGE_FLOATS * Float.BYTES >> 20)
              + " MiB of direct memory, more than this JVM may use;"
              + " raise -XX:MaxDirectMemorySize (or -Xmx) or use smaller partitions",
          e);
    }
    FloatBuffer out = pixels.asFloatBuffer();
    byte[] labels = new byte[count];
    byte[] chunk = new byte[CHUNK_RECORDS * RECORD_BYTES];
    float[] image = new float[IMAGE_FLOATS];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      int record = 0;
      while (record < count) {
        int n = Math.min(CHUNK_RECORDS, count - record);
        ByteBuffer view = ByteBuffer.wrap(chunk, 0, n * RECORD_BYTES);
        while (view.hasRemaining()) {
          if (channel.read(view) < 0) {
            throw new NodeStartupException(
                "CIFAR-10 file "
                    + file
                    + ": ended early at record "
                    + record
                    + " (was it modified while being read?)");
          }
        }
        for (int i = 0; i < n; i++) {
          int base = i * RECORD_BYTES;
          labels[record + i] = checkedLabel(chunk[base], file.toString(), record + i);
          for (int p = 0; p < IMAGE_BYTES; p++) {
            image[p] = NORMALISED[chunk[base + 1 + p] & 0xff];
          }
          out.put(image);
        }
        record += n;
      }
    } catch (IOException e) {
      throw new NodeStartupException(
          "CIFAR-10 file " + file + ": cannot be read: " + e.getMessage(), e);
    }
    return new CifarSplit(file, count, pixels, labels);
  }

  /**
   * Checks raw records already in memory (e.g. a batch read from the archive).
   *
   * @param source how to name the data in a refusal
   * @return the number of records
   */
  public static int check(byte[] records, String source) {
    int count = recordCount(source, records.length);
    for (int r = 0; r < count; r++) {
      checkedLabel(records[r * RECORD_BYTES], source, r);
    }
    return count;
  }

  /** Reads and checks a whole record file as raw bytes. */
  public static byte[] readRaw(Path file) {
    sizeOf(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new NodeStartupException(
          "CIFAR-10 file " + file + ": cannot be read: " + e.getMessage(), e);
    }
    check(bytes, file.toString());
    return bytes;
  }

  private static long sizeOf(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new NodeStartupException(
            "CIFAR-10 file " + file + ": is a directory, expected a file of records");
      }
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new NodeStartupException("CIFAR-10 file " + file + ": does not exist");
    } catch (IOException e) {
      throw new NodeStartupException(
          "CIFAR-10 file " + file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static int recordCount(Object source, long size) {
    if (size == 0) {
      throw new NodeStartupException("CIFAR-10 file " + source + ": is empty");
    }
    if (size % RECORD_BYTES != 0) {
      throw new NodeStartupException(
          "CIFAR-10 file "
              + source
              + ": size "
              + size
              + " bytes is not a multiple of the "
              + RECORD_BYTES
              + "-byte record (1 label + 3,072 pixel bytes); truncated or not CIFAR-10 binary");
    }
    long count = size / RECORD_BYTES;
    // The float copy is 4x the pixels and must fit one direct buffer.
    if (count * IMAGE_FLOATS * Float.BYTES > Integer.MAX_VALUE) {
      throw new NodeStartupException(
          "CIFAR-10 file "
              + source
              + ": "
              + count
              + " records is more than one node loads ("
              + (Integer.MAX_VALUE / (IMAGE_FLOATS * Float.BYTES))
              + " at most); use more partitions");
    }
    return (int) count;
  }

  private static byte checkedLabel(byte label, String source, int record) {
    if ((label & 0xff) >= NUM_CLASSES) {
      throw new NodeStartupException(
          "CIFAR-10 file "
              + source
              + ": record "
              + record
              + " (byte offset "
              + (long) record * RECORD_BYTES
              + ") has label "
              + (label & 0xff)
              + ", expected 0-9");
    }
    return label;
  }
}
