package io.fedsecure.cli.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Flags that override the federation's connection settings from the config file. */
public final class ConnectionOptions {

  @Option(
      names = "--superlink-address",
      paramLabel = "HOST:PORT",
      description =
          "Control API address, e.g. 127.0.0.1:9093 (overrides the federation's address).")
  public String superlinkAddress;

  @Option(
      names = "--root-certificates",
      paramLabel = "FILE",
      description =
          "PEM CA certificate(s) to trust for the SuperLink (overrides root-certificates).")
  public Path rootCertificates;

  @Option(
      names = "--operator-certfile",
      paramLabel = "FILE",
      description = "PEM operator client certificate (overrides operator-certfile).")
  public Path operatorCertfile;

  @Option(
      names = "--operator-keyfile",
      paramLabel = "FILE",
      description = "PKCS#8 PEM key of the operator certificate (overrides operator-keyfile).")
  public Path operatorKeyfile;
}
