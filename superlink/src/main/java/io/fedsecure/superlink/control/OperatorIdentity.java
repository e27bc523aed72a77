package io.fedsecure.superlink.control;

/**
 * The operator behind a Control API request, from its TLS client certificate. Set as a request
 * attribute by {@link OperatorCertificateFilter}; controllers take it with
 * {@code @RequestAttribute(OperatorIdentity.ATTRIBUTE)}.
 *
 * @param name the certificate subject's CN (recorded as a node's owner)
 */
public record OperatorIdentity(String name) {
  public static final String ATTRIBUTE = "io.fedsecure.superlink.control.OperatorIdentity";

  /** Who is "logged in" when the SuperLink runs with --insecure and there is no certificate. */
  static final OperatorIdentity INSECURE = new OperatorIdentity("insecure-mode");
}
