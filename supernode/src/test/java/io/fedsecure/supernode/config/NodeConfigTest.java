package io.fedsecure.supernode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @Test
  void givenSpaceSeparatedTomlPairs_whenRead_thenStringsAndIntegersAreFoundByKey() {
    NodeConfig config =
        NodeConfig.parse(
            "dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\" encryption-key='encryption_keys/node-1_key.bin'"
                + " num-threads=2");

    assertThat(config.string("dataset-path")).isEqualTo("datasets/cifar10_part_1");
    assertThat(config.string("node-id")).isEqualTo("node-1");
    assertThat(config.string("encryption-key")).isEqualTo("encryption_keys/node-1_key.bin");
    assertThat(config.intValue("num-threads", 1)).isEqualTo(2);
    assertThat(config.intValue("seed", 42)).isEqualTo(42);
    assertThat(config.optionalString("trainer")).isEmpty();
  }

  @Test
  void givenATomlFile_whenRead_thenItsValuesAreTheNodesSettings(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("node-1.toml");
    Files.writeString(
        file,
        """
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
  void givenUnreadableText_whenParsed_thenItIsAUsageErrorNamingTheFlagWithAnExample() {
    assertThatThrownBy(() -> NodeConfig.parse("dataset-path=\"x\",node-id=\"y\""))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith(
            "--node-config: pairs are separated by spaces, not commas, e.g. --node-config "
                + "'dataset-path=\"datasets/cifar10_part_1\" node-id=\"node-1\"");
  }

  @Test
  void givenNoArgument_whenParsed_thenTheErrorShowsACorrectOne() {
    assertThatThrownBy(() -> NodeConfig.parse(" "))
        .isInstanceOf(NodeConfigException.class)
        .hasMessage("--node-config is required, e.g. " + NodeConfig.EXAMPLE);
  }

  @Test
  void givenAMissingKey_whenRead_thenTheErrorNamesTheKeyAndShowsAnExample() {
    NodeConfig config = NodeConfig.parse("node-id=\"node-1\"");

    assertThatThrownBy(() -> config.string("dataset-path"))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith(
            "node-config is missing key dataset-path (e.g. --node-config 'dataset-path=");
  }

  @Test
  void givenValuesOfTheWrongType_whenRead_thenTheErrorShowsTheRightForm() {
    NodeConfig config = NodeConfig.parse("node-id=7 num-threads=\"two\" seed=1e3 name=\"\"");

    assertThatThrownBy(() -> config.string("node-id"))
        .hasMessage("node-config key node-id must be a quoted string, e.g. node-id=\"7\"");
    assertThatThrownBy(() -> config.intValue("num-threads", 1))
        .hasMessage(
            "node-config key num-threads must be an integer without quotes, e.g. num-threads=1, got \"two\"");
    assertThatThrownBy(() -> config.intValue("seed", 42))
        .hasMessage(
            "node-config key seed must be an integer without quotes, e.g. seed=42, got 1000.0");
    assertThatThrownBy(() -> config.string("name")).hasMessage("node-config key name is empty");
  }
}
