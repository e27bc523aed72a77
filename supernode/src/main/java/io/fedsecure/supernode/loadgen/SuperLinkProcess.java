package io.fedsecure.supernode.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SuperLink as a child process (java -jar superlink.jar) on 127.0.0.1 with ephemeral
 * ports, its state in the work directory; read back: ports, peak heap (actuator), CPU time (/proc).
 */
final class SuperLinkProcess implements AutoCloseable {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final Process process;
  final int fleetPort;
  final int controlPort;
  final int managementPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SuperLinkProcess(Process process, int fleetPort, int controlPort, int managementPort) {
    this.process = process;
    this.fleetPort = fleetPort;
    this.controlPort = controlPort;
    this.managementPort = managementPort;
  }

  static SuperLinkProcess start(Path jar, List<String> jvmArgs, LoadGenMaterial material, Duration readyTimeout)
      throws IOException, InterruptedException {
    Path dir = material.dir.toAbsolutePath();
    Path portFile = dir.resolve("superlink-ports.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
        "--ssl-ca-certfile", material.caCertificate.toAbsolutePath().toString(),
        "--ssl-certfile", material.serverCertificate.toAbsolutePath().toString(),
        "--ssl-keyfile", material.serverKey.toAbsolutePath().toString(),
        "--enable-supernode-auth",
        "--database", dir.resolve("superlink.db").toString(),
        "--encryption-keys-dir", material.encryptionKeysDir.toAbsolutePath().toString(),
        "--fleet-api-address", "127.0.0.1:0",
        "--control-api-address", "127.0.0.1:0",
        "--management-port", "0",
        "--port-file", portFile.toString()));
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("superlink.log").toFile())
        .start();
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    try {
      while (!Files.exists(portFile)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the SuperLink exited with code " + process.exitValue()
              + " before it was ready; see " + dir.resolve("superlink.log"));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the SuperLink was not ready within " + readyTimeout.toSeconds()
              + " s; see " + dir.resolve("superlink.log"));
        }
        // Polling a file the child writes once: there is no event to wait on across processes.
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      JsonNode ports = JsonMapper.builder().build().readTree(portFile.toFile());
      return new SuperLinkProcess(process, ports.get("fleet").asInt(), ports.get("control").asInt(),
          ports.get("management").asInt());
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** User + system CPU time of the SuperLink process so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) / (double) CLOCK_TICKS_PER_SECOND;
  }

  /** A gauge or counter from the actuator's Prometheus page; NaN if it is not there. */
  double metric(String name) throws IOException, InterruptedException {
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    for (String line : page.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
