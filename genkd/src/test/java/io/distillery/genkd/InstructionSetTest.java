package io.distillery.genkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.genkd.data.InstructionPair;
import io.distillery.genkd.data.InstructionPair.CutKind;
import io.distillery.genkd.data.InstructionSet;
import io.distillery.runtime.generate.LmTokenizer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cuts of corpus documents and the held-out split by text hash. */
class InstructionSetTest {
  @TempDir Path dir;

  @Test
  void cutsGlossesFirstSentencesAndHalvesAndKeepsHeldOutDocumentsOutOfTraining()
      throws Exception {
    Path corpus = TinyModels.corpus(dir.resolve("c.jsonl"));
    try (LmTokenizer tok = LmTokenizer.load(TinyModels.TOKENIZER)) {
      InstructionSet s = InstructionSet.read(corpus, tok, 48, 32, TinyModels.EOS);
      assertEquals(60, s.train().size() + s.heldOut().size());
      Set<CutKind> kinds = new HashSet<>();
      Set<Integer> trainDocs = new HashSet<>();
      for (InstructionPair p : s.train()) {
        kinds.add(p.kind());
        trainDocs.add(p.document());
        assertEquals(TinyModels.EOS, p.prefixIds()[0]);
      }
      assertEquals(Set.of(CutKind.values()), kinds);
      for (InstructionPair p : s.heldOut()) {
        assertFalse(trainDocs.contains(p.document()), "held-out document " + p.document());
      }
      InstructionPair gloss = s.train().stream().filter(p -> p.kind() == CutKind.GLOSS)
          .findFirst().orElseThrow();
      assertTrue(gloss.prefix().endsWith(":"), gloss.prefix());
      assertTrue(gloss.continuation().startsWith("a kind of"), gloss.continuation());
      // a short response ends with end-of-text
      assertEquals(TinyModels.EOS, gloss.responseIds()[gloss.responseIds().length - 1]);
      InstructionPair first = s.train().stream()
          .filter(p -> p.kind() == CutKind.FIRST_SENTENCE).findFirst().orElseThrow();
      assertTrue(first.prefix().endsWith("was old."), first.prefix());
      // responses are cut to the budget without an end-of-text
      InstructionSet shortResponses = InstructionSet.read(corpus, tok, 48, 3, TinyModels.EOS);
      assertTrue(shortResponses.train().stream().allMatch(p -> p.responseIds().length <= 3));
    }
    // the split depends on the text only
    assertEquals(InstructionSet.isHeldOut("some text"), InstructionSet.isHeldOut("some text"));
    int held = 0;
    for (int i = 0; i < 2000; i++) {
      held += InstructionSet.isHeldOut("document " + i) ? 1 : 0;
    }
    assertTrue(held > 140 && held < 260, held + " of 2000 held out");
  }
}
