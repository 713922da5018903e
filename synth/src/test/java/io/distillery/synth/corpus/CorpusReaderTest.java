package io.distillery.synth.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.synth.filter.Rejection;
import io.distillery.synth.filter.RejectionCounts;
import io.distillery.synth.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {
  private static final TaskSpec TASK = new TaskSpec(List.of("neg", "pos"), "Review sentiment");
  @TempDir Path dir;

  /** Two shards of 3 and 2 records. */
  @BeforeEach
  void writeCorpus() {
    ObjectNode settings = Json.MAPPER.createObjectNode().put("seed", 1);
    Manifest m = new Manifest(TASK, 5, settings, Json.MAPPER.createObjectNode(), List.of());
    long id = 0;
    for (int shard = 0; shard < 2; shard++) {
      try (ShardWriter w = new ShardWriter(dir, shard, id, 2)) {
        for (int i = 0; i < (shard == 0 ? 3 : 2); i++, id++) {
          int label = (int) (id % 2);
          w.write(new CorpusRecord(id, "text number " + id, label, TASK.labels().get(label),
              new float[] {label == 0 ? 1f : -1f, label == 0 ? -1f : 1f}, id == 0 ? "" : "A review:",
              id == 0 ? -1 : label, id == 0 ? Double.NaN : -3.25));
        }
        RejectionCounts r = new RejectionCounts();
        r.add(Rejection.TOO_SHORT);
        m = m.withShard(w.commit(10, r));
      }
      m.write(dir);
    }
  }

  @Test
  void streamsVerifiedRecordsInIdOrder() {
    List<CorpusRecord> all = new ArrayList<>();
    try (CorpusReader r = CorpusReader.open(dir)) {
      r.forEachRemaining(all::add);
      assertEquals(5, r.manifest().samples());
      assertTrue(r.manifest().complete());
      assertArrayEquals(new long[] {3, 2}, r.manifest().labelCounts());
      assertEquals(2, r.manifest().rejections().get(Rejection.TOO_SHORT));
      assertEquals(20, r.manifest().candidates());
    }
    assertEquals(5, all.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, all.get(i).id());
    }
    assertTrue(Double.isNaN(all.get(0).genLogProb()));
    assertEquals(-3.25, all.get(1).genLogProb());
    assertArrayEquals(new float[] {-1f, 1f}, all.get(1).logits());
  }

  @Test
  void shardsArePlainJsonLinesWithTheDocumentedFields() throws Exception {
    String first = Files.readAllLines(dir.resolve("shard-00000.jsonl")).get(0);
    assertEquals("{\"id\":0,\"text\":\"text number 0\",\"label\":0,\"label_name\":\"neg\","
        + "\"logits\":[1.0,-1.0],\"prompt\":\"\",\"intended_label\":-1,\"gen_logprob\":null}", first);
  }

  @Test
  void aTamperedShardIsRejectedNamingTheShard() throws Exception {
    Path shard = dir.resolve("shard-00001.jsonl");
    String text = Files.readString(shard, StandardCharsets.UTF_8);
    Files.writeString(shard, text.replace("text number 4", "text number 5"));
    BadInputException e = assertThrows(BadInputException.class, () -> CorpusReader.verify(dir));
    assertTrue(e.getMessage().contains("shard-00001.jsonl") && e.getMessage().contains("checksum mismatch")
        && e.getMessage().contains(Manifest.read(dir).shards().get(1).sha256()), e.getMessage());
    // the reader streams shard 0, then refuses shard 1 before reading it
    try (CorpusReader r = CorpusReader.open(dir)) {
      for (int i = 0; i < 3; i++) {
        r.next();
      }
      assertThrows(BadInputException.class, r::hasNext);
    }
  }

  @Test
  void aMissingShardOrInconsistentManifestIsRejected() throws Exception {
    Files.delete(dir.resolve("shard-00000.jsonl"));
    BadInputException e = assertThrows(BadInputException.class, () -> CorpusReader.verify(dir));
    assertTrue(e.getMessage().contains("shard-00000.jsonl") && e.getMessage().contains("missing"));
    Path manifest = dir.resolve(Manifest.FILE);
    Files.writeString(manifest, Files.readString(manifest).replace("\"samples\" : 5", "\"samples\" : 6"));
    BadInputException totals = assertThrows(BadInputException.class, () -> Manifest.read(dir));
    assertTrue(totals.getMessage().contains("totals.samples"), totals.getMessage());
    BadInputException none = assertThrows(BadInputException.class, () -> Manifest.read(dir.resolve("x")));
    assertTrue(none.getMessage().contains("manifest.json"));
  }

  @Test
  void manifestRoundTrips() {
    Manifest m = Manifest.read(dir);
    m.write(dir.resolve("copy"));
    Manifest back = Manifest.read(dir.resolve("copy"));
    assertEquals(m.toJson(), back.toJson());
    assertFalse(Manifest.exists(dir.resolve("nowhere")));
  }
}
