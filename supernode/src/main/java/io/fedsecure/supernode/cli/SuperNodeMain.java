package io.fedsecure.supernode.cli;

import io.fedsecure.supernode.SuperNodeApplication;
import java.io.PrintWriter;

/**
 * {@code java -jar supernode.jar}: reads the flags, runs the daemon, exits with an {@link
 * ExitCode}.
 */
public final class SuperNodeMain {

  private SuperNodeMain() {}

  public static void main(String[] args) {
    // DJL sends requests off the machine at engine start-up unless told it is offline.
    System.setProperty("ai.djl.offline", "true");
    int code =
        new SuperNodeLauncher(
                SuperNodeApplication.class,
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true))
            .run(args);
    // Not on success: a clean stop comes from SIGTERM, when exit() would wait on the running hooks
    // forever.
    if (code != 0) {
      System.exit(code);
    }
  }
}
