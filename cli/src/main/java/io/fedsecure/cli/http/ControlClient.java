package io.fedsecure.cli.http;

import com.google.protobuf.Message;
import io.fedsecure.cli.CliException;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.ListRunsResponse;
import io.fedsecure.proto.control.LogEntry;
import io.fedsecure.proto.control.NodeInfo;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RegisterNodeResponse;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.StartRunRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The Control API over HTTPS with the operator's client certificate. */
public final class ControlClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final String JSON = "application/json";

  private final SuperLinkAddress address;
  private final HttpClient http;

  ControlClient(SuperLinkAddress address, HttpClient http) {
    this.address = address;
    this.http = http;
  }

  public static ControlClient connect(ConnectionConfig config) {
    SuperLinkAddress address = SuperLinkAddress.parse(config.address());
    SSLContext tls =
        TlsContexts.operatorContext(
            config.rootCertificates(), config.operatorCertfile(), config.operatorKeyfile());
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    // Explicit although HttpClient defaults to it: the server certificate must name the host we
    // dialled.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .sslParameters(parameters)
            // HTTP/1.1 chunked NDJSON is the log stream's contract; h2 would add nothing here.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new ControlClient(address, http);
  }

  public RegisterNodeResponse registerNode(RegisterNodeRequest request) {
    return call(
            post("/v1/nodes", ProtoJson.compact(request)),
            RegisterNodeResponse.newBuilder(),
            "registration")
        .build();
  }

  public ListNodesResponse listNodes() {
    return call(get("/v1/nodes"), ListNodesResponse.newBuilder(), "node list").build();
  }

  public NodeInfo unregisterNode(long nodeId) {
    HttpRequest request = base("/v1/nodes/" + Long.toUnsignedString(nodeId)).DELETE().build();
    return call(request, NodeInfo.newBuilder(), "node").build();
  }

  public RunInfo startRun(StartRunRequest request) {
    return call(post("/v1/runs", ProtoJson.compact(request)), RunInfo.newBuilder(), "run").build();
  }

  public ListRunsResponse listRuns() {
    return call(get("/v1/runs"), ListRunsResponse.newBuilder(), "run list").build();
  }

  public RunInfo getRun(long runId) {
    return call(get("/v1/runs/" + Long.toUnsignedString(runId)), RunInfo.newBuilder(), "run")
        .build();
  }

  public RunInfo stopRun(long runId) {
    return call(
            post("/v1/runs/" + Long.toUnsignedString(runId) + "/stop", "{}"),
            RunInfo.newBuilder(),
            "run")
        .build();
  }

  /**
   * Hands each log entry to {@code sink} as its line arrives. Without {@code follow} the server
   * sends what it has and closes; with it, the stream lasts until the entry marked end-of-log.
   *
   * @return the last entry received, if any
   */
  public Optional<LogEntry> streamLog(
      long runId, long after, boolean follow, Consumer<LogEntry> sink) {
    String path =
        "/v1/runs/" + Long.toUnsignedString(runId) + "/log?after=" + after + "&follow=" + follow;
    // No request timeout: a followed run legitimately stays silent between rounds.
    HttpRequest request =
        HttpRequest.newBuilder(address.resolve(path))
            .header("Accept", "application/x-ndjson")
            .GET()
            .build();
    HttpResponse<Stream<String>> response = send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() / 100 != 2) {
        String body = lines.collect(Collectors.joining("\n"));
        throw new ControlApiException(
            response.statusCode(), ProblemDetails.describe(response.statusCode(), body));
      }
      LogEntry last = null;
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isBlank()) {
          continue;
        }
        last = ProtoJson.parse(line, LogEntry.newBuilder(), "log entry").build();
        sink.accept(last);
        if (last.getEndOfLog()) {
          break;
        }
      }
      return Optional.ofNullable(last);
    } catch (UncheckedIOException e) {
      throw new CliException(
          "log stream from the SuperLink at "
              + address.text()
              + " broke off: "
              + describe(e.getCause()));
    }
  }

  private HttpRequest.Builder base(String path) {
    return HttpRequest.newBuilder(address.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", JSON);
  }

  private HttpRequest get(String path) {
    return base(path).GET().build();
  }

  private HttpRequest post(String path, String json) {
    return base(path)
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private <B extends Message.Builder> B call(HttpRequest request, B builder, String what) {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new ControlApiException(
          response.statusCode(), ProblemDetails.describe(response.statusCode(), response.body()));
    }
    return ProtoJson.parse(response.body(), builder, what);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new CliException(
          "cannot reach the SuperLink Control API at " + address.text() + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while talking to the SuperLink at " + address.text());
    }
  }

  /** The most telling message in a cause chain; JDK socket errors often have none at the top. */
  static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return t.getMessage() == null ? "connection refused" : t.getMessage();
      }
      if (t instanceof HttpTimeoutException) {
        return "timed out";
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage().strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
      }
    }
    return error.getClass().getSimpleName();
  }
}
