package io.fedsecure.superlink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.superlink.config.SuperLinkProperties;
import io.fedsecure.superlink.fleet.FleetServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where the SuperLink listens, one log line per port, and, with --port-file, as a JSON file
 * for scripts and test harnesses that start it on port 0.
 */
@Component
public class ListeningPortsReport {

  private static final Logger log = LoggerFactory.getLogger(ListeningPortsReport.class);

  private final SuperLinkProperties properties;
  private final FleetServer fleetServer;
  private final Environment environment;
  private final ObjectMapper json;
  private volatile int controlPort = -1;
  private volatile int managementPort = -1;

  public ListeningPortsReport(
      SuperLinkProperties properties,
      FleetServer fleetServer,
      Environment environment,
      ObjectMapper json) {
    this.properties = properties;
    this.fleetServer = fleetServer;
    this.environment = environment;
    this.json = json;
  }

  @EventListener
  void webServerStarted(WebServerInitializedEvent event) {
    int port = event.getWebServer().getPort();
    String namespace = event.getApplicationContext().getServerNamespace();
    if ("management".equals(namespace)) {
      managementPort = port;
      log.info("Management (health, metrics) listening on 127.0.0.1:{} (HTTP)", port);
    } else {
      controlPort = port;
      log.info(
          "Control API listening on {}:{} ({})",
          environment.getProperty("server.address", "0.0.0.0"),
          port,
          properties.insecure() ? "HTTP, insecure" : "HTTPS, operator certificates");
    }
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    if (properties.insecure()) {
      log.warn("*********************************************************************************");
      log.warn(
          "INSECURE MODE (--insecure): the Fleet and Control APIs are PLAINTEXT and the Control");
      log.warn("API accepts anyone. For development on a trusted machine only; never deploy this.");
      log.warn("*********************************************************************************");
    }
    if (properties.portFile() != null) {
      writePortFile(properties.portFile());
    }
  }

  public int controlPort() {
    return controlPort;
  }

  public int managementPort() {
    return managementPort;
  }

  private void writePortFile(Path file) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("fleet", fleetServer.boundAddress().getPort());
    ports.put("control", controlPort);
    ports.put("management", managementPort);
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      // Write then rename, so a reader polling for the file never sees half of it.
      Path tmp =
          Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
      json.writeValue(tmp.toFile(), ports);
      Files.move(
          tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the port file " + file, e);
    }
    log.info("Ports written to {}", file);
  }
}
