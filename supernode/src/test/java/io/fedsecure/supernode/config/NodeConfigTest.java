package io.fedsecure.supernode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @Test
  void readsSpaceSeparatedTomlPairs() {
    NodeConfig config = NodeConfig.parse(
        "dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\" encryption-key='encryption_keys/node-1_key.bin'"
            + " num-threads=2 verbose=true");

    assertThat(config.string("dataset-path")).isEqualTo("datasets/cifar10_part_1");
    assertThat(config.string("node-id")).isEqualTo("node-1");
    assertThat(config.string("encryption-key")).isEqualTo("encryption_keys/node-1_key.bin");
    assertThat(config.intValue("num-threads", 1)).isEqualTo(2);
    assertThat(config.intValue("seed", 42)).isEqualTo(42);
    assertThat(config.optionalString("trainer")).isEmpty();
    assertThat(config.values()).containsEntry("verbose", true).hasSize(5);
  }

  @Test
  void keepsSpacesEscapesAndEqualsSignsInsideQuotes() {
    NodeConfig config = NodeConfig.parse("dataset-path = \"my data/part 1\"   note=\"a=b \\\"quoted\\\"\" trainer=\"djl\"");

    assertThat(config.string("dataset-path")).isEqualTo("my data/part 1");
    assertThat(config.string("note")).isEqualTo("a=b \"quoted\"");
    assertThat(config.optionalString("trainer")).contains("djl");
  }

  @Test
  void readsATomlFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node-1.toml");
    Files.writeString(file, """
        # node 1
        dataset-path = "datasets/cifar10_part_1"
        node-id = "node-1"
        num-threads = 3
        """);

    NodeConfig config = NodeConfig.parse(file.toString());

    assertThat(config.string("node-id")).isEqualTo("node-1");
    assertThat(config.intValue("num-threads", 1)).isEqualTo(3);
  }

  @Test
  void missingTomlFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("absent.toml");
    assertThatThrownBy(() -> NodeConfig.parse(file.toString()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage("--node-config file " + file + " does not exist");
  }

  @Test
  void commaSeparatedPairsGetTheRightForm() {
    assertThatThrownBy(() -> NodeConfig.parse("dataset-path=\"x\",node-id=\"y\""))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("separated by spaces, not commas")
        .hasMessageContaining("'dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\"");
    assertThatThrownBy(() -> NodeConfig.parse("a=1, b=2")).hasMessageContaining("not commas");
  }

  @Test
  void unquotedStringIsNotToml() {
    assertThatThrownBy(() -> NodeConfig.parse("node-id=node-1"))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage("--node-config value of node-id is not a TOML value: node-1 (quote strings: node-id=\"node-1\")");
  }

  @Test
  void textThatIsNoPairIsReported() {
    assertThatThrownBy(() -> NodeConfig.parse("node-id=\"n\" dangling"))
        .hasMessageStartingWith("--node-config cannot be read near `dangling`");
  }

  @Test
  void missingKeyNamesTheKeyAndShowsAnExample() {
    NodeConfig config = NodeConfig.parse("node-id=\"node-1\"");

    assertThatThrownBy(() -> config.string("dataset-path"))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith("node-config is missing key dataset-path (e.g. --node-config 'dataset-path=");
  }

  @Test
  void wrongTypesAreExplained() {
    NodeConfig config = NodeConfig.parse("node-id=7 num-threads=\"two\"");

    assertThatThrownBy(() -> config.string("node-id")).hasMessage(
        "node-config key node-id must be a quoted string, e.g. node-id=\"7\"");
    assertThatThrownBy(() -> config.intValue("num-threads", 1)).hasMessage(
        "node-config key num-threads must be an integer without quotes, e.g. num-threads=1, got \"two\"");
  }
}
