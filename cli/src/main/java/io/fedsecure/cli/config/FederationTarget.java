package io.fedsecure.cli.config;

import io.fedsecure.cli.CliEnvironment;
import io.fedsecure.cli.http.ControlClient;
import java.nio.file.Path;

/** The app directory, federation name and override flags every Control API command shares. */
public final class FederationTarget {

  private FederationTarget() {}

  public static ControlClient connect(
      CliEnvironment environment, Path appDir, String federation, ConnectionOptions flags) {
    ConnectionConfig config = new ConfigResolver(environment.homeDir()).resolve(appDir, federation, flags);
    return ControlClient.connect(config);
  }
}
