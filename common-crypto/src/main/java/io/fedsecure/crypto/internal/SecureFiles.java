package io.fedsecure.crypto.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes secret files so that they are never visible with wider permissions or half-written: a
 * temporary file is created with mode 600 in the target directory, filled, synced, then renamed.
 * Not part of the public API.
 */
public final class SecureFiles {

  private SecureFiles() {}

  /**
   * @throws FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
   */
  public static void writeOwnerOnly(Path file, byte[] content, boolean overwrite)
      throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    if (!overwrite && Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(absolute.toString());
    }
    Path temp =
        Files.createTempFile(
            dir,
            "." + absolute.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (overwrite) {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // Without REPLACE_EXISTING the move refuses an existing target instead of clobbering it.
        Files.move(temp, absolute);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
