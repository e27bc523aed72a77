package io.fedsecure.cli.keygen;

import io.fedsecure.cli.CliException;

final class Counts {

  static final int MAX = 1000;

  private Counts() {}

  static int require(int value, int min, String flag) {
    if (value < min || value > MAX) {
      throw new CliException(
          flag + " must be between " + min + " and " + MAX + ", got " + value, 2);
    }
    return value;
  }
}
