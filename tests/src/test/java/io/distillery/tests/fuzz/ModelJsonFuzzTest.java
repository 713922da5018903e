package io.distillery.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.distillery.core.BadInputException;
import io.distillery.runtime.model.LabelMap;
import io.distillery.runtime.text.TextTokenizer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The loaders of a model folder's JSON: {@code config.json} (id2label) and {@code tokenizer.json}
 * (parsed by us, then by DJL's native Hugging Face tokenizer). Only a {@link BadInputException}
 * may come out; a native crash ends the fuzzing JVM and is a finding too.
 */
class ModelJsonFuzzTest {
  /**
   * Input: one byte ('t': the rest is a tokenizer.json; otherwise a config.json read for 1 to 4
   * labels, the byte's value mod 4 + 1), then the file's bytes.
   */
  @FuzzTest(maxDuration = "10s")
  void configAndTokenizer(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int labels = Math.floorMod(input[0], 4) + 1;
    boolean tokenizer = input[0] == 't';
    byte[] bytes = java.util.Arrays.copyOfRange(input, 1, input.length);
    if (!tokenizer) {
      Path config = FuzzFiles.write("model/config.json", bytes);
      try {
        LabelMap.forModel(Optional.of(config), labels);
      } catch (BadInputException expected) {
        CorpusReaderFuzzTest.oneLine(expected);
      }
      return;
    }
    Path tok = FuzzFiles.write("model/tokenizer.json", bytes);
    try (TextTokenizer t = TextTokenizer.load(tok)) {
      t.encode("a fuzzed tokenizer still encodes");
    } catch (BadInputException expected) {
      CorpusReaderFuzzTest.oneLine(expected);
    }
  }
}
