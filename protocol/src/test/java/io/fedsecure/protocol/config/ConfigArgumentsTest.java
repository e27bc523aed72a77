package io.fedsecure.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsecure.proto.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigArgumentsTest {

  private final ConfigArguments runConfig =
      new ConfigArguments("--run-config", "'num-server-rounds=3 lr=0.1'");

  @TempDir Path dir;

  private static ConfigValue i(long v) {
    return ConfigValue.newBuilder().setIntValue(v).build();
  }

  private static ConfigValue d(double v) {
    return ConfigValue.newBuilder().setDoubleValue(v).build();
  }

  private static ConfigValue s(String v) {
    return ConfigValue.newBuilder().setStringValue(v).build();
  }

  private static ConfigValue b(boolean v) {
    return ConfigValue.newBuilder().setBoolValue(v).build();
  }

  @Test
  void givenFlowersExamplePairs_whenParsed_thenEachValueHasItsTomlTypeInTheGivenOrder() {
    Map<String, ConfigValue> values =
        runConfig.parse("num-server-rounds=5 local-epochs=2 lr=0.01 name=\"x\" flag=true");

    assertThat(values)
        .containsExactly(
            Map.entry("num-server-rounds", i(5)),
            Map.entry("local-epochs", i(2)),
            Map.entry("lr", d(0.01)),
            Map.entry("name", s("x")),
            Map.entry("flag", b(true)));
  }

  @Test
  void givenQuotedValues_whenParsed_thenSpacesEscapesAndEqualsSignsStayInsideTheString() {
    Map<String, ConfigValue> values =
        runConfig.parse("path = \"my data/part 1\"   note=\"a=b \\\"quoted\\\"\" raw='C:\\dir x'");

    assertThat(values)
        .containsExactly(
            Map.entry("path", s("my data/part 1")),
            Map.entry("note", s("a=b \"quoted\"")),
            Map.entry("raw", s("C:\\dir x")));
  }

  @Test
  void givenDottedKeysAndSeveralArguments_whenParsed_thenKeysAreFlatAndALaterPairWins() {
    assertThat(runConfig.parse(List.of("a.b=1 c=2", "c=3", "")))
        .containsExactly(Map.entry("a.b", i(1)), Map.entry("c", i(3)));
  }

  @Test
  void givenATomlFile_whenParsed_thenNestedTablesFlattenToDottedKeys() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("node.toml"),
            """
        # a comment
        dataset-path = "datasets/part_1"
        num-threads = 3
        [train]
        lr = 0.5
        """);

    assertThat(runConfig.parse(file.toString()))
        .containsExactly(
            Map.entry("dataset-path", s("datasets/part_1")),
            Map.entry("num-threads", i(3)),
            Map.entry("train.lr", d(0.5)));
  }

  @Test
  void givenAMissingOrBrokenFile_whenParsed_thenTheErrorNamesTheFlagAndTheFile() throws Exception {
    Path absent = dir.resolve("absent.toml");
    assertThatThrownBy(() -> runConfig.parse(absent.toString()))
        .isInstanceOf(ConfigSyntaxException.class)
        .hasMessage("--run-config: file " + absent + " does not exist");

    Path broken = Files.writeString(dir.resolve("broken.toml"), "a = \n");
    assertThatThrownBy(() -> runConfig.parse(broken.toString()))
        .hasMessageStartingWith("--run-config: file " + broken + " is not valid TOML: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void givenAFileBesidePairs_whenParsed_thenItIsRefused() {
    assertThatThrownBy(() -> runConfig.parse(List.of("a=1", "more.toml")))
        .hasMessage("--run-config: a .toml file cannot be combined with key=value pairs");
  }

  @Test
  void givenTextThatIsNoPair_whenParsed_thenTheErrorQuotesItAndShowsTheExample() {
    assertThatThrownBy(() -> runConfig.parse("num-server-rounds=3 oops"))
        .hasMessage(
            "--run-config: 'oops' is not key=value, e.g. --run-config 'num-server-rounds=3 lr=0.1'");
  }

  @Test
  void givenCommaSeparatedPairs_whenParsed_thenTheErrorSaysSpaces() {
    assertThatThrownBy(() -> runConfig.parse("a=\"x\",b=\"y\""))
        .hasMessageStartingWith("--run-config: pairs are separated by spaces, not commas");
    assertThatThrownBy(() -> runConfig.parse("a=1, b=2")).hasMessageContaining("not commas");
  }

  @Test
  void givenAValueRunningIntoTheNextPair_whenParsed_thenTheErrorNamesTheKey() {
    assertThatThrownBy(() -> runConfig.parse("a=\"x\"b=2"))
        .hasMessage("--run-config: value of a runs into 'b=2': separate pairs with spaces");
  }

  @Test
  void givenAnUnquotedString_whenParsed_thenTheErrorShowsHowToQuoteIt() {
    assertThatThrownBy(() -> runConfig.parse("strategy=fedavg"))
        .hasMessage(
            "--run-config: value of strategy is not a TOML value: fedavg (quote strings: strategy=\"fedavg\")");
  }

  @Test
  void givenAValueAConfigRecordCannotHold_whenParsed_thenTheErrorNamesTheKey() {
    assertThatThrownBy(() -> runConfig.parse("xs=[1, 2]"))
        .hasMessage("--run-config: value of xs must be an integer, float, string or boolean");
    assertThatThrownBy(() -> runConfig.parse("big=99999999999999999999"))
        .hasMessage("--run-config: value of big does not fit in 64 bits");
  }
}
