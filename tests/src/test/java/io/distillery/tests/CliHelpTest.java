package io.distillery.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a newcomer reads first: {@code distillery} alone and every {@code --help}. */
class CliHelpTest {
  private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("synth"),
      List.of("distill"), List.of("run"), List.of("label"), List.of("inspect"), List.of("models"),
      List.of("models", "build"), List.of("bench"), List.of("generate"), List.of("tune-generator"));

  @Test
  void noSubcommandSuggestsTheRootHelp() {
    CliRun r = CliRun.of();
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("try: distillery --help"), r.err());
    assertFalse(r.err().contains("distillery distillery"), r.err());
    CliRun sub = CliRun.of("synth", "--no-such-option");
    assertTrue(sub.err().contains("try: distillery synth --help"), sub.err());
  }

  @Test
  void helpWrapsAtSpacesWithinEightyColumns() {
    // a word cut after '.' or '-' at a line end: "tokenizer.", "OUT.distill-"
    Pattern cutWord = Pattern.compile("(tokenizer|model|config|manifest|OUT|shard-\\*|recipe)\\.$|[a-z]-$");
    for (List<String> cmd : COMMANDS) {
      String[] args = new java.util.ArrayList<>(cmd) {{ add("--help"); }}.toArray(String[]::new);
      CliRun r = CliRun.of(args);
      assertEquals(0, r.exitCode(), cmd + ": " + r.err());
      for (String line : r.out().lines().toList()) {
        assertTrue(line.length() <= 80 || !line.strip().contains(" "), cmd + " line too long: " + line);
        assertFalse(cutWord.matcher(line).find(), cmd + " cuts a word: " + line);
      }
    }
  }

  @Test
  void modelsSummaryNamesEverySubcommandAndSynthShowsDefaults() {
    String root = CliRun.of("--help").out();
    java.util.regex.Matcher m = Pattern.compile("\n  models\s+(.*?)\n  [a-z]", Pattern.DOTALL).matcher(root);
    assertTrue(m.find(), root);
    String summary = m.group(1);
    assertTrue(summary.contains("build") && summary.contains("generator") && summary.contains("corpus"), summary);
    String synth = CliRun.of("synth", "--help").out().replaceAll("\\s+", " ");
    for (String option : List.of("--max-new-tokens", "--temperature", "--top-p", "--max-chars",
        "--max-words", "--shard-size", "--batch-size", "--samples", "--max-shards")) {
      int at = synth.lastIndexOf(option + "="); // the option list, after the synopsis
      assertTrue(at >= 0, option);
      int next = synth.indexOf(" --", at + option.length() + 2);
      String text = synth.substring(at, next < 0 ? synth.length() : next);
      assertTrue(text.contains("default"), option + " shows no default: " + text);
    }
  }
}
