package io.fedsecure.crypto.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a text key file (PEM or OpenSSH), with errors that name the file and what was wrong with
 * it.
 */
final class KeyFileText {

  private KeyFileText() {}

  /**
   * A public key file: no secrecy checks. Private keys go through {@link PrivateKeyFiles#readText}.
   */
  static String read(Path file, String what) throws KeyFileException {
    try {
      if (Files.isDirectory(file)) {
        throw new KeyFileException(file + " is a directory, not a " + what + " file");
      }
      return decode(file, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new KeyFileException(what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }

  static String decode(Path file, byte[] content) throws KeyFileException {
    try {
      return StandardCharsets.US_ASCII
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new KeyFileException(
          file + " is not a text key file (PEM or OpenSSH); it holds binary data");
    }
  }
}
