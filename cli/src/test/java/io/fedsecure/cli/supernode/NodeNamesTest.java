package io.fedsecure.cli.supernode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeNamesTest {

  @Test
  void infersNodeNameFromTheKeyScriptsFileName() {
    assertThat(NodeNames.inferFrom(Path.of("keys/client_credentials_1.pub"))).contains("node-1");
    assertThat(NodeNames.inferFrom(Path.of("/abs/client_credentials_12.pub"))).contains("node-12");
  }

  @Test
  void infersNothingFromOtherNames() {
    assertThat(NodeNames.inferFrom(Path.of("keys/client_credentials_1"))).isEmpty();
    assertThat(NodeNames.inferFrom(Path.of("keys/my_node.pub"))).isEmpty();
    assertThat(NodeNames.inferFrom(Path.of("keys/client_credentials_x.pub"))).isEmpty();
    assertThat(NodeNames.inferFrom(Path.of("keys/xclient_credentials_1.pub"))).isEmpty();
  }

  @Test
  void explicitNamesMustBeSafeAsAFileNamePart() {
    assertThat(NodeNames.requireSafe("node-3")).isEqualTo("node-3");
    assertThatThrownBy(() -> NodeNames.requireSafe("../etc"))
        .hasMessageStartingWith("--name '../etc' is not usable");
    assertThatThrownBy(() -> NodeNames.requireSafe("a/b")).hasMessageContaining("--name");
    assertThatThrownBy(() -> NodeNames.requireSafe("")).hasMessageContaining("--name");
  }
}
