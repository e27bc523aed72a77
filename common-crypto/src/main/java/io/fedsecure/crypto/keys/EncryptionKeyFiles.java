package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.internal.SecureFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Per-node symmetric key files: exactly 32 raw bytes, as {@code openssl rand 32} writes, e.g.
 * {@code encryption_keys/node-1_key.bin}.
 */
public final class EncryptionKeyFiles {

  private static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private EncryptionKeyFiles() {}

  /**
   * Loads a key file. Refuses (with {@link KeyFileException} naming the file and the fix): a
   * missing file, a symlink, a file readable or writable by group or others, a length other than
   * 32.
   */
  public static WeightKey load(Path file) throws KeyFileException {
    byte[] raw =
        PrivateKeyFiles.read(
            file,
            "encryption key",
            "; create it with `openssl rand 32 > " + file + " && chmod 600 " + file + "`");
    try {
      if (raw.length != KEY_BYTES) {
        throw new KeyFileException(wrongLength(file, raw.length));
      }
      return WeightKey.fromBytes(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Writes 32 fresh random bytes with mode 600; refuses to overwrite unless {@code force}. */
  public static void generate(Path file, boolean force) throws KeyFileException {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    try {
      SecureFiles.writeOwnerOnly(file, raw, force);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(
          "encryption key file "
              + file
              + " already exists; refusing to overwrite it "
              + "(nodes holding the old key could no longer decrypt): delete it first or force the overwrite");
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot write encryption key file " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** {@code dir/<name>_key.bin}, the file that maps a registered node name to its key. */
  public static Path pathFor(Path dir, String nodeName) {
    return dir.resolve(nodeName + "_key.bin");
  }

  private static String wrongLength(Path file, long actual) {
    String hint =
        actual == 64 || actual == 65
            ? " (it looks like hex text; write raw bytes with `openssl rand 32 > "
                + file
                + "`, not -hex)"
            : actual == 44 || actual == 45
                ? " (it looks like base64 text; write raw bytes with `openssl rand 32 > "
                    + file
                    + "`)"
                : "";
    return "encryption key file "
        + file
        + " must hold exactly 32 bytes, as `openssl rand 32 > "
        + file
        + "` writes, but holds "
        + actual
        + " bytes"
        + hint;
  }
}
