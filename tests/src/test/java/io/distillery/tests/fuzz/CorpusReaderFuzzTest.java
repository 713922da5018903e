package io.distillery.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.distillery.core.BadInputException;
import io.distillery.core.JsonlReader;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import java.nio.file.Path;

/**
 * The JSON Lines reader and the corpus reader on arbitrary bytes: a shard and its manifest. Any
 * outcome but records or a {@link BadInputException} (exit 2, one line) is a finding.
 */
class CorpusReaderFuzzTest {
  /** Input: the manifest's bytes, a NUL byte, then the shard's bytes (no NUL: shard only). */
  @FuzzTest(maxDuration = "10s")
  void jsonlAndCorpus(byte[] input) {
    int nul = indexOf(input, (byte) 0);
    byte[] manifest = nul < 0 ? new byte[0] : java.util.Arrays.copyOfRange(input, 0, nul);
    byte[] shard = nul < 0 ? input : java.util.Arrays.copyOfRange(input, nul + 1, input.length);
    Path shardFile = FuzzFiles.write("corpus/shard-00000.jsonl", shard);
    try {
      for (JsonlReader.Line line : JsonlReader.readAll(shardFile)) {
        CorpusRecord.fromJson(line.json(), shardFile, line.number());
      }
    } catch (BadInputException expected) {
      oneLine(expected);
    }
    FuzzFiles.write("corpus/manifest.json", manifest);
    try (CorpusReader r = CorpusReader.open(shardFile.getParent())) {
      while (r.hasNext()) {
        r.next();
      }
    } catch (BadInputException expected) {
      oneLine(expected);
    }
  }

  static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static void oneLine(Exception e) {
    if (e.getMessage() == null || e.getMessage().contains("\n")) {
      throw new AssertionError("an input error must be one line: " + e.getMessage(), e);
    }
  }
}
