package io.distillery.synth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.synth.testing.Sentences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawCorpusSourceTest {
  @TempDir Path dir;

  private static List<String> texts(List<Candidate> cs) {
    return cs.stream().map(Candidate::text).toList();
  }

  @Test
  void splitsSentencesAndSkipsBlankLines() throws Exception {
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, "First one. Second one! \"Third?\" Fourth\n\n   \nA line   with  spaces\n");
    RawCorpusSource s = RawCorpusSource.open(file, RawCorpusSource.Unit.SENTENCE);
    assertEquals(5, s.size());
    s.startShard(new ShardStart(0, 1, 2, 0));
    List<String> all = texts(s.next(10));
    assertEquals(new HashSet<>(List.of("First one.", "Second one!", "\"Third?\"", "Fourth",
        "A line with spaces")), new HashSet<>(all));
    assertTrue(s.next(10).isEmpty(), "exhausted after one pass");
    assertEquals(2, RawCorpusSource.open(file, RawCorpusSource.Unit.LINE).size());
  }

  @Test
  void readsJsonLinesAndNamesBadFiles() throws Exception {
    Path file = dir.resolve("c.jsonl");
    Files.writeString(file, "{\"text\": \"Hello there.\"}\n{\"text\": \"General Kenobi.\"}\n");
    RawCorpusSource s = RawCorpusSource.open(file, RawCorpusSource.Unit.LINE);
    assertEquals(2, s.size());
    Files.writeString(file, "{\"body\": \"x\"}\n");
    BadInputException e = assertThrows(BadInputException.class,
        () -> RawCorpusSource.open(file, RawCorpusSource.Unit.LINE));
    assertTrue(e.getMessage().contains("c.jsonl") && e.getMessage().contains("'text'"), e.getMessage());
    Path empty = Files.writeString(dir.resolve("e.txt"), "\n \n");
    assertThrows(BadInputException.class, () -> RawCorpusSource.open(empty, RawCorpusSource.Unit.LINE));
  }

  @Test
  void shardsAreReproducibleFromTheirStartAlone() {
    Path file = Sentences.write(dir.resolve("s.txt"), Sentences.distinct(100, 1));
    RawCorpusSource s = RawCorpusSource.open(file, RawCorpusSource.Unit.LINE);
    s.startShard(new ShardStart(0, 7, 0, 0));
    List<String> run = new ArrayList<>(texts(s.next(30)));
    run.addAll(texts(s.next(30)));
    RawCorpusSource fresh = RawCorpusSource.open(file, RawCorpusSource.Unit.LINE);
    fresh.startShard(new ShardStart(1, 7, 0, 30));
    assertEquals(run.subList(30, 60), texts(fresh.next(30)));
    fresh.startShard(new ShardStart(0, 8, 0, 0));
    assertNotEquals(run.subList(0, 30), texts(fresh.next(30)), "another seed, another order");
  }
}
