package io.fedsecure.cli.app;

import io.fedsecure.cli.CliEnvironment;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Hands the {@link CliEnvironment} to every command or mixin class that asks for it in its
 * constructor.
 */
final class EnvironmentFactory implements CommandLine.IFactory {

  private final CliEnvironment environment;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  EnvironmentFactory(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    try {
      Constructor<K> constructor = cls.getDeclaredConstructor(CliEnvironment.class);
      constructor.setAccessible(true);
      return constructor.newInstance(environment);
    } catch (NoSuchMethodException e) {
      return fallback.create(cls);
    }
  }
}
