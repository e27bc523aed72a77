package io.fedsecure.supernode.loadgen;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.fedsecure.crypto.pki.IssuedCertificate;
import io.fedsecure.proto.control.ListNodesResponse;
import io.fedsecure.proto.control.NodeStatus;
import io.fedsecure.proto.control.RegisterNodeRequest;
import io.fedsecure.proto.control.RegisterNodeResponse;
import io.fedsecure.proto.control.RunInfo;
import io.fedsecure.proto.control.StartRunRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few Control API calls the load generator needs, over HTTPS with the operator certificate,
 * as the {@code flwr} CLI makes them (the cli module is not on the SuperNode's class path).
 */
final class ControlApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private final URI base;
  private final HttpClient http;

  ControlApi(int port, X509Certificate ca, IssuedCertificate operator) {
    this.base = URI.create("https://127.0.0.1:" + port);
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    this.http = HttpClient.newBuilder()
        .sslContext(sslContext(ca, operator))
        .sslParameters(parameters)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static SSLContext sslContext(X509Certificate ca, IssuedCertificate operator) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      char[] password = new char[0];
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry("operator", operator.privateKey(), password, new X509Certificate[] {operator.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the operator TLS context: " + e.getMessage(), e);
    }
  }

  CompletableFuture<RegisterNodeResponse> registerAsync(String publicKey, String name) {
    RegisterNodeRequest request = RegisterNodeRequest.newBuilder().setPublicKey(publicKey).setName(name).build();
    return http.sendAsync(post("/v1/nodes", request), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> parse(r, RegisterNodeResponse.newBuilder(), "register " + name).build());
  }

  long countOnline() throws IOException, InterruptedException {
    ListNodesResponse nodes = call(HttpRequest.newBuilder(base.resolve("/v1/nodes")).timeout(TIMEOUT).GET().build(),
        ListNodesResponse.newBuilder(), "node list").build();
    return nodes.getNodesList().stream().filter(n -> n.getStatus() == NodeStatus.NODE_STATUS_ONLINE).count();
  }

  RunInfo startRun(StartRunRequest request) throws IOException, InterruptedException {
    return call(post("/v1/runs", request), RunInfo.newBuilder(), "start run").build();
  }

  RunInfo run(long runId) throws IOException, InterruptedException {
    return call(HttpRequest.newBuilder(base.resolve("/v1/runs/" + Long.toUnsignedString(runId))).timeout(TIMEOUT)
        .GET().build(), RunInfo.newBuilder(), "run").build();
  }

  private HttpRequest post(String path, MessageOrBuilder body) {
    try {
      return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(PRINTER.print(body))).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private <B extends Message.Builder> B call(HttpRequest request, B builder, String what)
      throws IOException, InterruptedException {
    return parse(http.send(request, HttpResponse.BodyHandlers.ofString()), builder, what);
  }

  private static <B extends Message.Builder> B parse(HttpResponse<String> response, B builder, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }
    try {
      PARSER.merge(response.body(), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(what + ": unreadable answer: " + e.getMessage(), e);
    }
  }
}
