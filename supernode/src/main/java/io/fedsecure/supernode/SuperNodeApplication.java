package io.fedsecure.supernode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SuperNodeApplication {
  public static void main(String[] args) {
    // DJL sends requests off the machine at engine start-up unless told it is offline.
    System.setProperty("ai.djl.offline", "true");
    SpringApplication.run(SuperNodeApplication.class, args);
  }
}
