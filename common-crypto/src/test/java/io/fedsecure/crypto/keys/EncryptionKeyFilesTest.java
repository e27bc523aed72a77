package io.fedsecure.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.crypto.envelope.WeightKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeyFilesTest {

  @TempDir Path dir;

  @Test
  void generatesOwnerOnlyKeysThatLoad() throws Exception {
    Path file = EncryptionKeyFiles.pathFor(dir.resolve("encryption_keys"), "node-1");
    EncryptionKeyFiles.generate(file, false);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    WeightKey key = EncryptionKeyFiles.load(file);
    assertThat(key.keyId()).hasSize(16);
    assertThat(key).isNotNull();
  }

  @Test
  void loadsWhatOpensslRandWritesIdentically() throws Exception {
    byte[] raw = new byte[32];
    raw[5] = 7;
    Path file = owned(raw);
    assertThat(EncryptionKeyFiles.load(file).keyId()).isEqualTo(WeightKey.fromBytes(raw).keyId());
  }

  @Test
  void generateRefusesToOverwriteUnlessForced() throws Exception {
    Path file = dir.resolve("k.bin");
    EncryptionKeyFiles.generate(file, false);
    String before = EncryptionKeyFiles.load(file).keyId();
    assertThatThrownBy(() -> EncryptionKeyFiles.generate(file, false))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("already exists");
    assertThat(EncryptionKeyFiles.load(file).keyId()).isEqualTo(before);
    EncryptionKeyFiles.generate(file, true);
    assertThat(EncryptionKeyFiles.load(file).keyId()).isNotEqualTo(before);
  }

  @Test
  void refusesAMissingFile() {
    Path file = dir.resolve("missing_key.bin");
    assertThatThrownBy(() -> EncryptionKeyFiles.load(file))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("openssl rand 32");
  }

  @Test
  void refusesASymlink() throws Exception {
    Path target = owned(new byte[32]);
    Path link = Files.createSymbolicLink(dir.resolve("link.bin"), target);
    assertThatThrownBy(() -> EncryptionKeyFiles.load(link))
        .hasMessageContaining(link.toString())
        .hasMessageContaining("symbolic link");
  }

  @Test
  void refusesGroupOrOtherAccessAndSaysChmod() throws Exception {
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-------"}) {
      Path file = owned(new byte[32]);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      if (mode.equals("rw-------")) {
        assertThat(EncryptionKeyFiles.load(file)).isNotNull();
      } else {
        assertThatThrownBy(() -> EncryptionKeyFiles.load(file))
            .as(mode)
            .hasMessageContaining("chmod 600 " + file)
            .hasMessageContaining(mode);
      }
    }
  }

  @Test
  void refusesWrongLengthsSayingExpectedAndActual() throws Exception {
    Path shorter = owned(new byte[31]);
    assertThatThrownBy(() -> EncryptionKeyFiles.load(shorter))
        .hasMessageContaining("exactly 32 bytes")
        .hasMessageContaining("openssl rand 32 > " + shorter)
        .hasMessageContaining("holds 31 bytes");
    Path hex = owned(new byte[65]);
    assertThatThrownBy(() -> EncryptionKeyFiles.load(hex))
        .hasMessageContaining("holds 65 bytes")
        .hasMessageContaining("hex");
    Path empty = owned(new byte[0]);
    assertThatThrownBy(() -> EncryptionKeyFiles.load(empty)).hasMessageContaining("holds 0 bytes");
  }

  @Test
  void refusesADirectory() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(() -> EncryptionKeyFiles.load(sub))
        .hasMessageContaining("not a regular file");
  }

  private int n;

  private Path owned(byte[] content) throws Exception {
    Path file = dir.resolve("key" + (n++) + ".bin");
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
