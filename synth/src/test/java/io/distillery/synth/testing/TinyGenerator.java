package io.distillery.synth.testing;

import io.distillery.runtime.testing.TinyLmFolder;
import java.nio.file.Path;

/**
 * One real generator folder shared by the synth tests: runtime's {@link TinyLmFolder} (2-layer GPT
 * with seeded random weights, KV-cache signature, byte-level tokenizer) with a 128-token context,
 * so prompts plus continuations fit.
 */
public final class TinyGenerator {
  private static Path folder;

  private TinyGenerator() {}

  public static synchronized Path folder() {
    if (folder == null) {
      folder = TinyLmFolder.write(TempDirs.create("synth-generator"), 128, 3);
    }
    return folder;
  }
}
