package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.CliException;
import io.fedsecure.crypto.pki.CertificateAuthority;
import io.fedsecure.crypto.pki.ClientRole;
import io.fedsecure.crypto.pki.IssuedCertificate;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description =
        "A CA, the SuperLink server certificate, SuperNode and operator client certificates.")
public final class CertsCommand implements Callable<Integer> {

  private final CliEnvironment environment;

  @Mixin OutputDirectory out = new OutputDirectory("certificates");

  @Option(
      names = "--nodes",
      defaultValue = "2",
      paramLabel = "N",
      description = "SuperNode client certificates node-1..node-N (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--san",
      paramLabel = "NAME",
      description =
          "Extra server name (DNS name or IP) besides localhost, 127.0.0.1 and ::1; repeatable.")
  List<String> extraNames = new ArrayList<>();

  @Option(
      names = "--validity-days",
      defaultValue = "365",
      paramLabel = "DAYS",
      description = "Validity of every certificate (default: ${DEFAULT-VALUE}).")
  int validityDays;

  CertsCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Counts.require(nodes, 0, "--nodes");
    Counts.require(validityDays, 1, "--validity-days");
    for (String name : extraNames) {
      if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
        throw new CliException("--san '" + name + "' is not a DNS name or IP address", 2);
      }
    }
    Duration validity = Duration.ofDays(validityDays);

    Map<String, Boolean> targets = new LinkedHashMap<>();
    targets.put("ca.crt", false);
    targets.put("ca.key", true);
    targets.put("server.pem", false);
    targets.put("server.key", true);
    for (int k = 1; k <= nodes; k++) {
      targets.put("node-" + k + ".pem", false);
      targets.put("node-" + k + ".key", true);
    }
    targets.put("operator.pem", false);
    targets.put("operator.key", true);

    try (StagedOutput output = out.prepare(targets)) {
      CertificateAuthority ca = CertificateAuthority.create("fedsecure CA", validity);
      write(output, "ca", "crt", ca.caCertificate());
      write(output, "server", "pem", issueServer(ca, validity));
      for (int k = 1; k <= nodes; k++) {
        write(
            output,
            "node-" + k,
            "pem",
            ca.issueClient("node-" + k, ClientRole.SUPERNODE, validity));
      }
      write(output, "operator", "pem", ca.issueClient("operator", ClientRole.OPERATOR, validity));
      output.commit();
    }
    List<String> sans = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    sans.addAll(extraNames);
    environment
        .out()
        .println("Wrote " + String.join(", ", targets.keySet()) + " to " + out.dir() + "/");
    environment.out().println("SuperLink certificate names: " + String.join(", ", sans));
    environment.out().flush();
    return 0;
  }

  private IssuedCertificate issueServer(CertificateAuthority ca, Duration validity) {
    try {
      return ca.issueServer("superlink", extraNames, validity);
    } catch (IllegalArgumentException e) {
      throw new CliException("--san: " + e.getMessage(), 2);
    }
  }

  private static void write(
      StagedOutput output, String base, String certExtension, IssuedCertificate issued) {
    String certName = base + "." + certExtension;
    try {
      PemFiles.writeCertificates(output.staged(certName), issued.certificate());
      PemFiles.writePrivateKey(output.staged(base + ".key"), issued.privateKey());
    } catch (IOException e) {
      throw new CliException("cannot write " + certName + ": " + e.getMessage());
    }
  }
}
