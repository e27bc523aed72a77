package io.fedsecure.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsecure.cli.http.ConnectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the connection settings the way Flower does: the app directory's {@code pyproject.toml}
 * ({@code [tool.flwr.federations]}), else the user's {@code ~/.flwr/config.toml} in the same
 * layout; flags override single values. Relative paths in a file are relative to that file's
 * directory, so the app works from any working directory.
 */
public final class ConfigResolver {

  public static final String PYPROJECT = "pyproject.toml";

  private final Path homeDir;

  public ConfigResolver(Path homeDir) {
    this.homeDir = homeDir;
  }

  public ConnectionConfig resolve(Path appDir, String federation, ConnectionOptions flags) {
    if (!Files.isDirectory(appDir)) {
      throw new ConfigException(
          "app directory " + appDir + " does not exist or is not a directory");
    }
    Path source = configFile(appDir);
    JsonNode federations = source == null ? null : federationsTable(source);

    if (federations == null) {
      return fromFlagsOnly(source, federation, flags);
    }

    String name = federation != null ? federation : defaultName(federations, source);
    JsonNode table = federations.get(name);
    if (table == null || !table.isObject()) {
      throw new ConfigException(
          "federation '"
              + name
              + "' is not defined in "
              + source
              + "; available: "
              + available(federations));
    }
    if (table.path("insecure").asBoolean(false)) {
      throw new ConfigException(
          "federation '"
              + name
              + "' in "
              + source
              + " sets insecure = true, but the Control API only speaks"
              + " HTTPS with an operator certificate; remove it");
    }
    Path baseDir = source.getParent();
    String address =
        flags.superlinkAddress != null ? flags.superlinkAddress : text(table, "address");
    return complete(
        new ConnectionConfig(
            name,
            address,
            pick(flags.rootCertificates, table, "root-certificates", baseDir),
            pick(flags.operatorCertfile, table, "operator-certfile", baseDir),
            pick(flags.operatorKeyfile, table, "operator-keyfile", baseDir)),
        "federation '" + name + "' in " + source);
  }

  /** The file settings come from, or null if neither the app nor the user has one. */
  private Path configFile(Path appDir) {
    // Not normalised: "./pyproject.toml" keeps a parent to resolve relative paths against.
    Path pyproject = appDir.resolve(PYPROJECT);
    if (Files.isRegularFile(pyproject)) {
      return pyproject;
    }
    Path user = homeDir.resolve(".flwr").resolve("config.toml");
    return Files.isRegularFile(user) ? user : null;
  }

  private static JsonNode federationsTable(Path source) {
    JsonNode federations = TomlFiles.read(source).path("tool").path("flwr").path("federations");
    return federations.isObject() ? federations : null;
  }

  private ConnectionConfig fromFlagsOnly(Path source, String federation, ConnectionOptions flags) {
    if (federation != null) {
      throw new ConfigException(
          source == null
              ? "federation '"
                  + federation
                  + "' requested but there is no "
                  + PYPROJECT
                  + " in the app directory and no "
                  + homeDir.resolve(".flwr/config.toml")
              : "federation '"
                  + federation
                  + "' requested but "
                  + source
                  + " has no [tool.flwr.federations] table");
    }
    if (flags.superlinkAddress == null) {
      throw new ConfigException(
          source == null
              ? "no "
                  + PYPROJECT
                  + " in the app directory and no "
                  + homeDir.resolve(".flwr/config.toml")
                  + "; pass an app directory or --superlink-address"
              : source
                  + " has no [tool.flwr.federations] table; add one or pass --superlink-address");
    }
    return complete(
        new ConnectionConfig(
            null,
            flags.superlinkAddress,
            flags.rootCertificates,
            flags.operatorCertfile,
            flags.operatorKeyfile),
        "the command line");
  }

  /** {@code settings} with every field present (read from {@code where}), the address trimmed. */
  private static ConnectionConfig complete(ConnectionConfig settings, String where) {
    if (settings.address() == null || settings.address().isBlank()) {
      throw new ConfigException(
          "no SuperLink address in " + where + ": set address or pass --superlink-address");
    }
    require(settings.rootCertificates(), "root-certificates", "--root-certificates", where);
    require(settings.operatorCertfile(), "operator-certfile", "--operator-certfile", where);
    require(settings.operatorKeyfile(), "operator-keyfile", "--operator-keyfile", where);
    return new ConnectionConfig(
        settings.federation(),
        settings.address().trim(),
        settings.rootCertificates(),
        settings.operatorCertfile(),
        settings.operatorKeyfile());
  }

  private static void require(Path value, String key, String flag, String where) {
    if (value == null) {
      throw new ConfigException("no " + key + " in " + where + ": set " + key + " or pass " + flag);
    }
  }

  private static String defaultName(JsonNode federations, Path source) {
    JsonNode name = federations.get("default");
    if (name == null || !name.isTextual()) {
      throw new ConfigException(
          "no federation given and "
              + source
              + " sets no [tool.flwr.federations] default; available: "
              + available(federations));
    }
    return name.asText();
  }

  private static String available(JsonNode federations) {
    List<String> names = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = federations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getValue().isObject()) {
        names.add(entry.getKey());
      }
    }
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private static Path pick(Path flag, JsonNode table, String key, Path baseDir) {
    if (flag != null) {
      return flag;
    }
    String value = text(table, key);
    return value == null ? null : baseDir.resolve(value).normalize();
  }

  private static String text(JsonNode table, String key) {
    JsonNode value = table.get(key);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
