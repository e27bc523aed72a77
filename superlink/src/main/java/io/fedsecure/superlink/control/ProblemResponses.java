package io.fedsecure.superlink.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Problem details written by servlet filters, which run before Spring MVC's exception handling. */
final class ProblemResponses {

  private ProblemResponses() {}

  /** An RFC 9457 problem: status, a short title, and the detail that names what was wrong. */
  static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return problem;
  }

  /** Writes {@code problem} as the response to {@code request} (whose URI becomes its instance). */
  static void write(
      ProblemDetail problem,
      HttpServletRequest request,
      HttpServletResponse response,
      ObjectMapper json)
      throws IOException {
    problem.setInstance(java.net.URI.create(request.getRequestURI()));
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
