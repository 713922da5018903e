package io.distillery.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.distillery.cli.pipeline.RunConfigLoader;
import io.distillery.core.BadInputException;

/** The run-config loader on arbitrary text, as YAML, JSON and an unknown extension. */
class RunConfigFuzzTest {
  private static final String[] NAMES = {"run.yaml", "run.json", "run.conf"};

  /** Input: one byte choosing the file name (.yaml, .json, .conf), then the file's bytes. */
  @FuzzTest(maxDuration = "10s")
  void runConfig(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String name = NAMES[Math.floorMod(input[0], NAMES.length)];
    byte[] text = java.util.Arrays.copyOfRange(input, 1, input.length);
    try {
      RunConfigLoader.load(FuzzFiles.write(name, text));
    } catch (BadInputException expected) {
      CorpusReaderFuzzTest.oneLine(expected);
    }
  }
}
