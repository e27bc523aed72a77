package io.fedsecure.cli;

public final class FlwrCommand {
  public static void main(String[] args) {
    System.out.println("flwr: not yet");
  }
}
