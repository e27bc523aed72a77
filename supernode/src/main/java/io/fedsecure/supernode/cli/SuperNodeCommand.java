package io.fedsecure.supernode.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** flower-supernode's command line; main() hands the values to Spring as fedsecure.supernode.*. */
@Command(
    name = "supernode",
    mixinStandardHelpOptions = true,
    version = "fedsecure supernode 0.1.0",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Connects to a SuperLink over mutual TLS, signs every request with this node's identity key,",
      "and trains on local data whatever model the SuperLink sends (encrypted, AES-256-GCM).",
      ""
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  java -jar supernode/target/supernode.jar --superlink 127.0.0.1:9092 \\",
      "    --root-certificates certificates/ca.crt \\",
      "    --auth-supernode-private-key keys/client_credentials_1 \\",
      "    --node-config 'dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\" \\",
      "                   encryption-key=\"encryption_keys/node-1_key.bin\"'"
    })
public final class SuperNodeCommand {

  @Spec CommandSpec spec;

  @Option(
      names = "--superlink",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9092",
      description = "Fleet API address of the SuperLink (default: ${DEFAULT-VALUE}).")
  String superlink;

  @Option(
      names = "--root-certificates",
      paramLabel = "FILE",
      description =
          "PEM CA certificate that signed the SuperLink's certificate, e.g. certificates/ca.crt."
              + " Required unless --insecure.")
  Path rootCertificates;

  @Option(
      names = "--auth-supernode-private-key",
      paramLabel = "FILE",
      required = true,
      description =
          "This node's EC identity key (OpenSSH or PEM), e.g. keys/client_credentials_1; its .pub"
              + " must be registered with `flwr supernode register`.")
  Path authSupernodePrivateKey;

  @Option(
      names = "--ssl-certfile",
      paramLabel = "FILE",
      description =
          "This node's TLS client certificate (PEM). Default: certificates/<node-id>.pem.")
  Path sslCertfile;

  @Option(
      names = "--ssl-keyfile",
      paramLabel = "FILE",
      description =
          "Key of the TLS client certificate (PKCS#8 PEM). Default: certificates/<node-id>.key.")
  Path sslKeyfile;

  @Option(
      names = "--node-config",
      paramLabel = "CONFIG",
      required = true,
      description =
          "Space-separated TOML pairs, or a .toml file: dataset-path, node-id, encryption-key"
              + " (required), num-threads, trainer (optional).")
  String nodeConfig;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Reconnection attempts before giving up when the SuperLink is unreachable;"
              + " 0 = unlimited (default).")
  int maxRetries;

  @Option(
      names = "--max-wait-time",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "Total seconds to keep trying to reach the SuperLink after losing it;"
              + " 0 = unlimited (default).")
  double maxWaitTime;

  @Option(
      names = "--clientappio-api-address",
      paramLabel = "HOST:PORT",
      description =
          "Accepted so Flower's commands run unchanged; not used: the app runs inside this process.")
  String clientAppIoApiAddress;

  @Option(
      names = "--insecure",
      description = "Development only: connect WITHOUT TLS (requests are still signed).")
  boolean insecure;

  /** Checks what picocli's declarations cannot express. */
  void validate() {
    if (!insecure && rootCertificates == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--root-certificates is required (the CA certificate, e.g. certificates/ca.crt) unless --insecure");
    }
    if (maxRetries < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-retries must be 0 (unlimited) or more, got " + maxRetries);
    }
    if (!(maxWaitTime >= 0) || Double.isInfinite(maxWaitTime)) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-wait-time must be 0 (unlimited) or a number of seconds, got " + maxWaitTime);
    }
  }

  /** The options as Spring properties (fedsecure.supernode.*); absent options are left out. */
  Map<String, Object> toProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    String prefix = "fedsecure.supernode.";
    properties.put(prefix + "superlink", superlink);
    putIfSet(properties, prefix + "root-certificates", rootCertificates);
    putIfSet(properties, prefix + "auth-supernode-private-key", authSupernodePrivateKey);
    putIfSet(properties, prefix + "ssl-certfile", sslCertfile);
    putIfSet(properties, prefix + "ssl-keyfile", sslKeyfile);
    properties.put(prefix + "node-config", nodeConfig);
    properties.put(prefix + "max-retries", Integer.toString(maxRetries));
    properties.put(prefix + "max-wait-time", Math.round(maxWaitTime * 1000) + "ms");
    properties.put(prefix + "insecure", Boolean.toString(insecure));
    return properties;
  }

  private static void putIfSet(Map<String, Object> properties, String key, Path value) {
    if (value != null) {
      properties.put(key, value.toString());
    }
  }
}
