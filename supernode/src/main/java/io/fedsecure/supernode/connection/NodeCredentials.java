package io.fedsecure.supernode.connection;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.config.SuperNodeProperties;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a node authenticates with: the CA it trusts for the SuperLink, its TLS client
 * certificate and key, and its EC identity key (request signatures; registered with the SuperLink).
 */
public record NodeCredentials(
    Path rootCertificates, Path certificate, Path certificateKey, Path identityKey) {

  /** Resolves the defaults (certificates/&lt;node-id&gt;.pem/.key) and checks every file exists. */
  public static NodeCredentials resolve(SuperNodeProperties properties, NodeConfig nodeConfig) {
    Path identityKey =
        require(
            properties.authSupernodePrivateKey(),
            "--auth-supernode-private-key",
            "the node's identity key (e.g. keys/client_credentials_1)");
    if (properties.insecure()) {
      return new NodeCredentials(null, null, null, identityKey);
    }
    String nodeName = nodeConfig.string("node-id");
    Path certificate =
        properties.sslCertfile() != null
            ? properties.sslCertfile()
            : Path.of("certificates", nodeName + ".pem");
    Path key =
        properties.sslKeyfile() != null
            ? properties.sslKeyfile()
            : Path.of("certificates", nodeName + ".key");
    return new NodeCredentials(
        require(
            properties.rootCertificates(),
            "--root-certificates",
            "the CA certificate (e.g. certificates/ca.crt)"),
        require(
            certificate,
            "--ssl-certfile",
            "node "
                + nodeName
                + "'s TLS certificate (the certificate script writes certificates/"
                + nodeName
                + ".pem)"),
        require(
            key,
            "--ssl-keyfile",
            "node "
                + nodeName
                + "'s TLS key (the certificate script writes certificates/"
                + nodeName
                + ".key)"),
        identityKey);
  }

  private static Path require(Path file, String flag, String what) {
    if (file == null) {
      throw new NodeStartupException(flag + " is required: " + what);
    }
    if (!Files.isRegularFile(file)) {
      throw new NodeStartupException(
          flag + " " + file + " does not exist or is not a file: expected " + what);
    }
    return file;
  }

  /** The public key file to register: the OpenSSH .pub written next to the private key. */
  public Path publicKeyFile() {
    return identityKey.resolveSibling(identityKey.getFileName() + ".pub");
  }
}
