package io.fedsecure.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

  @Test
  void givenPlainText_whenCleaned_thenItIsUnchanged() {
    assertThat(UntrustedText.clean("training failed: CUDA out of memory (döner 🍕)"))
        .isEqualTo("training failed: CUDA out of memory (döner 🍕)");
  }

  @Test
  void givenEscapeSequencesNewLinesAndBidiOverrides_whenCleaned_thenTheyAreShownNotObeyed() {
    String hostile = "\u001b[2Jok\r\nRound 1 done\u202egnp.exe\u0000";

    String clean = UntrustedText.clean(hostile);

    assertThat(clean).isEqualTo("\\u001b[2Jok\\u000d\\u000aRound 1 done\\u202egnp.exe\\u0000");
    assertThat(clean.chars())
        .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
  }

  @Test
  void givenTextLongerThanTheBound_whenCleaned_thenItIsCutAndSaysHowMuchIsMissing() {
    String clean = UntrustedText.clean("x".repeat(UntrustedText.MAX_CHARS + 1000));

    assertThat(clean)
        .startsWith("x".repeat(UntrustedText.MAX_CHARS))
        .endsWith("... (1000 more characters)");
  }

  @Test
  void givenALoneSurrogate_whenCleaned_thenItIsEscaped() {
    assertThat(UntrustedText.clean("a\ud800b")).isEqualTo("a\\ud800b");
    assertThat(UntrustedText.clean(null)).isEmpty();
  }

  @Test
  void givenALongRunLogLine_whenMadePrintable_thenOnlyItsControlCharactersChange() {
    String line = "Round 1 done: " + "y".repeat(1000) + "\u001b";

    assertThat(UntrustedText.printable(line))
        .isEqualTo("Round 1 done: " + "y".repeat(1000) + "\\u001b");
  }
}
