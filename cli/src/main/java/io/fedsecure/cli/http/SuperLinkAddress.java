package io.fedsecure.cli.http;

import io.fedsecure.cli.CliException;
import java.net.URI;
import java.net.URISyntaxException;

/** A Control API address as Flower writes it ({@code HOST:PORT}, {@code [::1]:PORT}). */
public record SuperLinkAddress(String text, URI baseUri) {

  public static SuperLinkAddress parse(String text) {
    String trimmed = text.strip();
    String authority =
        trimmed.startsWith("https://") ? trimmed.substring("https://".length()) : trimmed;
    if (authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    try {
      URI uri = new URI("https://" + authority);
      if (uri.getHost() == null
          || uri.getPort() < 0
          || !uri.getRawPath().isEmpty()
          || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(text, "not HOST:PORT");
      }
      return new SuperLinkAddress(authority, uri);
    } catch (URISyntaxException e) {
      throw new CliException(
          "SuperLink address '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:9093 or [::1]:9093)");
    }
  }

  URI resolve(String pathAndQuery) {
    return baseUri.resolve(pathAndQuery);
  }
}
