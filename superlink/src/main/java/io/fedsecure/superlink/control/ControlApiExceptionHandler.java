package io.fedsecure.superlink.control;

import io.fedsecure.superlink.registry.DuplicateNodeException;
import io.fedsecure.superlink.registry.UnknownNodeException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem details for every Control API error: Spring MVC's own (inherited) and the
 * registry's. Details say exactly what is wrong, never more than the caller sent or may know.
 */
@RestControllerAdvice
public class ControlApiExceptionHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(DuplicateNodeException.class)
  ProblemDetail duplicate(DuplicateNodeException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    problem.setTitle(
        e.conflict() == DuplicateNodeException.Conflict.PUBLIC_KEY
            ? "Public key already registered"
            : "Node name already in use");
    return problem;
  }

  @ExceptionHandler(UnknownNodeException.class)
  ProblemDetail unknownNode(UnknownNodeException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("Unknown node");
    return problem;
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Throwable cause = e.getMostSpecificCause();
    if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
      problem.setTitle("Request body too large");
      return handleExceptionInternal(e, problem, headers, HttpStatus.PAYLOAD_TOO_LARGE, request);
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "request body is not valid JSON for this request: " + cause.getMessage());
    problem.setTitle("Malformed request body");
    return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
  }
}
