package io.fedsecure.superlink.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.keys.EncryptionKeyFiles;
import io.fedsecure.crypto.keys.KeyFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyDirectoryLoaderTest {

  @Test
  void loadsTheNamedNodesKeyAndRefusesNamesThatEscapeTheDirectory(@TempDir Path dir)
      throws Exception {
    EncryptionKeyFiles.generate(EncryptionKeyFiles.pathFor(dir, "node-1"), false);
    KeyDirectoryLoader loader = new KeyDirectoryLoader(dir);

    assertThat(loader.load("node-1").keyId())
        .isEqualTo(EncryptionKeyFiles.load(dir.resolve("node-1_key.bin")).keyId());
    assertThatThrownBy(() -> loader.load("node-2"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("node-2_key.bin");
    assertThatThrownBy(() -> loader.load("../node-1"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("cannot name a key file");
    assertThatThrownBy(() -> loader.load(null)).isInstanceOf(KeyFileException.class);
  }
}
