package io.fedsecure.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A federation in a scratch directory, set up the way the README tells an operator to: the
 * project's scripts make certificates, keys and partitions; the SuperLink, SuperNodes and flwr run
 * as separate JVMs on 127.0.0.1 with ports chosen by the OS.
 */
final class Federation implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

  private final Path dir;
  private final List<ManagedProcess> daemons = new ArrayList<>();
  private final AtomicInteger commandCounter = new AtomicInteger();
  private int fleetPort;
  private int controlPort;

  private Federation(Path dir) {
    this.dir = dir;
  }

  /**
   * Certificates for {@code nodes} nodes, their auth and encryption keys, and {@code partitions}
   * partitions.
   */
  static Federation prepare(Path dir, int nodes, int partitions) {
    Federation f = new Federation(dir);
    f.runScript("generate_cert.sh", "--nodes", String.valueOf(nodes));
    f.runScript("generate_auth_keys.sh", String.valueOf(nodes));
    f.runScript("generate_encryption_keys.sh", String.valueOf(nodes));
    f.runScript(
        "prepare_dataset.sh",
        "--num-partitions",
        String.valueOf(partitions),
        "--archive",
        Repository.cifarArchive().toString());
    return f;
  }

  Path dir() {
    return dir;
  }

  CommandResult runScript(String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(Repository.script(script).toString());
    command.addAll(List.of(args));
    CommandResult result = run(script, command, SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("%s %s exit code; output:%n%s", script, List.of(args), result.output())
        .isZero();
    return result;
  }

  CommandResult run(String name, List<String> command, Duration timeout) {
    Path log = dir.resolve("logs").resolve(name + "-" + commandCounter.incrementAndGet() + ".log");
    createDirectories(log.getParent());
    try (ManagedProcess p = ManagedProcess.start(name, command, dir, log, Map.of())) {
      int code = p.awaitExit(timeout);
      return new CommandResult(code, p.output());
    }
  }

  ManagedProcess startSuperLink() {
    Path portFile = dir.resolve("superlink-ports.json");
    deleteIfExists(portFile); // a restart must not read the previous process's ports
    ManagedProcess superlink =
        daemon(
            "superlink",
            List.of(
                "java",
                "-jar",
                Repository.jar("superlink", "superlink.jar").toString(),
                "--ssl-ca-certfile",
                "certificates/ca.crt",
                "--ssl-certfile",
                "certificates/server.pem",
                "--ssl-keyfile",
                "certificates/server.key",
                "--enable-supernode-auth",
                "--database",
                "state/superlink.db",
                "--encryption-keys-dir",
                "encryption_keys",
                "--fleet-api-address",
                "127.0.0.1:0",
                "--control-api-address",
                "127.0.0.1:0",
                "--management-port",
                "0",
                "--port-file",
                portFile.toString()));
    await("SuperLink port file")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              if (!superlink.isAlive()) {
                throw new AssertionError("SuperLink exited during start-up:\n" + superlink.tail());
              }
              return Files.exists(portFile) && Files.size(portFile) > 0;
            });
    JsonNode ports = readJson(portFile);
    fleetPort = ports.get("fleet").asInt();
    controlPort = ports.get("control").asInt();
    writeAppConfig();
    return superlink;
  }

  /** The operator's pyproject.toml, pointing flwr at this SuperLink's Control API. */
  private void writeAppConfig() {
    String toml =
        String.join(
            "\n",
            "[project]",
            "name = \"e2e\"",
            "version = \"1.0.0\"",
            "",
            "[tool.flwr.app.config]",
            "num-server-rounds = 3",
            "fraction-train = 1.0",
            "fraction-evaluate = 0.5",
            "local-epochs = 1",
            "batch-size = 32",
            "learning-rate = 0.01",
            "",
            "[tool.flwr.federations]",
            "default = \"my-federation\"",
            "",
            "[tool.flwr.federations.my-federation]",
            "address = \"127.0.0.1:" + controlPort + "\"",
            "root-certificates = \"certificates/ca.crt\"",
            "operator-certfile = \"certificates/operator.pem\"",
            "operator-keyfile = \"certificates/operator.key\"",
            "");
    try {
      Files.writeString(dir.resolve("pyproject.toml"), toml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CommandResult flwr(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", Repository.script("flwr").toString()));
    command.addAll(List.of(args));
    return run("flwr-" + args[0], command, Duration.ofMinutes(20));
  }

  /**
   * Registers keys/client_credentials_k.pub the seed's way; returns the node id the SuperLink
   * assigned.
   */
  String register(int k) {
    CommandResult r =
        flwr(
            "supernode", "register", "keys/client_credentials_" + k + ".pub", ".", "my-federation");
    assertThat(r.exitCode()).as("register node-%d:%n%s", k, r.output()).isZero();
    var m =
        java.util.regex.Pattern.compile("SuperNode (\\d+) registered successfully")
            .matcher(r.output());
    assertThat(m.find()).as("register output: %s", r.output()).isTrue();
    return m.group(1);
  }

  ManagedProcess startSuperNode(int k, Path partition) {
    return daemon(
        "supernode-" + k,
        List.of(
            "java",
            "-jar",
            Repository.jar("supernode", "supernode.jar").toString(),
            "--superlink",
            "127.0.0.1:" + fleetPort,
            "--root-certificates",
            "certificates/ca.crt",
            "--auth-supernode-private-key",
            "keys/client_credentials_" + k,
            "--max-retries",
            "3",
            "--node-config",
            "dataset-path=\""
                + partition
                + "\" node-id=\"node-"
                + k
                + "\" "
                + "encryption-key=\"encryption_keys/node-"
                + k
                + "_key.bin\" num-threads=1"));
  }

  /** `flwr supernode list --format json`, as node name -> status. */
  Map<String, String> nodeStatuses() {
    CommandResult r = flwr("supernode", "list", ".", "my-federation", "--format", "json");
    assertThat(r.exitCode()).as("supernode list: %s", r.output()).isZero();
    JsonNode nodes = parseJson(r.output()).path("nodes");
    Map<String, String> statuses = new java.util.TreeMap<>();
    nodes.forEach(n -> statuses.put(n.path("name").asText(), n.path("status").asText()));
    return statuses;
  }

  void awaitOnline(String... names) {
    await("nodes " + List.of(names) + " online")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Map<String, String> s = nodeStatuses();
              return List.of(names).stream().allMatch(n -> "NODE_STATUS_ONLINE".equals(s.get(n)));
            });
  }

  ManagedProcess daemon(String name, List<String> command) {
    ManagedProcess p =
        ManagedProcess.start(
            name, command, dir, dir.resolve("logs").resolve(name + ".log"), Map.of());
    daemons.add(p);
    return p;
  }

  static JsonNode parseJson(String text) {
    try {
      return JSON.readTree(text.substring(text.indexOf('{')));
    } catch (IOException | StringIndexOutOfBoundsException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteIfExists(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectories(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // Nodes first, so the SuperLink sees them leave.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).close();
    }
  }

  record CommandResult(int exitCode, String output) {}
}
