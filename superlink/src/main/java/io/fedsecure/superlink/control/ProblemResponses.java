package io.fedsecure.superlink.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Problem details written by servlet filters, which run before Spring MVC's exception handling. */
final class ProblemResponses {

  private ProblemResponses() {}

  static void write(HttpServletResponse response, ObjectMapper json, HttpStatus status, String title, String detail,
      String instance) throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setInstance(java.net.URI.create(instance));
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
