package io.fedsecure.superlink.config;

import com.google.common.net.HostAndPort;
import java.net.InetSocketAddress;

/** A {@code host:port} flag value such as {@code 0.0.0.0:9092} or {@code [::1]:0}. */
public record ListenAddress(String host, int port) {

  public static ListenAddress parse(String flag, String value) {
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is not HOST:PORT");
    }
    if (!hp.hasPort() || hp.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          flag + ": '" + value + "' must be HOST:PORT, e.g. 0.0.0.0:9092");
    }
    return new ListenAddress(hp.getHost(), hp.getPort());
  }

  public static ListenAddress of(InetSocketAddress bound) {
    return new ListenAddress(
        bound.getAddress() == null ? bound.getHostString() : bound.getAddress().getHostAddress(),
        bound.getPort());
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return HostAndPort.fromParts(host, port).toString();
  }
}
