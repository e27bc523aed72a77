package io.fedsecure.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real child process (a daemon jar or a script) whose output goes to a log file, so a test can
 * wait for what it prints and a failure report can show it.
 */
final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ManagedProcess start(
      String name, List<String> command, Path workDir, Path log, Map<String, String> env) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("DJL_OFFLINE", "true");
    try {
      return new ManagedProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output matches, failing early (with the log) if the process dies first. */
  Matcher awaitOutput(Pattern pattern, Duration timeout) {
    Matcher[] found = new Matcher[1];
    await(name + " to print " + pattern)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Matcher m = pattern.matcher(output());
              if (m.find()) {
                found[0] = m;
                return true;
              }
              if (!process.isAlive()) {
                throw new AssertionError(
                    name
                        + " exited with "
                        + process.exitValue()
                        + " before printing "
                        + pattern
                        + "; its output:\n"
                        + tail());
              }
              return false;
            });
    return found[0];
  }

  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + "; output:\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Simulates a crash: no shutdown hooks, no goodbye to the SuperLink. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  String tail() {
    String out = output();
    return out.length() > 6000 ? "..." + out.substring(out.length() - 6000) : out;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
