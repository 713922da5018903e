package io.distillery.tests.kill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.export.gpt.OnnxInitializers;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.onnx.OnnxProto.ModelProto;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.Manifest;
import io.distillery.tests.TinyClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, tested by killing: {@code distillery synth}, {@code distill} and {@code run} run
 * as real processes and are SIGKILLed at seeded random moments (a uniform draw over 15-100% of an
 * uninterrupted run's wall time), then rerun until they finish. Each finished result must equal
 * the uninterrupted run with the same seed: the same corpus bytes (every shard, the manifest),
 * sample ids exactly 0..N-1 with no duplicates, every shard matching its manifest checksum, no
 * stray file; the same student weights, bit for bit.
 *
 * <p>CI runs {@value #CI_KILLS} kills per stage. Long mode: {@code -Ddistillery.kills=20} (see
 * README, Reliability), which also kills a {@code run} with the categorical topic prompter
 * learning loop (the committed demo generator, a student probe in the loop: too slow for CI);
 * {@code -Ddistillery.killSeed=N} draws other moments. A kill that lands
 * after the process ended by itself does not count: that chain is checked, wiped and started
 * again until the asked number of kills have landed on live processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillResumeTest {
  static final int CI_KILLS = 3;
  static final int KILLS = Integer.getInteger("distillery.kills", CI_KILLS);
  static final long SEED = Long.getLong("distillery.killSeed", 20261206L);

  @TempDir static Path dir;
  static Path teacher;
  static Path rawText;
  static Path refCorpus;

  @BeforeAll
  static void setUp() throws IOException {
    teacher = TinyClassifier.create(dir);
    // raw text: the committed sentiment TRAIN sentences (never the test split)
    rawText = dir.resolve("raw.jsonl");
    Path train = Path.of(System.getProperty("distillery.root", ".."))
        .resolve("models/data/sentiment/train.jsonl");
    try (Stream<String> lines = Files.lines(train)) {
      Files.write(rawText, lines.limit(800).toList());
    }
  }

  // ---------------------------------------------------------------- synth

  private static String[] synthArgs(Path out) {
    return new String[] {"synth", "--teacher", teacher.toString(), "--out", out.toString(),
        "--corpus", rawText.toString(), "--description", "Is a review sentence negative or positive?",
        "--samples", "300", "--shard-size", "20", "--batch-size", "16", "--seed", "5"};
  }

  @Test
  @Order(1)
  void synthKilledAtRandomMomentsWritesTheUninterruptedCorpus() throws Exception {
    refCorpus = dir.resolve("synth-ref");
    long refMillis = runToEnd("synth-ref", synthArgs(refCorpus));
    checkCorpus(refCorpus, 300);
    Path out = dir.resolve("synth-killed");
    KillLog log = survive("synth", refMillis, List.of(out), synthArgs(out),
        () -> shardsCommitted(out), () -> assertSameCorpus(refCorpus, out, 300));
    System.err.println(log.describe());
  }

  // ---------------------------------------------------------------- distill

  private static String[] distillArgs(Path out, Path work) {
    return new String[] {"distill", "--corpus", refCorpus.toString(), "--teacher",
        teacher.toString(), "--out", out.toString(), "--work", work.toString(), "--seed", "5",
        "--threads", "1", "--epochs", "4", "--batch-size", "8", "--checkpoint-every", "7",
        "--layers", "1", "--width", "32", "--heads", "2", "--ffn-width", "64", "--embedding-dim", "16"};
  }

  @Test
  @Order(2)
  void distillKilledAtRandomMomentsEndsWithTheUninterruptedWeights() throws Exception {
    if (refCorpus == null || !Manifest.exists(refCorpus)) {
      refCorpus = dir.resolve("synth-ref");
      runToEnd("synth-ref", synthArgs(refCorpus));
    }
    // the same paths as the uninterrupted run (they go into the student's metadata), moved aside
    Path out = dir.resolve("distill");
    Path work = dir.resolve("distill.work");
    long refMillis = runToEnd("distill-ref", distillArgs(out, work));
    Path refOut = Files.move(out, dir.resolve("distill-ref"));
    Files.move(work, dir.resolve("distill-ref.work"));
    KillLog log = survive("distill", refMillis, List.of(out, work), distillArgs(out, work),
        () -> checkpointsIn(work), () -> assertSameStudent(refOut, out));
    System.err.println(log.describe());
  }

  // ---------------------------------------------------------------- run

  private static Path runConfig(String name) throws IOException {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.putObject("task").put("description", "Is a review sentence negative or positive?")
        .putArray("labels").add("negative").add("positive");
    c.put("teacher", teacher.toString());
    c.putObject("source").put("kind", "raw_corpus").put("corpus", rawText.toString());
    c.put("out", dir.resolve(name).toString());
    c.put("seed", 7);
    c.putObject("synth").put("samples", 160).put("shard_size", 20).put("batch_size", 16);
    c.putObject("student").put("layers", 1).put("width", 32).put("heads", 2).put("ffn_width", 64)
        .put("embedding_dim", 16);
    c.putObject("distill").put("epochs", 3).put("batch_size", 8).put("checkpoint_every", 5)
        .put("threads", 1);
    c.putObject("bench").put("latency_runs", 10).put("threads", 1);
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, Json.MAPPER.writeValueAsString(c));
    return file;
  }

  @Test
  @Order(3)
  void runKilledAtRandomMomentsEndsWithTheUninterruptedCorpusAndStudent() throws Exception {
    // the same config and out folder as the uninterrupted run, which is then moved aside
    String config = runConfig("run").toString();
    Path out = dir.resolve("run");
    long refMillis = runToEnd("run-ref", "run", config);
    Path ref = Files.move(out, dir.resolve("run-ref"));
    KillLog log = survive("run", refMillis, List.of(out), new String[] {"run", config},
        () -> shardsCommitted(out.resolve("corpus")) + ", " + checkpointsIn(out.resolve("distill-work")),
        () -> {
          assertSameCorpus(ref.resolve("corpus"), out.resolve("corpus"), 160);
          assertSameStudent(ref.resolve("student"), out.resolve("student"));
          assertTrue(Files.isRegularFile(out.resolve("bench/report.json")), "bench report");
        });
    System.err.println(log.describe());
  }

  /**
   * The learning loop of {@code prompts: {kind: categorical}}: the committed demo generator, the
   * topic prompter updated after each shard from teacher rewards and a student probe distilled on
   * the corpus so far. The prompter state, the probe and the corpus must resume exactly.
   */
  @Test
  @Order(4)
  @EnabledIfSystemProperty(named = "distillery.kills", matches = "\\d+",
      disabledReason = "long mode only (each run loads the generator and DJL: ~25 s a launch here)")
  void categoricalPrompterRunKilledAtRandomMomentsEndsWithTheUninterruptedCorpus() throws Exception {
    Path generator = Path.of(System.getProperty("distillery.root", "..")).resolve("models/generator");
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.putObject("task").put("description", "Is a review sentence negative or positive?")
        .putArray("labels").add("negative").add("positive");
    c.put("teacher", teacher.toString());
    c.putObject("source").put("kind", "generator").put("generator", generator.toString());
    c.putObject("prompts").put("kind", "categorical").put("topics_per_label", 4).put("probe_steps", 4);
    c.put("out", dir.resolve("prompter").toString());
    c.put("seed", 3);
    c.putObject("synth").put("samples", 96).put("shard_size", 16).put("batch_size", 16)
        .put("max_new_tokens", 16);
    c.putObject("student").put("layers", 1).put("width", 32).put("heads", 2).put("ffn_width", 64)
        .put("embedding_dim", 16);
    c.putObject("distill").put("epochs", 1).put("batch_size", 16).put("threads", 1);
    c.putObject("bench").put("latency_runs", 10).put("threads", 1);
    Path config = dir.resolve("prompter.json");
    Files.writeString(config, Json.MAPPER.writeValueAsString(c));
    Path out = dir.resolve("prompter");
    long refMillis = runToEnd("prompter-ref", "run", config.toString());
    Path ref = Files.move(out, dir.resolve("prompter-ref"));
    KillLog log = survive("prompter", refMillis, List.of(out), new String[] {"run", config.toString()},
        () -> shardsCommitted(out.resolve("corpus")),
        () -> {
          assertSameCorpus(ref.resolve("corpus"), out.resolve("corpus"), 96);
          assertSameStudent(ref.resolve("student"), out.resolve("student"));
        });
    System.err.println(log.describe());
  }

  /**
   * Disk full: {@code synth} writes to a 32 KB tmpfs (mounted here; skipped where mounting is not
   * allowed), fails with exit 1 and one line naming the path, leaves a corpus whose committed
   * shards still verify, and once the disk has room the same command resumes to the corpus of the
   * uninterrupted run.
   */
  @Test
  @Order(5)
  void synthOnAFullDiskFailsOnOneLineAndResumesOnceThereIsRoom() throws Exception {
    if (refCorpus == null || !Manifest.exists(refCorpus)) {
      refCorpus = dir.resolve("synth-ref");
      runToEnd("synth-ref", synthArgs(refCorpus));
    }
    Path mount = Files.createDirectories(dir.resolve("small-disk"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        sh("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", mount.toString()) == 0,
        "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)");
    try {
      Path out = mount.resolve("corpus");
      Path log = dir.resolve("disk-full.log");
      CliProcess p = CliProcess.start(log, synthArgs(out));
      int code = p.await(300);
      List<String> errors = Files.readAllLines(log).stream().filter(l -> l.startsWith("error: ")).toList();
      System.err.println("[disk-full] exit " + code + ": " + errors);
      assertEquals(1, code, tail(log));
      assertEquals(1, errors.size(), tail(log));
      assertTrue(errors.get(0).contains(out.toString()) && errors.get(0).contains("No space left"),
          errors.get(0));
      assertTrue(Files.readAllLines(log).stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + tail(log));
      if (Manifest.exists(out)) {
        Manifest m = CorpusReader.verify(out); // what was committed still reads
        assertTrue(!m.complete() && m.samples() % 20 == 0, "committed shards only: " + m.samples());
      }
      assertEquals(0, sh("mount", "-o", "remount,size=16m", mount.toString()));
      CliProcess again = CliProcess.start(log, synthArgs(out));
      assertEquals(0, again.await(300), tail(log));
      assertSameCorpus(refCorpus, out, 300);
    } finally {
      sh("umount", mount.toString());
    }
  }

  private static int sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }

  // ---------------------------------------------------------------- harness

  /** What the kills of one stage hit. */
  record KillLog(String stage, List<String> kills, int finishedChains) {
    String describe() {
      return String.format(Locale.ROOT, "[kill] %s: %d kills landed (%d chains finished early "
          + "and were checked); state at each kill: %s", stage, kills.size(), finishedChains, kills);
    }
  }

  interface Check {
    void run() throws Exception;
  }

  interface State {
    String describe() throws Exception;
  }

  /**
   * Runs {@code args} under SIGKILLs at seeded moments until {@link #KILLS} kills landed on a live
   * process, resuming after each; every chain that ends is checked by {@code check}, then its
   * folders are wiped and a fresh chain starts. The last chain runs to the end and is checked.
   */
  private static KillLog survive(String stage, long refMillis, List<Path> folders, String[] args,
      State state, Check check) throws Exception {
    SplittableRandom rng = new SplittableRandom(SEED ^ stage.hashCode());
    Path log = dir.resolve(stage + "-kills.log");
    List<String> kills = new ArrayList<>();
    int finished = 0;
    int attempts = 0;
    while (kills.size() < KILLS) {
      assertTrue(++attempts <= KILLS * 6, stage + ": kills keep missing; see " + log);
      long at = (long) (refMillis * (0.15 + 0.85 * rng.nextDouble()));
      CliProcess p = CliProcess.start(log, args);
      if (p.killAt(at)) {
        kills.add(at + " ms: " + state.describe());
        continue;
      }
      int code = p.await(1);
      assertEquals(0, code, stage + " exited " + code + " after a kill; log " + tail(log));
      check.run();
      finished++;
      for (Path f : folders) {
        deleteTree(f);
      }
    }
    CliProcess last = CliProcess.start(log, args);
    int code = last.await(300);
    assertEquals(0, code, stage + " did not resume after " + kills.size() + " kills; log " + tail(log));
    check.run();
    return new KillLog(stage, kills, finished);
  }

  /** Runs to the end uninterrupted; returns its wall time in ms. */
  private static long runToEnd(String name, String... args) throws Exception {
    Path log = dir.resolve(name + ".log");
    CliProcess p = CliProcess.start(log, args);
    int code = p.await(300);
    assertEquals(0, code, name + " failed: " + tail(log));
    return p.elapsedMillis();
  }

  // ---------------------------------------------------------------- checks

  /** Sample ids exactly 0..n-1, each once; every shard matches its manifest checksum. */
  private static void checkCorpus(Path corpus, long n) {
    Manifest m = CorpusReader.verify(corpus);
    assertTrue(m.complete());
    Set<Long> ids = new HashSet<>();
    long expected = 0;
    try (CorpusReader r = CorpusReader.open(corpus)) {
      while (r.hasNext()) {
        long id = r.next().id();
        assertEquals(expected++, id, corpus + ": sample ids in order");
        assertTrue(ids.add(id), corpus + ": duplicate id " + id);
      }
    }
    assertEquals(n, ids.size(), corpus + ": samples");
  }

  /** Byte-identical corpus folders (every shard, the manifest), and nothing else in them. */
  private static void assertSameCorpus(Path ref, Path found, long n) throws IOException {
    checkCorpus(found, n);
    assertEquals(listing(ref), listing(found), found + ": files");
    for (String name : listing(ref)) {
      assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(found.resolve(name)),
          found.resolve(name) + " differs from the uninterrupted run");
    }
  }

  /** The same student: every weight bit for bit, the same model.onnx bytes and config.json. */
  private static void assertSameStudent(Path ref, Path found) throws IOException {
    Map<String, WeightTensor> a = OnnxInitializers.readFloats(ref.resolve("model.onnx"));
    Map<String, WeightTensor> b = OnnxInitializers.readFloats(found.resolve("model.onnx"));
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).values(), b.get(name).values(), name);
    }
    assertEquals(metadata(ref), metadata(found), "model.onnx metadata_props");
    assertEquals(graphText(ref), graphText(found), "model.onnx graph");
    for (String f : List.of("model.onnx", "config.json", "tokenizer.json")) {
      assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(found.resolve(f)), f);
    }
  }

  private static Map<String, String> metadata(Path student) throws IOException {
    Map<String, String> props = new java.util.TreeMap<>();
    ModelProto.parseFrom(Files.readAllBytes(student.resolve("model.onnx"))).getMetadataPropsList()
        .forEach(p -> props.put(p.getKey(), p.getValue()));
    return props;
  }

  /** The graph as text, without the weights' bytes (compared above, as floats). */
  private static String graphText(Path student) throws IOException {
    ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(student.resolve("model.onnx"))).toBuilder();
    m.getGraphBuilder().getInitializerBuilderList().forEach(t -> t.clearRawData().clearFloatData());
    return m.build().toString();
  }

  private static Set<String> listing(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  private static String shardsCommitted(Path corpus) {
    if (!Manifest.exists(corpus)) {
      return "no manifest yet";
    }
    try {
      return Json.MAPPER.readTree(corpus.resolve(Manifest.FILE).toFile()).path("shards").size()
          + " shards committed";
    } catch (IOException e) {
      return "manifest unreadable: " + e.getMessage(); // the check after resume decides
    }
  }

  private static String checkpointsIn(Path work) throws IOException {
    if (!Files.isDirectory(work)) {
      return "no checkpoint yet";
    }
    return "checkpoint folder " + listing(work);
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
