package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node names select the node's encryption key file ({@code encryption_keys/<name>_key.bin}), so
 * they must be safe as a file name part; and the key scripts' naming lets us infer them.
 */
public final class NodeNames {

  private static final Pattern CREDENTIALS = Pattern.compile("client_credentials_(\\d+)\\.pub");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private NodeNames() {}

  /** {@code node-<k>} for {@code client_credentials_<k>.pub}, as the key scripts pair them. */
  public static Optional<String> inferFrom(Path publicKeyFile) {
    Path fileName = publicKeyFile.getFileName();
    if (fileName == null) {
      return Optional.empty();
    }
    Matcher matcher = CREDENTIALS.matcher(fileName.toString());
    return matcher.matches()
        ? Optional.of("node-" + Integer.parseInt(matcher.group(1)))
        : Optional.empty();
  }

  public static String requireSafe(String name) {
    if (!SAFE.matcher(name).matches() || name.contains("..")) {
      throw new CliException(
          "--name '"
              + name
              + "' is not usable: it names a key file, so use up to 64 letters, digits,"
              + " '.', '_' or '-' starting with a letter or digit (e.g. node-1)");
    }
    return name;
  }
}
