package io.fedsecure.cli.supernode;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.cli.config.FederationTarget;
import io.fedsecure.crypto.keys.EcKeys;
import io.fedsecure.crypto.keys.KeyFormatException;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RegisterNodeResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Register a SuperNode's public key so it may connect to the SuperLink.")
public final class RegisterCommand implements Callable<Integer> {

  private static final long MAX_KEY_FILE_BYTES = 16 * 1024;

  private final CliEnvironment environment;

  @Parameters(
      index = "0",
      paramLabel = "PUBLIC_KEY_FILE",
      description = "OpenSSH or PEM EC public key, e.g. keys/client_credentials_1.pub.")
  Path publicKeyFile;

  @Mixin FederationTarget target;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "Node name; selects encryption_keys/<NAME>_key.bin. Inferred as node-<k> from client_credentials_<k>.pub.")
  String name;

  RegisterCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    String publicKey = readPublicKey(publicKeyFile);
    String nodeName = resolveName();
    RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder().setPublicKey(publicKey);
    if (nodeName != null) {
      request.setName(nodeName);
    }
    RegisterNodeResponse response = target.connect().registerNode(request.build());
    environment
        .out()
        .println(
            "SuperNode "
                + Long.toUnsignedString(response.getNodeId())
                + " registered successfully");
    environment.out().flush();
    return 0;
  }

  private String resolveName() {
    if (name != null) {
      return NodeNames.requireSafe(name);
    }
    Optional<String> inferred = NodeNames.inferFrom(publicKeyFile);
    inferred.ifPresent(
        n -> environment.out().println("(name " + n + " inferred from the file name)"));
    return inferred.orElse(null);
  }

  /** Checked here so a wrong file (e.g. the private key) fails before anything is sent. */
  private static String readPublicKey(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          "public key file "
              + file
              + " not found (generate keys with scripts/generate_auth_keys.sh)");
    }
    String text;
    try {
      if (Files.size(file) > MAX_KEY_FILE_BYTES) {
        throw new CliException("public key file " + file + " is too large to be a public key");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CliException(
          "public key file " + file + " is not a text key file (OpenSSH or PEM)");
    } catch (IOException e) {
      throw new CliException("cannot read public key file " + file + ": " + e.getMessage());
    }
    try {
      EcKeys.parsePublicKey(text);
    } catch (KeyFormatException e) {
      throw new CliException("public key file " + file + " is not usable: " + e.getMessage());
    }
    return text;
  }
}
