package io.fedsecure.superlink.config;

import io.fedsecure.crypto.keys.KeyFileException;
import io.fedsecure.crypto.keys.PrivateKeyFiles;
import io.fedsecure.crypto.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code superlink} command line, Flower's {@code flower-superlink} flags plus a few of our
 * own. Parsed before Spring starts (Spring cannot read {@code --flag value} pairs) and handed to it
 * as properties by {@link #toSpringProperties()}.
 */
@Command(
    name = "superlink",
    mixinStandardHelpOptions = true,
    version = "fedsecure superlink 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description =
        "The federation's server: SuperNodes connect to the Fleet API (gRPC, mutual TLS), operators "
            + "to the Control API (REST over HTTPS with an operator client certificate).")
public final class SuperLinkOptions {

  /**
   * TLS 1.3's suites, and on TLS 1.2 only ECDHE with an AEAD cipher: no CBC (LUCKY13), no static
   * RSA.
   */
  static final List<String> CONTROL_API_CIPHERS =
      List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  @Option(
      names = "--ssl-ca-certfile",
      paramLabel = "FILE",
      description =
          "PEM CA certificate that client certificates (SuperNodes, operators) must chain to.")
  Path caCertfile;

  @Option(
      names = "--ssl-certfile",
      paramLabel = "FILE",
      description = "PEM server certificate presented on the Fleet and Control APIs.")
  Path certfile;

  @Option(
      names = "--ssl-keyfile",
      paramLabel = "FILE",
      description = "PEM PKCS#8 private key of the server certificate.")
  Path keyfile;

  @Option(
      names = "--insecure",
      description =
          "Development only: plaintext on the Fleet and Control APIs, no client certificates; "
              + "the Control API then listens on 127.0.0.1 only. Node request signatures are still checked.")
  boolean insecure;

  @Option(
      names = "--enable-supernode-auth",
      description =
          "Accepted for Flower compatibility. SuperNode authentication is always on here: every "
              + "Fleet request must be signed by a registered node key.")
  boolean enableSupernodeAuth;

  @Option(
      names = "--database",
      paramLabel = "PATH",
      defaultValue = "state/superlink.db",
      description =
          "SQLite database file (its directory is created), or :memory: for a throw-away state. "
              + "Default: ${DEFAULT-VALUE}.")
  String database;

  @Option(
      names = "--fleet-api-address",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:9092",
      converter = ListenAddressConverter.class,
      description =
          "Where SuperNodes connect (gRPC, mutual TLS). Port 0 picks a free port. Default: ${DEFAULT-VALUE}.")
  ListenAddress fleetApiAddress;

  @Option(
      names = "--control-api-address",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:9093",
      converter = ListenAddressConverter.class,
      description =
          "Where operators connect (REST over HTTPS, operator certificate required). "
              + "Default: ${DEFAULT-VALUE}.")
  ListenAddress controlApiAddress;

  @Option(
      names = "--management-port",
      paramLabel = "PORT",
      defaultValue = "9094",
      description =
          "Actuator health and Prometheus metrics, plain HTTP on 127.0.0.1 only. Default: ${DEFAULT-VALUE}.")
  int managementPort;

  @Option(
      names = "--encryption-keys-dir",
      paramLabel = "DIR",
      defaultValue = "encryption_keys",
      description =
          "Directory of per-node weight keys <node-name>_key.bin (32 bytes, mode 600). Default: ${DEFAULT-VALUE}.")
  Path encryptionKeysDir;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "Interval SuperNodes are told to send heartbeats at (e.g. 20s, 1m, or seconds). Default: ${DEFAULT-VALUE}.")
  Duration heartbeatInterval;

  @Option(
      names = "--node-patience",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "An online SuperNode not heard from for this long is marked offline. Default: ${DEFAULT-VALUE}.")
  Duration nodePatience;

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description =
          "Once ready, write the bound ports there as JSON {\"fleet\":..,\"control\":..,\"management\":..}.")
  Path portFile;

  /** How a command line ends: the SuperLink starts with these options, or the process exits now. */
  public sealed interface Outcome permits Start, Exit {}

  public record Start(SuperLinkOptions options) implements Outcome {}

  public record Exit(int code) implements Outcome {}

  /**
   * Parses and checks the command line; writes help, version or a one-line error. Exit codes: 0 for
   * help/version, 2 for a usage error (picocli's convention), 1 for a configuration that cannot
   * start.
   */
  public static Outcome parse(String[] args, java.io.PrintWriter out, java.io.PrintWriter err) {
    SuperLinkOptions options = new SuperLinkOptions();
    CommandLine cl = new CommandLine(options);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("superlink: " + e.getMessage() + " (see --help)");
      err.flush();
      return new Exit(2);
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      out.flush();
      return new Exit(0);
    }
    if (cl.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      out.flush();
      return new Exit(0);
    }
    List<String> problems = options.problems();
    if (!problems.isEmpty()) {
      err.println("superlink: cannot start: " + String.join("; ", problems));
      err.flush();
      return new Exit(1);
    }
    return new Start(options);
  }

  /** What keeps this configuration from starting, as short phrases naming the flag. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!insecure) {
      List<String> missing = new ArrayList<>();
      checkFile("--ssl-ca-certfile", caCertfile, missing, problems);
      checkFile("--ssl-certfile", certfile, missing, problems);
      checkFile("--ssl-keyfile", keyfile, missing, problems);
      if (!missing.isEmpty()) {
        problems.add(
            0,
            "TLS is required: missing "
                + String.join(", ", missing)
                + " (or --insecure for development only)");
      } else if (problems.isEmpty()) {
        checkPem(problems);
      }
    }
    if (nodePatience.compareTo(heartbeatInterval) <= 0) {
      problems.add(
          "--node-patience ("
              + nodePatience
              + ") must be longer than --heartbeat-interval ("
              + heartbeatInterval
              + ")");
    }
    if (managementPort < 0 || managementPort > 65535) {
      problems.add("--management-port: " + managementPort + " is not a port");
    }
    return problems;
  }

  private static void checkFile(
      String flag, Path file, List<String> missing, List<String> problems) {
    if (file == null) {
      missing.add(flag);
    } else if (!Files.isRegularFile(file)) {
      problems.add(flag + ": no such file " + file);
    } else if (!Files.isReadable(file)) {
      problems.add(flag + ": cannot read " + file);
    }
  }

  /**
   * Reads the PEM files once up front, so a wrong file is one clear line rather than a stack trace.
   */
  private void checkPem(List<String> problems) {
    try {
      if (PemFiles.readCertificates(caCertfile).isEmpty()) {
        problems.add("--ssl-ca-certfile: no PEM certificate in " + caCertfile);
      }
    } catch (IOException | RuntimeException e) {
      problems.add("--ssl-ca-certfile: not a PEM certificate: " + e.getMessage());
    }
    try {
      if (PemFiles.readCertificates(certfile).isEmpty()) {
        problems.add("--ssl-certfile: no PEM certificate in " + certfile);
      }
    } catch (IOException | RuntimeException e) {
      problems.add("--ssl-certfile: not a PEM certificate: " + e.getMessage());
    }
    try {
      PemFiles.readPrivateKey(keyfile);
      // Netty's OpenSSL provider reads PKCS#8 only, although the key parses as SEC1 too.
      if (!PrivateKeyFiles.readText(keyfile, "TLS key").contains("-----BEGIN PRIVATE KEY-----")) {
        problems.add(
            "--ssl-keyfile: "
                + keyfile
                + " must be PKCS#8 (-----BEGIN PRIVATE KEY-----); convert it with "
                + "openssl pkcs8 -topk8 -nocrypt -in "
                + keyfile
                + " -out server-pkcs8.key");
      }
    } catch (IOException | KeyFileException | RuntimeException e) {
      // The exception text names the file and the problem (mode, link, format), never key bytes.
      problems.add("--ssl-keyfile: " + e.getMessage());
    }
  }

  public boolean insecure() {
    return insecure;
  }

  /** The options as Spring properties; they take precedence over application.yml. */
  public Map<String, Object> toSpringProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("superlink.insecure", insecure);
    p.put("superlink.database", database);
    p.put("superlink.encryption-keys-dir", encryptionKeysDir.toString());
    p.put("superlink.fleet-api.address", fleetApiAddress.toString());
    p.put("superlink.liveness.heartbeat-interval", heartbeatInterval.toString());
    p.put("superlink.liveness.node-patience", nodePatience.toString());
    if (portFile != null) {
      p.put("superlink.port-file", portFile.toString());
    }
    // Plaintext operator access never leaves the machine.
    p.put("server.address", insecure ? "127.0.0.1" : controlApiAddress.host());
    p.put("server.port", controlApiAddress.port());
    p.put("management.server.port", managementPort);
    if (insecure) {
      p.put("server.ssl.enabled", false);
    } else {
      p.put("superlink.tls.ca-certfile", caCertfile.toAbsolutePath().toString());
      p.put("superlink.tls.certfile", certfile.toAbsolutePath().toString());
      p.put("superlink.tls.keyfile", keyfile.toAbsolutePath().toString());
      // The Control API's Tomcat reads the same PEM files through a Spring SSL bundle.
      p.put(
          "spring.ssl.bundle.pem.control-api.keystore.certificate",
          "file:" + certfile.toAbsolutePath());
      p.put(
          "spring.ssl.bundle.pem.control-api.keystore.private-key",
          "file:" + keyfile.toAbsolutePath());
      p.put(
          "spring.ssl.bundle.pem.control-api.truststore.certificate",
          "file:" + caCertfile.toAbsolutePath());
      p.put("server.ssl.enabled", true);
      p.put("server.ssl.bundle", "control-api");
      p.put("server.ssl.client-auth", "need");
      // With an SSL bundle, Tomcat takes protocols and ciphers from the bundle's options only.
      p.put("spring.ssl.bundle.pem.control-api.options.enabled-protocols", "TLSv1.3,TLSv1.2");
      p.put(
          "spring.ssl.bundle.pem.control-api.options.ciphers",
          String.join(",", CONTROL_API_CIPHERS));
    }
    return p;
  }

  static final class ListenAddressConverter implements CommandLine.ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      try {
        return ListenAddress.parse("address", value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not HOST:PORT (e.g. 0.0.0.0:9092)");
      }
    }
  }

  /** Accepts 20s / 1m / PT20S, and a bare number as seconds (Flower's flags are in seconds). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        if (value.matches("\\d+(\\.\\d+)?")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
        Duration d = DurationStyle.detectAndParse(value);
        if (d.isNegative() || d.isZero()) {
          throw new CommandLine.TypeConversionException(
              "'" + value + "' must be a positive duration");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (e.g. 20s, 1m)");
      }
    }
  }
}
