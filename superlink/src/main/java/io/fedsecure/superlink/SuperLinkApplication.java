package io.fedsecure.superlink;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SuperLinkApplication {
  public static void main(String[] args) {
    SpringApplication.run(SuperLinkApplication.class, args);
  }
}
