package io.fedsecure.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout, its built jars, its scripts and the shared data are. */
final class Repository {
  private Repository() {}

  static Path root() {
    String dir = System.getProperty("fedsecure.repo.dir");
    Path root = dir != null ? Path.of(dir) : Path.of("..");
    return root.toAbsolutePath().normalize();
  }

  static Path shared() {
    String dir = System.getProperty("fedsecure.shared.dir");
    Path shared = dir != null ? Path.of(dir) : root().resolve("../shared");
    return shared.toAbsolutePath().normalize();
  }

  static Path cifarArchive() {
    return shared().resolve("datasets/cifar10/cifar-10-binary.tar.gz");
  }

  static Path script(String name) {
    return root().resolve("scripts").resolve(name);
  }

  static Path jar(String module, String name) {
    Path jar = root().resolve(module).resolve("target").resolve(name);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the e2e tests run after `./mvnw package` built it");
    }
    return jar;
  }
}
