package io.fedsecure.superlink.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SuperLink for all test classes that ask for it (a Spring context and a TLS PKI are slow to
 * make on two cores). Tests register their own keys, so they do not see each other's nodes. Node
 * patience is short (2 s) so liveness can be observed.
 */
public final class SharedSuperLink implements ParameterResolver {

  private static final String KEY = "shared-superlink";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == SuperLinkFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    ExtensionContext.Store store = extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    return store.getOrComputeIfAbsent(KEY, key -> new Resource(start()), Resource.class).fixture;
  }

  private static SuperLinkFixture start() {
    try {
      Path dir = Files.createTempDirectory("superlink-shared");
      return SuperLinkFixture.start(dir, "--heartbeat-interval", "1s", "--node-patience", "2s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Resource(SuperLinkFixture fixture)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      fixture.close();
    }
  }
}
