package io.fedsecure.crypto.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The one way secret key files are read (node identity keys, TLS keys, the CA key, AES weight
 * keys): a regular file, not a symbolic link, owned by the user running this process (or root), and
 * not readable or writable by group or others. Opened without following links, and the file opened
 * is checked to be the one inspected. Errors are one line naming the file and the fix.
 */
public final class PrivateKeyFiles {

  /** No key file is larger; a bigger file is not a key. */
  private static final int MAX_BYTES = 64 * 1024;

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private PrivateKeyFiles() {}

  /**
   * @param what what the file holds, for messages, e.g. "TLS key"
   * @param howToCreate appended to the message for a missing file, e.g. "; create it with ...", or
   *     ""
   */
  public static byte[] read(Path file, String what, String howToCreate) throws KeyFileException {
    PosixFileAttributes inspected = inspect(file, what, howToCreate);
    // NOFOLLOW_LINKS again on open (O_NOFOLLOW): the file could be swapped for a link after the
    // check.
    try (SeekableByteChannel channel =
            Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        InputStream in = Channels.newInputStream(channel)) {
      PosixFileAttributes opened = inspect(file, what, howToCreate);
      if (!Objects.equals(opened.fileKey(), inspected.fileKey())) {
        throw new KeyFileException(
            what + " file " + file + " was replaced while it was being read; try again");
      }
      byte[] content = in.readNBytes(MAX_BYTES + 1);
      if (content.length > MAX_BYTES) {
        throw new KeyFileException(
            what + " file " + file + " is larger than " + MAX_BYTES / 1024 + " KiB: not a key");
      }
      return content;
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A text key file (PEM or OpenSSH), read as {@link #read} does. */
  public static String readText(Path file, String what) throws KeyFileException {
    return KeyFileText.decode(file, read(file, what, ""));
  }

  private static PosixFileAttributes inspect(Path file, String what, String howToCreate)
      throws KeyFileException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(what + " file " + file + " does not exist" + howToCreate);
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
    if (attributes.isSymbolicLink()) {
      throw new KeyFileException(
          what
              + " file "
              + file
              + " is a symbolic link; refusing to follow it "
              + "(a link can be redirected): replace it with the key file itself, mode 600");
    }
    if (!attributes.isRegularFile()) {
      throw new KeyFileException(what + " file " + file + " is not a regular file");
    }
    Set<PosixFilePermission> loose = EnumSet.copyOf(attributes.permissions());
    loose.retainAll(GROUP_OR_OTHERS);
    if (!loose.isEmpty()) {
      throw new KeyFileException(
          what
              + " file "
              + file
              + " is accessible by group or others (mode "
              + PosixFilePermissions.toString(attributes.permissions())
              + "); run `chmod 600 "
              + file
              + "`");
    }
    if (!ownedByThisUserOrRoot(attributes.owner())) {
      throw new KeyFileException(
          what
              + " file "
              + file
              + " belongs to "
              + attributes.owner().getName()
              + ", not to the user running this process ("
              + System.getProperty("user.name")
              + "); run `chown "
              + System.getProperty("user.name")
              + " "
              + file
              + "`");
    }
    return attributes;
  }

  private static boolean ownedByThisUserOrRoot(UserPrincipal owner) throws KeyFileException {
    if ("root".equals(owner.getName())) {
      return true;
    }
    try {
      return owner.equals(
          FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name")));
    } catch (IOException e) {
      // No name for this process's user (e.g. a container uid without a passwd entry): nothing to
      // compare.
      return true;
    }
  }
}
