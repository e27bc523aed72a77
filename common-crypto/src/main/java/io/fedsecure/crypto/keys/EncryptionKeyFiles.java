package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.envelope.WeightKey;
import java.nio.file.Path;

/**
 * Per-node symmetric key files: exactly 32 raw bytes, as {@code openssl rand 32} writes, e.g.
 * {@code encryption_keys/node-1_key.bin}.
 */
public final class EncryptionKeyFiles {

  private EncryptionKeyFiles() {}

  /**
   * Loads a key file. Refuses (with {@link KeyFileException} naming the file and the fix): a
   * missing file, a symlink, a file readable or writable by group or others, a length other than 32.
   */
  public static WeightKey load(Path file) throws KeyFileException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** Writes 32 fresh random bytes with mode 600; refuses to overwrite unless {@code force}. */
  public static void generate(Path file, boolean force) throws KeyFileException {
    throw new UnsupportedOperationException("implemented in common-crypto (issue 2)");
  }

  /** {@code dir/<name>_key.bin}, the file that maps a registered node name to its key. */
  public static Path pathFor(Path dir, String nodeName) {
    return dir.resolve(nodeName + "_key.bin");
  }
}
