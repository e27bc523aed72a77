package io.fedsecure.supernode.cli;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfig;
import io.fedsecure.supernode.connection.SuperLinkAddress;
import io.fedsecure.supernode.connection.SuperNodeRunner;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import picocli.CommandLine;

/**
 * Parses the command line with picocli, starts Spring with the result, and waits for the node to
 * stop or fail. Every failure ends as one line on stderr and an {@link ExitCode}; no stack traces.
 */
public final class SuperNodeLauncher {
  private static final Logger log = LoggerFactory.getLogger(SuperNodeLauncher.class);

  private final Class<?> application;
  private final PrintWriter out;
  private final PrintWriter err;

  public SuperNodeLauncher(Class<?> application, PrintWriter out, PrintWriter err) {
    this.application = application;
    this.out = out;
    this.err = err;
  }

  public int run(String... args) {
    SuperNodeCommand command = new SuperNodeCommand();
    CommandLine commandLine = new CommandLine(command);
    Map<String, String> exitCodes = new LinkedHashMap<>();
    for (ExitCode code : ExitCode.values()) {
      exitCodes.put(Integer.toString(code.code()), code.meaning());
    }
    commandLine
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(exitCodes);
    try {
      commandLine.parseArgs(args);
      if (commandLine.isUsageHelpRequested()) {
        commandLine.usage(out);
        out.flush();
        return ExitCode.OK.code();
      }
      if (commandLine.isVersionHelpRequested()) {
        commandLine.printVersionHelp(out);
        out.flush();
        return ExitCode.OK.code();
      }
      command.validate();
      // Malformed values fail here, as usage errors, before anything starts.
      SuperLinkAddress.parse(command.superlink);
      NodeConfig nodeConfig = NodeConfig.parse(command.nodeConfig);
      // The keys the connection needs; the trainer checks its own (dataset-path, ...) when it is
      // built.
      nodeConfig.string("node-id");
      nodeConfig.string("encryption-key");
    } catch (CommandLine.ParameterException e) {
      return fail(ExitCode.USAGE, e.getMessage() + " (see --help)");
    } catch (NodeStartupException e) {
      return fail(ExitCode.USAGE, e.getMessage());
    }
    if (command.clientAppIoApiAddress != null) {
      log.info(
          "--clientappio-api-address {} is accepted for compatibility and not used: the app runs in this process",
          command.clientAppIoApiAddress);
    }
    return start(command.toProperties());
  }

  private int start(Map<String, Object> properties) {
    SpringApplication spring = new SpringApplication(application);
    spring.addInitializers(
        context ->
            context
                .getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("supernode-command-line", properties)));
    ConfigurableApplicationContext context;
    try {
      context = spring.run();
    } catch (RuntimeException e) {
      return failStartup(e);
    }
    try {
      context.getBean(SuperNodeRunner.class).termination().join();
      return ExitCode.OK.code();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      int code =
          cause instanceof NodeStartupException n
              ? fail(ExitCode.of(n), n.getMessage())
              : fail(ExitCode.INTERNAL, "unexpected failure: " + oneLine(cause));
      context.close();
      return code;
    }
  }

  private int failStartup(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NodeStartupException n) {
        return fail(ExitCode.of(n), n.getMessage());
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return fail(ExitCode.INTERNAL, "cannot start: " + oneLine(root));
  }

  private int fail(ExitCode code, String message) {
    err.println("supernode: " + message.replaceAll("\\s*\\R\\s*", " ").strip());
    err.flush();
    return code.code();
  }

  private static String oneLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }
}
