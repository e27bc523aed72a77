package io.fedsecure.superlink.keys;

import io.fedsecure.crypto.envelope.WeightKey;
import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Keys from {@code <dir>/<name>_key.bin}, Flower's encryption_keys convention. */
public final class KeyDirectoryLoader implements WeightKeyLoader {

  // A name becomes part of a path: refuse anything that could step outside the directory.
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path dir;

  public KeyDirectoryLoader(Path dir) {
    this.dir = dir;
  }

  @Override
  public WeightKey load(String nodeName) throws KeyFileException {
    if (nodeName == null || !SAFE_NAME.matcher(nodeName).matches() || nodeName.contains("..")) {
      throw new KeyFileException("node name '" + nodeName + "' cannot name a key file in " + dir);
    }
    return EncryptionKeyFiles.load(EncryptionKeyFiles.pathFor(dir, nodeName));
  }
}
