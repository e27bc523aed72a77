package io.fedsecure.superlink.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsecure.crypto.pki.ClientRole;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operators only, on every Control API path. TLS (client-auth=need) has already verified the
 * certificate chains to the federation CA; here its role must be OPERATOR, so a SuperNode's
 * certificate, which chains to the same CA, gets 403.
 */
public class OperatorCertificateFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(OperatorCertificateFilter.class);
  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  private final boolean insecure;
  private final ObjectMapper json;

  public OperatorCertificateFilter(boolean insecure, ObjectMapper json) {
    this.insecure = insecure;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    X509Certificate[] chainCerts = (X509Certificate[]) request.getAttribute(CERTIFICATES);
    if (chainCerts == null || chainCerts.length == 0) {
      if (insecure) {
        request.setAttribute(OperatorIdentity.ATTRIBUTE, OperatorIdentity.INSECURE);
        chain.doFilter(request, response);
        return;
      }
      refuse(request, response, "an operator client certificate is required");
      return;
    }
    X509Certificate leaf = chainCerts[0];
    Optional<ClientRole> role = ClientRole.of(leaf);
    if (role.isEmpty() || role.get() != ClientRole.OPERATOR) {
      refuse(
          request,
          response,
          "the client certificate is not an operator certificate (role: "
              + role.map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("none")
              + ")");
      return;
    }
    request.setAttribute(OperatorIdentity.ATTRIBUTE, new OperatorIdentity(commonName(leaf)));
    chain.doFilter(request, response);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    log.warn(
        "Control API: refused {} {} from {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        request.getRemoteAddr(),
        detail);
    ProblemResponses.write(
        ProblemResponses.problem(HttpStatus.FORBIDDEN, "Operator certificate required", detail),
        request,
        response,
        json);
  }

  static String commonName(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      // fall through: use the whole subject
    }
    return subject;
  }
}
