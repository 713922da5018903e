package io.distillery.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.spark.label.TaskHook;
import io.distillery.spark.testing.SmallTeacher;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.corpus.Manifest;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.synth.testing.Sentences;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local mode writes the corpus a single-process synthesizer writes: 10,000 samples from
 * a raw corpus, labelled by a real fp32 ONNX teacher ({@link SmallTeacher}) on two executor
 * threads; with another partition count, several rounds and a task that fails on
 * purpose, the corpus is still the same.
 */
class SparkSynthesizerTest {
  private static final TaskSpec TASK = new TaskSpec(List.of("negative", "positive"),
      "Sentiment of everyday sentences");
  private static final int SAMPLES = 10_000;
  /** Tasks the hook failed (local mode: the executors are threads of this JVM). */
  private static final AtomicInteger INJECTED = new AtomicInteger();

  @TempDir static Path shared;
  static Path corpusFile;
  static ClassifierModel teacher;
  static JavaSparkContext spark;
  static Path singleProcess;

  @BeforeAll
  static void setUp() {
    List<String> lines = new ArrayList<>(Sentences.distinct(11_000, 23));
    // junk for the filters: an exact and a near duplicate, a short and a repetitive line
    lines.add(lines.get(0).toUpperCase());
    lines.add(lines.get(1).replace(".", "!!"));
    lines.add("Too short.");
    lines.add("we went home and we went home and we went home and we went home");
    corpusFile = Sentences.write(shared.resolve("general.txt"), lines);
    teacher = ClassifierModel.open(SmallTeacher.create(shared.resolve("teacher")), new SessionFactory(),
        SessionConfig.cpu().withIntraOpThreads(1), BatchConfig.defaults());
    // local[2,2]: two executor threads, a task may fail once and be retried
    spark = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("distillery-spark-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    singleProcess = shared.resolve("single");
    SynthSummary s = new Synthesizer(quiet(), 0).synthesize(config(), source(), teacher, singleProcess);
    assertEquals(SAMPLES, s.samples());
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    if (teacher != null) {
      teacher.close();
    }
  }

  private static SynthConfig config() {
    return SynthConfig.defaults(TASK, SAMPLES).withSeed(7);
  }

  private static RawCorpusSource source() {
    return RawCorpusSource.open(corpusFile, RawCorpusSource.Unit.LINE);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void tenThousandSamplesEqualTheSingleProcessCorpus() {
    Path out = shared.resolve("spark-2");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    SynthSummary s = new SparkSynthesizer(spark, SparkSettings.defaults(),
        new PrintStream(log, true, StandardCharsets.UTF_8)).synthesize(config(), source(), teacher, out);
    assertTrue(s.complete());
    assertEquals(SAMPLES, s.samples());
    assertSameCorpus(singleProcess, out);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("in 2 partitions"), log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailedTaskAndOtherPartitionsGiveTheSameCorpus() {
    INJECTED.set(0);
    TaskHook failOnce = context -> {
      if (context.partitionId() == 1 && context.attemptNumber() == 0) {
        INJECTED.incrementAndGet();
        throw new IllegalStateException("injected failure of partition 1, attempt 0");
      }
    };
    Path out = shared.resolve("spark-3-failing");
    // three partitions per round, rounds of at most 4,000 candidates: several jobs, each losing a task
    SparkSettings settings = SparkSettings.defaults().withPartitions(3).withMaxRound(4_000);
    SynthSummary s = new SparkSynthesizer(spark, settings, quiet(), failOnce)
        .synthesize(config(), source(), teacher, out);
    assertEquals(SAMPLES, s.samples());
    assertTrue(INJECTED.get() >= 3, "each round lost one task; injected " + INJECTED.get());
    assertSameCorpus(singleProcess, out);
  }

  @Test
  void aDriverStoppedAfterThreeShardsResumesToTheSameCorpus() {
    Path out = shared.resolve("spark-resumed");
    SparkSynthesizer synth = new SparkSynthesizer(spark, SparkSettings.defaults(), quiet());
    SynthSummary first = synth.synthesize(config().withMaxShards(3), source(), teacher, out);
    assertEquals(3_000, first.samples());
    SynthSummary rest = synth.synthesize(config(), source(), teacher, out);
    assertEquals(7, rest.shardsWritten());
    assertSameCorpus(singleProcess, out);
  }

  /** Same ids, texts, labels and prompts; logits within 1e-6; same manifest counts. */
  private static void assertSameCorpus(Path expected, Path actual) {
    Manifest a = CorpusReader.verify(expected);
    Manifest b = CorpusReader.verify(actual);
    assertEquals(a.samples(), b.samples());
    assertEquals(a.candidates(), b.candidates());
    assertEquals(a.rejections().asMap(), b.rejections().asMap());
    assertArrayEquals(a.labelCounts(), b.labelCounts());
    assertEquals(a.shards().size(), b.shards().size());
    try (CorpusReader ra = CorpusReader.open(expected); CorpusReader rb = CorpusReader.open(actual)) {
      long n = 0;
      while (ra.hasNext()) {
        assertTrue(rb.hasNext(), "the Spark corpus ends early, at record " + n);
        CorpusRecord x = ra.next();
        CorpusRecord y = rb.next();
        assertEquals(x.id(), y.id());
        assertEquals(x.text(), y.text(), "text of id " + x.id());
        assertEquals(x.label(), y.label(), "label of id " + x.id());
        assertEquals(x.prompt(), y.prompt());
        assertEquals(x.logits().length, y.logits().length);
        for (int k = 0; k < x.logits().length; k++) {
          assertEquals(x.logits()[k], y.logits()[k], 1e-6, "logit " + k + " of id " + x.id());
        }
        n++;
      }
      assertTrue(!rb.hasNext(), "the Spark corpus has extra records");
      assertEquals(SAMPLES, n);
    }
  }
}
