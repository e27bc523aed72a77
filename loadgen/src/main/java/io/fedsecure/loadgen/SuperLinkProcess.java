package io.fedsecure.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SuperLink as a child process (java -jar superlink.jar) on 127.0.0.1 with ephemeral ports,
 * its state in the work directory; read back: ports, peak heap (actuator), CPU time (/proc).
 */
final class SuperLinkProcess implements AutoCloseable {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final Process process;
  private final Path log;
  final int fleetPort;
  final int controlPort;
  final int managementPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SuperLinkProcess(
      Process process, Path log, int fleetPort, int controlPort, int managementPort) {
    this.process = process;
    this.log = log;
    this.fleetPort = fleetPort;
    this.controlPort = controlPort;
    this.managementPort = managementPort;
  }

  static SuperLinkProcess start(
      Path jar, List<String> jvmArgs, LoadGenMaterial material, Duration readyTimeout)
      throws IOException, InterruptedException {
    Path dir = material.dir.toAbsolutePath();
    Path portFile = dir.resolve("superlink-ports.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-jar",
            jar.toAbsolutePath().toString(),
            "--ssl-ca-certfile",
            material.caCertificate().toAbsolutePath().toString(),
            "--ssl-certfile",
            material.serverCertificate().toAbsolutePath().toString(),
            "--ssl-keyfile",
            material.serverKey().toAbsolutePath().toString(),
            "--enable-supernode-auth",
            "--database",
            dir.resolve("superlink.db").toString(),
            "--encryption-keys-dir",
            material.encryptionKeysDir().toAbsolutePath().toString(),
            "--fleet-api-address",
            "127.0.0.1:0",
            "--control-api-address",
            "127.0.0.1:0",
            "--management-port",
            "0",
            "--port-file",
            portFile.toString()));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("superlink.log").toFile())
            .start();
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    try {
      while (!Files.exists(portFile)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the SuperLink exited with code "
                  + process.exitValue()
                  + " before it was ready; see "
                  + dir.resolve("superlink.log"));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the SuperLink was not ready within "
                  + readyTimeout.toSeconds()
                  + " s; see "
                  + dir.resolve("superlink.log"));
        }
        // Polling a file the child writes once: there is no event to wait on across processes.
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      JsonNode ports = JsonMapper.builder().build().readTree(portFile.toFile());
      return new SuperLinkProcess(
          process,
          dir.resolve("superlink.log"),
          ports.get("fleet").asInt(),
          ports.get("control").asInt(),
          ports.get("management").asInt());
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Waits until a line of the SuperLink's log contains one of {@code texts}; false if none did in
   * {@code timeout}. Polls: the log is the only signal the child gives for start-up work it does in
   * the background.
   */
  boolean awaitLog(Duration timeout, String... texts) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long offset = 0;
    StringBuilder pending = new StringBuilder();
    while (true) {
      try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
        long length = file.length();
        if (length > offset) {
          byte[] fresh = new byte[Math.toIntExact(length - offset)];
          file.seek(offset);
          file.readFully(fresh);
          offset = length;
          pending.append(new String(fresh, StandardCharsets.UTF_8));
          for (String text : texts) {
            if (pending.indexOf(text) >= 0) {
              return true;
            }
          }
          // Keep a possibly cut line for the next read; drop what can no longer match.
          int lastLine = pending.lastIndexOf("\n");
          if (lastLine >= 0) {
            pending.delete(0, lastLine + 1);
          }
        }
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        return false;
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
  }

  /** Has the SuperLink run a full collection (jcmd GC.run), e.g. to measure its idle live heap. */
  void collectGarbage(Duration timeout) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd GC.run did not finish within " + timeout.toSeconds() + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("jcmd GC.run failed with exit code " + p.exitValue());
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
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
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
