package io.fedsecure.superlink;

import io.fedsecure.superlink.config.SuperLinkOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SuperLinkApplication {

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    SuperLinkOptions.Outcome outcome = SuperLinkOptions.parse(args, out, err);
    if (outcome instanceof SuperLinkOptions.Exit exit) {
      System.exit(exit.code());
    }
    try {
      start(((SuperLinkOptions.Start) outcome).options());
    } catch (RuntimeException e) {
      // Spring has already logged why (failure analysis); the exit code is for scripts.
      System.exit(1);
    }
  }

  /**
   * Starts the SuperLink with parsed options. The flags go in as the highest-precedence property
   * source so application.yml supplies defaults only.
   */
  public static ConfigurableApplicationContext start(
      SuperLinkOptions options, Class<?>... extraSources) {
    Class<?>[] sources =
        Stream.concat(Stream.of(SuperLinkApplication.class), Stream.of(extraSources))
            .toArray(Class<?>[]::new);
    SpringApplication app = new SpringApplication(sources);
    app.addInitializers(
        context ->
            context
                .getEnvironment()
                .getPropertySources()
                .addFirst(
                    new MapPropertySource("superlink-command-line", options.toSpringProperties())));
    return app.run();
  }
}
