package io.fedsecure.supernode.connection;

import io.fedsecure.protocol.FleetMetadata;
import io.grpc.Metadata;
import io.grpc.Status;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells failures worth retrying (the SuperLink is down, restarting, unreachable, or refused this
 * call for now: rate limit, replay-cache pressure, clock skew) from those that retrying cannot fix
 * (certificates, registration, refused signatures), and words them for the operator.
 */
public final class FailureClassifier {

  /** Clock differences below this are network delay, not worth a word. */
  private static final Duration NOTABLE_SKEW = Duration.ofSeconds(2);

  private final SuperLinkAddress address;
  private final NodeCredentials credentials;
  private final Clock clock;

  /** The SuperLink whose failures this classifies. */
  public SuperLinkAddress address() {
    return address;
  }

  public FailureClassifier(SuperLinkAddress address, NodeCredentials credentials, Clock clock) {
    this.address = address;
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * A one-line account of a refusal the SuperLink marked transient (its {@link
   * FleetMetadata#REFUSAL} trailer), with the clock skew measured from its time; empty for any
   * other failure.
   */
  public Optional<String> transientRefusal(Throwable error) {
    if (!isTransientRefusal(error)) {
      return Optional.empty();
    }
    Metadata trailers = Status.trailersFromThrowable(error);
    Status status = Status.fromThrowable(error);
    return Optional.of(
        "the SuperLink at "
            + address
            + " refused this call for now: "
            + status.getCode()
            + " "
            + oneLine(status.getDescription())
            + skew(trailers.get(FleetMetadata.SERVER_TIME)));
  }

  /** Whether the SuperLink marked this refusal transient: the same call may succeed later. */
  public static boolean isTransientRefusal(Throwable error) {
    Metadata trailers = Status.trailersFromThrowable(error);
    return trailers != null && FleetMetadata.TRANSIENT.equals(trailers.get(FleetMetadata.REFUSAL));
  }

  private String skew(String serverTime) {
    if (serverTime == null) {
      return "";
    }
    Duration ahead;
    try {
      ahead = Duration.between(clock.instant(), Instant.parse(serverTime));
    } catch (DateTimeParseException e) {
      return "";
    }
    if (ahead.abs().compareTo(NOTABLE_SKEW) < 0) {
      return "";
    }
    return String.format(
        " (the SuperLink's clock is %d s %s of this node's; check NTP on both)",
        Math.round(ahead.abs().toMillis() / 1000.0), ahead.isNegative() ? "behind" : "ahead");
  }

  /** The failure that should stop the node, or empty when a reconnect may help. */
  public Optional<ConnectionFailure> fatal(Throwable error) {
    if (transientRefusal(error).isPresent()) {
      return Optional.empty();
    }
    Status status = Status.fromThrowable(error);
    String description = status.getDescription() == null ? "" : status.getDescription();
    String lower = description.toLowerCase(Locale.ROOT);
    switch (status.getCode()) {
      case UNAUTHENTICATED:
        if (lower.contains("unregistered") || lower.contains("not registered")) {
          return Optional.of(
              new ConnectionFailure(
                  ConnectionFailure.Kind.NOT_REGISTERED,
                  "this node's public key is not registered with the SuperLink at "
                      + address
                      + ": run `flwr supernode register "
                      + credentials.publicKeyFile()
                      + "`"));
        }
        return Optional.of(refused(status, "refused this node's request signature"));
      case PERMISSION_DENIED:
      case INVALID_ARGUMENT:
      case FAILED_PRECONDITION:
      case UNIMPLEMENTED:
        return Optional.of(refused(status, "refused this node"));
      case UNAVAILABLE:
      case UNKNOWN:
      case INTERNAL:
        return certificateProblem(error);
      default:
        return Optional.empty();
    }
  }

  private ConnectionFailure refused(Status status, String what) {
    return new ConnectionFailure(
        ConnectionFailure.Kind.REFUSED,
        "the SuperLink at "
            + address
            + " "
            + what
            + ": "
            + status.getCode()
            + " "
            + oneLine(status.getDescription()));
  }

  private Optional<ConnectionFailure> certificateProblem(Throwable error) {
    boolean sawSsl = false;
    boolean serverUntrusted = false;
    String detail = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      String upper = message.toUpperCase(Locale.ROOT);
      if (t instanceof CertificateException
          || t instanceof CertPathValidatorException
          || upper.contains("CERTIFICATE_VERIFY_FAILED")
          || upper.contains("PKIX PATH")
          || upper.contains("UNABLE TO FIND VALID CERTIFICATION PATH")) {
        serverUntrusted = true;
        detail = message;
      }
      if (t instanceof SSLException) {
        sawSsl = true;
        if (detail == null) {
          detail = message;
        }
      }
      if (upper.contains("ALERT") && (t instanceof SSLException || upper.contains("SSL"))) {
        sawSsl = true;
        detail = message;
      }
    }
    if (serverUntrusted) {
      return Optional.of(
          new ConnectionFailure(
              ConnectionFailure.Kind.CERTIFICATE_REJECTED,
              "certificate rejected: the certificate of the SuperLink at "
                  + address
                  + " is not trusted by --root-certificates "
                  + credentials.rootCertificates()
                  + " ("
                  + oneLine(detail)
                  + ")"));
    }
    if (sawSsl && detail != null && detail.toUpperCase(Locale.ROOT).contains("ALERT")) {
      // A fatal alert from the SuperLink during the handshake: with mutual TLS that is its verdict
      // on our
      // certificate (netty-tcnative servers answer an untrusted client certificate with
      // internal_error).
      return Optional.of(
          new ConnectionFailure(
              ConnectionFailure.Kind.CERTIFICATE_REJECTED,
              "certificate rejected: the SuperLink at "
                  + address
                  + " refused this node's TLS certificate --ssl-certfile "
                  + credentials.certificate()
                  + " (TLS alert: "
                  + oneLine(detail)
                  + "); is it issued by the CA the SuperLink trusts, for this node?"));
    }
    return Optional.empty();
  }

  /** A short one-line account of an error, for logs and the final message. */
  public static String describe(Throwable error) {
    Status status = Status.fromThrowable(error);
    StringBuilder text = new StringBuilder(status.getCode().toString());
    if (status.getDescription() != null) {
      text.append(": ").append(status.getDescription());
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != error
        && root.getMessage() != null
        && !text.toString().contains(root.getMessage())) {
      text.append(" (").append(root.getMessage()).append(')');
    }
    return oneLine(text.toString());
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
