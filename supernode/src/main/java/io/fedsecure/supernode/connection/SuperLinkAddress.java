package io.fedsecure.supernode.connection;

import io.fedsecure.supernode.NodeStartupException;
import java.net.URI;
import java.net.URISyntaxException;

/** The --superlink HOST:PORT value. */
public record SuperLinkAddress(String host, int port) {

  public static SuperLinkAddress parse(String value) {
    String hint =
        "--superlink must be HOST:PORT (e.g. 127.0.0.1:9092 or [::1]:9092), got '" + value + "'";
    if (value == null || value.isBlank() || value.contains("/")) {
      throw new NodeStartupException(hint);
    }
    try {
      URI uri = new URI(null, value.strip(), null, null, null).parseServerAuthority();
      if (uri.getHost() == null
          || uri.getPort() < 1
          || uri.getPort() > 65535
          || uri.getUserInfo() != null) {
        throw new NodeStartupException(hint);
      }
      String host = uri.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new SuperLinkAddress(host, uri.getPort());
    } catch (URISyntaxException e) {
      throw new NodeStartupException(hint);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
