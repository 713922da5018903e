package io.distillery.synth.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.JobFailedException;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.Logits;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.corpus.Manifest;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.filter.Words;
import io.distillery.synth.source.Candidate;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.source.ShardStart;
import io.distillery.synth.source.TextSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.Sentences;
import io.distillery.synth.testing.TinyTeacher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthesizerTest {
  private static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"),
      "Sentiment of everyday sentences");
  @TempDir static Path shared;
  static Path corpusFile;
  static ClassifierModel teacher;

  @TempDir Path dir;
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final Synthesizer synth =
      new Synthesizer(new PrintStream(errBytes, true, StandardCharsets.UTF_8), 0.0);

  @BeforeAll
  static void corpus() {
    List<String> lines = new ArrayList<>(Sentences.distinct(400, 17));
    // junk the filters must catch: exact and near duplicates, short and repetitive lines
    lines.add(lines.get(0).toUpperCase());
    lines.add(lines.get(1).replace(".", "!!"));
    lines.add("Too short.");
    lines.add("no no no no no no way");
    lines.add("we went home and we went home and we went home and we went home");
    corpusFile = Sentences.write(shared.resolve("general.txt"), lines);
    teacher = TinyTeacher.model();
  }

  private static SynthConfig config(long target) {
    return SynthConfig.defaults(TASK, target).withShardSize(40).withBatchSize(16).withSeed(5);
  }

  private static RawCorpusSource source() {
    return RawCorpusSource.open(corpusFile, RawCorpusSource.Unit.LINE);
  }

  private static List<String> shardFiles(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shard-")).sorted().toList();
    }
  }

  private static void assertSameFiles(Path a, Path b) throws IOException {
    List<String> names = shardFiles(a);
    assertEquals(names, shardFiles(b));
    for (String n : names) {
      assertArrayEquals(Files.readAllBytes(a.resolve(n)), Files.readAllBytes(b.resolve(n)), n);
    }
    assertArrayEquals(Files.readAllBytes(a.resolve(Manifest.FILE)), Files.readAllBytes(b.resolve(Manifest.FILE)));
  }

  @Test
  void writesAVerifiedCorpusWhoseManifestMatchesItsShards() throws Exception {
    Path out = dir.resolve("corpus");
    SynthSummary sum = synth.synthesize(config(150), source(), teacher, out);
    assertTrue(sum.complete());
    assertEquals(150, sum.samples());
    assertEquals(4, sum.shards());
    assertEquals(List.of("shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl",
        "shard-00003.jsonl"), shardFiles(out));

    Manifest m = CorpusReader.verify(out);
    assertEquals(List.of(40, 40, 40, 30), m.shards().stream().map(s -> s.count()).toList());
    long[] counted = new long[2];
    Set<String> normalised = new HashSet<>();
    try (CorpusReader r = CorpusReader.open(out)) {
      long id = 0;
      while (r.hasNext()) {
        CorpusRecord rec = r.next();
        assertEquals(id++, rec.id());
        assertEquals(Logits.argmax(rec.logits()), rec.label());
        assertEquals(TASK.labels().get(rec.label()), rec.labelName());
        assertEquals(-1, rec.intendedLabel());
        assertTrue(normalised.add(String.join(" ", Words.normalized(rec.text()))), "duplicate " + rec.text());
        counted[rec.label()]++;
      }
    }
    assertArrayEquals(counted, m.labelCounts());
    assertEquals(counted[0], sum.labelDistribution().get("negative"));
    assertTrue(counted[0] > 0 && counted[1] > 0, "the random head uses both labels");
    ObjectNode json = m.toJson();
    assertEquals(counted[1], json.path("label_distribution").path("positive").asLong());
    assertEquals(m.shards().get(0).sha256().length(), 64);
    assertEquals(TinyTeacher.model().folder().model().getFileName().toString(),
        json.path("provenance").path("teacher").path("model_file").asText());
    assertEquals(m.candidates(), sum.candidates());
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("samples/s"), errBytes.toString());
  }

  @Test
  void filtersRejectJunkAndTheManifestCountsIt() {
    // the whole corpus through: every junk line is drawn exactly once
    Path out = dir.resolve("all");
    SynthSummary sum = synth.synthesize(config(400).withShardSize(500).withBatchSize(64), source(), teacher, out);
    assertEquals(400, sum.samples());
    assertEquals(405, sum.candidates());
    assertEquals(1, sum.rejections().get("too_short"));
    assertEquals(2, sum.rejections().get("repetitive"));
    assertEquals(2, sum.rejections().get("exact_duplicate"));
    assertEquals(0, sum.rejections().get("near_duplicate"));
    // both variants normalise to the same words as their originals, so exact dedup got them;
    // with exact dedup off, MinHash catches the same pairs
    Path near = dir.resolve("near");
    SynthSummary n = synth.synthesize(config(400).withShardSize(500).withBatchSize(64)
        .withFilters(FilterConfig.defaults().withDedup(false, true, 0.8, 1000)), source(), teacher, near);
    assertEquals(2, n.rejections().get("near_duplicate"));
  }

  @Test
  void aResumedRunWritesExactlyTheBytesOfAnUninterruptedRun() throws Exception {
    Path whole = dir.resolve("whole");
    synth.synthesize(config(150), source(), teacher, whole);

    Path parts = dir.resolve("parts");
    SynthSummary first = synth.synthesize(config(150).withMaxShards(2), source(), teacher, parts);
    assertFalse(first.complete());
    assertEquals(80, first.samples());
    assertEquals(2, first.shardsWritten());
    assertFalse(Manifest.read(parts).complete());
    // what a kill between a shard's rename and the manifest update, or mid-write, leaves behind
    Files.copy(parts.resolve("shard-00001.jsonl"), parts.resolve("shard-00002.jsonl"));
    Files.writeString(parts.resolve(".shard-00003.jsonl12345.tmp"), "{\"id\": 120, \"text\": \"torn");
    SynthSummary rest = synth.synthesize(config(150), source(), teacher, parts);
    assertEquals(2, rest.shardsWritten());
    assertTrue(rest.complete());
    assertSameFiles(whole, parts);

    // a third run finds the corpus complete and changes nothing
    SynthSummary again = synth.synthesize(config(150), source(), teacher, parts);
    assertEquals(0, again.shardsWritten());
    assertSameFiles(whole, parts);
  }

  @Test
  void aCrashMidShardLeavesCommittedShardsAndResumesExactly() throws Exception {
    Path whole = dir.resolve("whole");
    synth.synthesize(config(150).withRebalance(true), source(), teacher, whole);

    Path crashed = dir.resolve("crashed");
    // crash on the second batch of shard 1
    TextSource failing = new FailingSource(source(), 1, 2);
    assertThrows(IllegalStateException.class,
        () -> synth.synthesize(config(150).withRebalance(true), failing, teacher, crashed));
    Manifest partial = Manifest.read(crashed);
    assertEquals(1, partial.shards().size());
    assertEquals(List.of("shard-00000.jsonl"), shardFiles(crashed));
    try (Stream<Path> s = Files.list(crashed)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
    }
    synth.synthesize(config(150).withRebalance(true), source(), teacher, crashed);
    assertSameFiles(whole, crashed);
  }

  @Test
  void resumingRestoresTheDedupStateFromTheCommittedShards() throws Exception {
    // every sentence three times: duplicates of earlier shards' texts keep turning up later
    List<String> lines = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      lines.addAll(Sentences.distinct(150, 23));
    }
    Path file = Sentences.write(dir.resolve("repeats.txt"), lines);
    SynthConfig c = config(120).withShardSize(30);
    Path whole = dir.resolve("whole");
    SynthSummary all = synth.synthesize(c, RawCorpusSource.open(file, RawCorpusSource.Unit.LINE), teacher, whole);
    assertTrue(all.rejections().get("exact_duplicate") > 0);
    Path parts = dir.resolve("parts");
    synth.synthesize(c.withMaxShards(2), RawCorpusSource.open(file, RawCorpusSource.Unit.LINE), teacher, parts);
    synth.synthesize(c, RawCorpusSource.open(file, RawCorpusSource.Unit.LINE), teacher, parts);
    assertSameFiles(whole, parts);
    Set<String> texts = new HashSet<>();
    try (CorpusReader r = CorpusReader.open(parts)) {
      r.forEachRemaining(rec -> assertTrue(texts.add(rec.text()), "duplicate after resume: " + rec.text()));
    }
  }

  @Test
  void rebalancingCapsEveryLabel() {
    Path out = dir.resolve("balanced");
    SynthSummary sum = synth.synthesize(config(100).withRebalance(true), source(), teacher, out);
    assertEquals(50, sum.labelDistribution().get("negative"));
    assertEquals(50, sum.labelDistribution().get("positive"));
    Path free = dir.resolve("free");
    SynthSummary skew = synth.synthesize(config(100), source(), teacher, free);
    long surplus = sum.rejections().get("label_surplus");
    assertEquals(skew.labelDistribution().get("negative") == 50 ? 0 : 1, Long.signum(surplus),
        "surplus samples are skipped exactly when the unbalanced run is skewed");
  }

  @Test
  void refusesATamperedShardOrOtherSettingsOnResume() throws Exception {
    Path out = dir.resolve("c");
    synth.synthesize(config(150).withMaxShards(2), source(), teacher, out);

    ConfigException other = assertThrows(ConfigException.class,
        () -> synth.synthesize(config(150).withSeed(6), source(), teacher, out));
    assertTrue(other.getMessage().contains("settings.seed was 5, now 6"), other.getMessage());

    Path shard = out.resolve("shard-00001.jsonl");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 1;
    Files.write(shard, bytes);
    BadInputException bad = assertThrows(BadInputException.class,
        () -> synth.synthesize(config(150), source(), teacher, out));
    assertTrue(bad.getMessage().contains("shard-00001.jsonl") && bad.getMessage().contains("expects sha256"),
        bad.getMessage());
  }

  @Test
  void failsClearlyWhenTheSourceRunsDryOrLabelsDisagree() throws IOException {
    JobFailedException dry = assertThrows(JobFailedException.class,
        () -> synth.synthesize(config(1000), source(), teacher, dir.resolve("dry")));
    assertTrue(dry.getMessage().contains("ran dry"), dry.getMessage());
    // the full shards stay committed, and they hold nearly every usable line
    Manifest dryManifest = CorpusReader.verify(dir.resolve("dry"));
    assertTrue(dryManifest.samples() >= 360, "samples " + dryManifest.samples());
    assertTrue(dryManifest.shards().stream().allMatch(sh -> sh.count() == 40));

    Path foreign = dir.resolve("foreign");
    Sentences.write(Files.createDirectories(foreign).resolve("shard-00000.jsonl"), List.of("{}"));
    BadInputException mine = assertThrows(BadInputException.class,
        () -> synth.synthesize(config(10), source(), teacher, foreign));
    assertTrue(mine.getMessage().contains("no manifest.json"), mine.getMessage());

    TaskSpec swapped = new TaskSpec(List.of("positive", "negative"), "Sentiment");
    ConfigException labels = assertThrows(ConfigException.class, () -> synth.synthesize(
        SynthConfig.defaults(swapped, 10), source(), teacher, dir.resolve("x")));
    assertTrue(labels.getMessage().contains("teacher's order"), labels.getMessage());
  }

  @Test
  void drawsWhatTheShardNeedsScaledByItsAcceptanceRate() {
    assertEquals(16, Synthesizer.drawSize(16, 40, 0, 0));
    assertEquals(5, Synthesizer.drawSize(16, 5, 0, 0));
    assertEquals(5, Synthesizer.drawSize(16, 5, 35, 35));
    assertEquals(15, Synthesizer.drawSize(16, 5, 96, 32), "3 candidates per sample so far");
    assertEquals(16, Synthesizer.drawSize(16, 5, 32, 0), "nothing accepted yet: a full batch");
  }

  /** A real source that throws on a given batch of a given shard: a crash mid-shard. */
  private static final class FailingSource implements TextSource {
    private final TextSource inner;
    private final int failShard;
    private final int failCall;
    private int shard;
    private int calls;

    FailingSource(TextSource inner, int failShard, int failCall) {
      this.inner = inner;
      this.failShard = failShard;
      this.failCall = failCall;
    }

    @Override
    public void startShard(ShardStart start) {
      shard = start.shard();
      calls = 0;
      inner.startShard(start);
    }

    @Override
    public List<Candidate> next(int n) {
      if (shard == failShard && ++calls == failCall) {
        throw new IllegalStateException("injected crash");
      }
      return inner.next(n);
    }

    @Override
    public ObjectNode describe() {
      return inner.describe();
    }
  }
}
