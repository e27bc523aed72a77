package io.fedsecure.supernode;

import io.fedsecure.supernode.cli.SuperNodeLauncher;
import java.io.PrintWriter;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The SuperNode daemon. Beans: config (NodeConfig, properties), connection (channel, signing,
 * session), task (decrypt, train, encrypt) and the LocalTrainer from the training package.
 */
@SpringBootApplication
public class SuperNodeApplication {
  public static void main(String[] args) {
    // DJL sends requests off the machine at engine start-up unless told it is offline.
    System.setProperty("ai.djl.offline", "true");
    int code = new SuperNodeLauncher(SuperNodeApplication.class,
        new PrintWriter(System.out, true), new PrintWriter(System.err, true)).run(args);
    // Not on success: a clean stop comes from SIGTERM, when exit() would wait on the running hooks forever.
    if (code != 0) {
      System.exit(code);
    }
  }
}
