package io.fedsecure.crypto.keys;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.internal.SecureFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-node symmetric key files: exactly 32 raw bytes, as {@code openssl rand 32} writes, e.g.
 * {@code encryption_keys/node-1_key.bin}.
 */
public final class EncryptionKeyFiles {

  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private EncryptionKeyFiles() {}

  /**
   * Loads a key file. Refuses (with {@link KeyFileException} naming the file and the fix): a
   * missing file, a symlink, a file readable or writable by group or others, a length other than 32.
   */
  public static WeightKey load(Path file) throws KeyFileException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new KeyFileException("encryption key file " + file + " does not exist; create it with `openssl rand 32 > "
          + file + " && chmod 600 " + file + "`");
    } catch (IOException e) {
      throw new KeyFileException("cannot read encryption key file " + file + ": " + e.getMessage(), e);
    }
    if (attributes.isSymbolicLink()) {
      throw new KeyFileException("encryption key file " + file + " is a symbolic link; refusing to follow it "
          + "(a link can be redirected): replace it with the key file itself, mode 600");
    }
    if (!attributes.isRegularFile()) {
      throw new KeyFileException("encryption key file " + file + " is not a regular file");
    }
    Set<PosixFilePermission> loose = EnumSet.copyOf(attributes.permissions());
    loose.retainAll(GROUP_OR_OTHERS);
    if (!loose.isEmpty()) {
      throw new KeyFileException("encryption key file " + file + " is accessible by group or others (mode "
          + PosixFilePermissions.toString(attributes.permissions()) + "); run `chmod 600 " + file + "`");
    }
    if (attributes.size() != KEY_BYTES) {
      throw new KeyFileException(wrongLength(file, attributes.size()));
    }
    byte[] raw = new byte[KEY_BYTES + 1];
    // NOFOLLOW_LINKS again on open (O_NOFOLLOW): the file could be swapped for a link after the check.
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      // One byte of room past 32 catches a file that grew since the size check.
      ByteBuffer buf = ByteBuffer.wrap(raw);
      int n;
      while (buf.hasRemaining() && (n = ch.read(buf)) >= 0) {
        if (n == 0) {
          break;
        }
      }
      if (buf.position() != KEY_BYTES) {
        throw new KeyFileException(wrongLength(file, buf.position()));
      }
      return WeightKey.fromBytes(Arrays.copyOf(raw, KEY_BYTES));
    } catch (IOException e) {
      throw new KeyFileException("cannot read encryption key file " + file + ": " + e.getMessage(), e);
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
      throw new KeyFileException("encryption key file " + file + " already exists; refusing to overwrite it "
          + "(nodes holding the old key could no longer decrypt): delete it first or force the overwrite");
    } catch (IOException e) {
      throw new KeyFileException("cannot write encryption key file " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** {@code dir/<name>_key.bin}, the file that maps a registered node name to its key. */
  public static Path pathFor(Path dir, String nodeName) {
    return dir.resolve(nodeName + "_key.bin");
  }

  private static String wrongLength(Path file, long actual) {
    String hint = actual == 64 || actual == 65
        ? " (it looks like hex text; write raw bytes with `openssl rand 32 > " + file + "`, not -hex)"
        : actual == 44 || actual == 45
            ? " (it looks like base64 text; write raw bytes with `openssl rand 32 > " + file + "`)"
            : "";
    return "encryption key file " + file + " must hold exactly 32 bytes, as `openssl rand 32 > " + file
        + "` writes, but holds " + actual + " bytes" + hint;
  }
}
