package io.fedsecure.supernode.cli;

import io.fedsecure.supernode.NodeStartupException;
import io.fedsecure.supernode.config.NodeConfigException;
import io.fedsecure.supernode.connection.ConnectionFailure;

/** The process exit codes, one per class of failure (listed in --help). */
public enum ExitCode {
  OK(0, "--help, --version (SIGTERM stops and deactivates the node; the JVM then exits 143)"),
  INTERNAL(1, "unexpected internal error"),
  USAGE(2, "bad command line or --node-config"),
  LOCAL_SETUP(3, "a local file is missing or unusable: key, certificate, dataset"),
  UNREACHABLE(4, "SuperLink unreachable: --max-retries or --max-wait-time exhausted"),
  CERTIFICATE_REJECTED(5, "TLS certificate rejected (SuperLink's not trusted, or ours refused)"),
  NOT_REGISTERED(6, "this node's public key is not registered with the SuperLink"),
  REFUSED(
      7,
      "the SuperLink refused this node for good otherwise (signature, name); rate limits and clock skew are retried");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  public static ExitCode of(NodeStartupException failure) {
    if (failure instanceof NodeConfigException) {
      return USAGE;
    }
    if (failure instanceof ConnectionFailure c) {
      return switch (c.kind()) {
        case UNREACHABLE -> UNREACHABLE;
        case CERTIFICATE_REJECTED -> CERTIFICATE_REJECTED;
        case NOT_REGISTERED -> NOT_REGISTERED;
        case REFUSED -> REFUSED;
      };
    }
    return LOCAL_SETUP;
  }
}
