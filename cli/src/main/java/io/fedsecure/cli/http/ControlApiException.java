package io.fedsecure.cli.http;

import io.fedsecure.cli.CliException;

/** The SuperLink refused a request; the message is the problem detail's {@code detail}. */
public final class ControlApiException extends CliException {

  private final int status;

  public ControlApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
