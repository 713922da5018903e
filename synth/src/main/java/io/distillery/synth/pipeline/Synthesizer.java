package io.distillery.synth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.core.JobFailedException;
import io.distillery.core.Sha256;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.Logits;
import io.distillery.runtime.model.LabelMap;
import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.corpus.Manifest;
import io.distillery.synth.corpus.ShardEntry;
import io.distillery.synth.corpus.ShardWriter;
import io.distillery.synth.filter.Filters;
import io.distillery.synth.filter.Hashing;
import io.distillery.synth.filter.Rejection;
import io.distillery.synth.filter.RejectionCounts;
import io.distillery.synth.label.SoftLabels;
import io.distillery.synth.prompt.ScoredSample;
import io.distillery.synth.source.Candidate;
import io.distillery.synth.source.ShardStart;
import io.distillery.synth.source.TextSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Writes a labelled synthetic corpus: source → filters → teacher soft labels → shards, until the
 * target is reached.
 *
 * <p>Streaming: records go straight to the current shard's temp file; memory holds one batch and the
 * bounded dedup state. Resumable: each shard is committed atomically, then the manifest; a run into
 * a folder that has a manifest checks that it was made with the same task, settings, teacher and
 * source, verifies the committed shards' checksums, replays their texts into the dedup state and
 * continues with the next shard. Shard {@code k} depends only on the run seed, {@code k}, the
 * candidates drawn before it and the accepted texts before it, so a resumed run writes exactly the
 * bytes an uninterrupted run would have written.
 *
 * <p>Drawing ahead (optional): while the teacher labels batch k, a worker thread draws batch k+1,
 * but only when the sequential loop would draw exactly that batch whatever the labels (the shard
 * cannot fill in batch k, so the next draw is a full batch, and the candidate budget allows it)
 * and the source {@link TextSource#canDrawAhead can}. The source sees the same calls in the same
 * order, so the corpus bytes do not change; no batch is drawn only to be thrown away. Give the
 * generator and the teacher sessions half the cores each, or they oversubscribe them.
 */
public final class Synthesizer {
  private final PrintStream err;
  private final double progressSeconds;
  private final SynthClock clock;
  private final boolean drawAhead;
  private final AtomicLong drawnAhead = new AtomicLong();

  /** Progress on {@code err} at most every {@code progressSeconds} (and after every shard). */
  public Synthesizer(PrintStream err, double progressSeconds) {
    this(err, progressSeconds, new SynthClock());
  }

  /** Like {@link #Synthesizer(PrintStream, double)}, adding the time of each phase to {@code clock}. */
  public Synthesizer(PrintStream err, double progressSeconds, SynthClock clock) {
    this(err, progressSeconds, clock, false);
  }

  /**
   * Like {@link #Synthesizer(PrintStream, double, SynthClock)}; with {@code drawAhead}, the next
   * batch is generated while the teacher labels this one (see the class comment).
   */
  public Synthesizer(PrintStream err, double progressSeconds, SynthClock clock, boolean drawAhead) {
    this.err = err;
    this.progressSeconds = progressSeconds;
    this.clock = clock;
    this.drawAhead = drawAhead;
  }

  /** Batches drawn ahead (while the previous one was labelled) so far. */
  public long batchesDrawnAhead() {
    return drawnAhead.get();
  }

  /** Progress on stderr every 2 seconds. */
  public Synthesizer() {
    this(System.err, 2.0);
  }

  /**
   * Synthesizes (or resumes) a corpus in {@code outDir}.
   *
   * @throws ConfigException when the task labels do not match the teacher's, or when {@code outDir}
   *     holds a corpus made with other settings
   * @throws BadInputException when a committed shard fails its checksum
   * @throws JobFailedException when the source runs dry or cannot feed the filters
   */
  public SynthSummary synthesize(SynthConfig config, TextSource source, ClassifierModel teacher, Path outDir) {
    return synthesize(config, source, teacher, SoftLabels.of(teacher.classifier()), outDir);
  }

  /**
   * Like {@link #synthesize(SynthConfig, TextSource, ClassifierModel, Path)}, with the teacher's
   * scores from {@code softLabels} (e.g. computed beforehand by Spark executors); {@code teacher}
   * still gives the labels and the provenance.
   */
  public SynthSummary synthesize(SynthConfig config, TextSource source, ClassifierModel teacher,
      SoftLabels softLabels, Path outDir) {
    long start = System.nanoTime();
    checkLabels(config, teacher.labels(), teacher.folder().config().orElse(teacher.folder().model()));
    Manifest fresh = new Manifest(config.task(), config.targetSamples(), config.toJson(),
        provenance(teacher, source), List.of());
    Filters filters = new Filters(config.filters());
    Manifest manifest;
    if (Manifest.exists(outDir)) {
      manifest = CorpusReader.verify(outDir);
      checkSame(outDir.resolve(Manifest.FILE), manifest, fresh);
      if (!manifest.complete()) {
        source.resume(manifest.shards().size(), restore(outDir, filters));
      }
    } else {
      refuseForeignShards(outDir);
      manifest = fresh;
      source.resume(0, List.of());
    }
    cleanUp(outDir, manifest.shards().size());
    manifest.write(outDir);

    int numShards = (int) ((config.targetSamples() + config.shardSize() - 1) / config.shardSize());
    SynthProgress progress = new SynthProgress(err, config.targetSamples(), manifest.samples(),
        numShards, progressSeconds);
    long[] labelTotals = manifest.labelCounts();
    int written = 0;
    ExecutorService ahead = drawAhead && source.canDrawAhead()
        ? Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "distillery-draw-ahead");
          t.setDaemon(true);
          return t;
        })
        : null;
    try {
      while (!manifest.complete() && (config.maxShards() == 0 || written < config.maxShards())) {
        ShardEntry entry = writeShard(config, source, softLabels, filters, outDir, manifest,
            labelTotals, progress, ahead);
        source.committed(entry.index() + 1); // a learning source checkpoints before the manifest moves
        manifest = manifest.withShard(entry);
        manifest.write(outDir);
        written++;
        progress.shardDone(entry.index());
      }
    } finally {
      if (ahead != null) {
        ahead.shutdown();
      }
    }
    Map<String, Long> dist = new LinkedHashMap<>();
    long[] counts = manifest.labelCounts();
    for (int i = 0; i < counts.length; i++) {
      dist.put(config.task().labels().get(i), counts[i]);
    }
    return new SynthSummary(outDir, manifest.samples(), config.targetSamples(), manifest.shards().size(),
        written, manifest.candidates(), manifest.complete(), dist, manifest.rejections().asMap(),
        (System.nanoTime() - start) / 1e9);
  }

  private ShardEntry writeShard(SynthConfig config, TextSource source, SoftLabels teacher,
      Filters filters, Path outDir, Manifest manifest, long[] labelTotals, SynthProgress progress,
      ExecutorService ahead) {
    int index = manifest.shards().size();
    long firstId = manifest.samples();
    int size = (int) Math.min(config.shardSize(), config.targetSamples() - firstId);
    source.startShard(new ShardStart(index, config.seed(), shardSeed(config.seed(), index),
        manifest.candidates()));
    RejectionCounts rejections = new RejectionCounts();
    long candidates = 0;
    long budget = (long) size * config.maxCandidatesPerSample();
    List<String> names = config.task().labels();
    Future<List<Candidate>> pending = null;
    try (ShardWriter shard = new ShardWriter(outDir, index, firstId, names.size())) {
      while (shard.count() < size) {
        if (candidates >= budget) {
          throw new JobFailedException(Manifest.shardFileName(index) + ": accepted only " + shard.count()
              + " of " + size + " samples from " + candidates + " candidates (limit "
              + config.maxCandidatesPerSample() + " per sample); rejections " + rejections
              + "; loosen the filters, turn off rebalancing or use a better source");
        }
        List<Candidate> batch;
        if (pending != null) {
          batch = await(pending);
          pending = null;
        } else {
          long t0 = System.nanoTime();
          batch = source.next(drawSize(config.batchSize(), size - shard.count(), candidates,
              shard.count()));
          clock.add(SynthClock.Phase.GENERATE, System.nanoTime() - t0);
        }
        if (batch.isEmpty()) {
          throw new JobFailedException("the text source ran dry in " + Manifest.shardFileName(index)
              + " after " + (manifest.candidates() + candidates) + " candidates, with " + (firstId
              + shard.count()) + " of " + config.targetSamples() + " samples written; lower the target"
              + " or give the source more text");
        }
        candidates += batch.size();
        long t0 = System.nanoTime();
        List<Candidate> passed = new ArrayList<>();
        List<Filters.Screened> screens = new ArrayList<>();
        boolean[] passes = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
          Filters.Screened s = filters.screen(batch.get(i).text());
          if (s.passed()) {
            passed.add(batch.get(i));
            screens.add(s);
            passes[i] = true;
          } else {
            rejections.add(s.rejection());
          }
        }
        clock.add(SynthClock.Phase.FILTER, System.nanoTime() - t0);
        // even if every candidate here is accepted, the shard still needs a full batch more and
        // the budget allows it: the loop's next draw is next(batchSize), whatever the labels
        if (ahead != null && size - shard.count() - batch.size() >= config.batchSize()
            && candidates < budget) {
          pending = ahead.submit(() -> {
            long t1 = System.nanoTime();
            List<Candidate> next = source.next(config.batchSize());
            clock.add(SynthClock.Phase.GENERATE, System.nanoTime() - t1);
            return next;
          });
          drawnAhead.incrementAndGet();
        }
        int before = shard.count();
        List<ScoredSample> scored = passed.isEmpty() ? List.of()
            : label(config, teacher, filters, passed, screens, shard, size, labelTotals, rejections);
        source.feedback(inBatchOrder(batch, passes, scored));
        progress.advance(shard.count() - before, batch.size(), index);
      }
      long t0 = System.nanoTime();
      ShardEntry entry = shard.commit(candidates, rejections);
      clock.add(SynthClock.Phase.WRITE, System.nanoTime() - t0);
      return entry;
    } finally {
      if (pending != null) { // labelling failed: let the draw finish before the caller closes its sessions
        try {
          pending.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          // the labelling failure is the one to report
        }
      }
    }
  }

  /** The batch drawn ahead; its failure is rethrown as it would have been thrown in line. */
  private static List<Candidate> await(Future<List<Candidate>> pending) {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobFailedException("interrupted while drawing candidates", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new JobFailedException("drawing candidates failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The teacher's verdict on every candidate of a batch, in batch order: filtered candidates as
   * {@link ScoredSample#filtered}; the scored ones as labelled (the shard may have filled before
   * the batch's tail was scored: that tail is left out).
   */
  private static List<ScoredSample> inBatchOrder(List<Candidate> batch, boolean[] passes,
      List<ScoredSample> scored) {
    List<ScoredSample> out = new ArrayList<>(batch.size());
    int k = 0;
    for (int i = 0; i < batch.size(); i++) {
      Candidate c = batch.get(i);
      if (!passes[i]) {
        out.add(ScoredSample.filtered(c.prompt(), c.intendedLabel(), c.text(), c.generatorLogProb()));
      } else if (k < scored.size()) {
        out.add(scored.get(k++));
      } else {
        break;
      }
    }
    return out;
  }

  private List<ScoredSample> label(SynthConfig config, SoftLabels teacher, Filters filters,
      List<Candidate> passed, List<Filters.Screened> screens, ShardWriter shard, int size,
      long[] labelTotals, RejectionCounts rejections) {
    long t0 = System.nanoTime();
    float[][] logits = teacher.logits(passed);
    clock.add(SynthClock.Phase.LABEL, System.nanoTime() - t0);
    List<ScoredSample> scored = new ArrayList<>(passed.size());
    for (int i = 0; i < passed.size() && shard.count() < size; i++) {
      Candidate c = passed.get(i);
      int label = Logits.argmax(logits[i]);
      boolean accepted = false;
      if (config.rebalance() && labelTotals[label] >= config.labelCap()) {
        rejections.add(Rejection.LABEL_SURPLUS);
      } else {
        long t1 = System.nanoTime();
        Optional<Rejection> dup = filters.admit(screens.get(i));
        long t2 = System.nanoTime();
        clock.add(SynthClock.Phase.FILTER, t2 - t1);
        if (dup.isPresent()) {
          rejections.add(dup.get());
        } else {
          shard.write(new CorpusRecord(shard.nextId(), c.text(), label, config.task().labels().get(label),
              logits[i], c.prompt(), c.intendedLabel(), c.generatorLogProb()));
          clock.add(SynthClock.Phase.WRITE, System.nanoTime() - t2);
          labelTotals[label]++;
          accepted = true;
        }
      }
      scored.add(new ScoredSample(c.prompt(), c.intendedLabel(), c.text(), c.generatorLogProb(),
          logits[i], label, accepted));
    }
    return scored;
  }

  /**
   * How many candidates to draw next: what the shard still needs, scaled by the candidates this
   * shard has used per accepted sample so far, at most a batch. Few candidates are drawn only to
   * be thrown away when the shard fills, yet a source with a low acceptance rate still gets full
   * batches. Depends only on the shard's own counts, so it is the same in a resumed run.
   */
  static int drawSize(int batchSize, int needed, long candidates, long accepted) {
    if (candidates == 0) {
      return Math.min(batchSize, needed);
    }
    double perSample = candidates / (double) Math.max(1, accepted);
    return (int) Math.min(batchSize, Math.max(needed, Math.ceil(needed * perSample)));
  }

  /** The seed of shard {@code k}: a scramble of the run seed and k. */
  public static long shardSeed(long seed, int shard) {
    return Hashing.mix64(seed + 0x9E3779B97F4A7C15L * (shard + 1L));
  }

  private static ObjectNode provenance(ClassifierModel teacher, TextSource source) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ObjectNode t = node.putObject("teacher");
    t.put("folder", String.valueOf(teacher.folder().dir().toAbsolutePath().normalize().getFileName()));
    t.put("model_file", teacher.folder().model().getFileName().toString());
    t.put("model_sha256", Sha256.of(teacher.folder().model()));
    ArrayNode labels = t.putArray("labels");
    teacher.labels().names().forEach(labels::add);
    node.set("source", source.describe());
    return node;
  }

  /**
   * The task's labels must be the teacher's, in the same order (ignoring case); a teacher without
   * id2label (LABEL_0, LABEL_1, ...) only needs the same count.
   */
  static void checkLabels(SynthConfig config, LabelMap teacher, Path where) {
    List<String> task = config.task().labels();
    if (teacher.size() != task.size()) {
      throw new ConfigException(where + ": the teacher has " + teacher.size() + " labels "
          + teacher.names() + " but the task lists " + task.size() + " " + task);
    }
    if (teacher.equals(LabelMap.defaults(teacher.size()))) {
      return;
    }
    for (int i = 0; i < task.size(); i++) {
      if (!task.get(i).equalsIgnoreCase(teacher.name(i))) {
        throw new ConfigException(where + ": the task labels " + task + " do not match the teacher's"
            + " id2label " + teacher.names() + "; list the task labels in the teacher's order");
      }
    }
  }

  private static void checkSame(Path file, Manifest found, Manifest expected) {
    JsonNode a = reparsed(found);
    JsonNode b = reparsed(expected);
    for (String field : List.of("task", "target_samples", "settings", "provenance")) {
      Optional<String> diff = difference(field, a.get(field), b.get(field));
      if (diff.isPresent()) {
        throw new ConfigException(file + ": the corpus there was made with other settings (" + diff.get()
            + "); resume with the same settings, or write to another folder");
      }
    }
  }

  /** The manifest as read back from its file (so numbers compare by value, not by node type). */
  private static JsonNode reparsed(Manifest m) {
    try {
      return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(m.toJson()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("manifest cannot be serialised", e);
    }
  }

  private static Optional<String> difference(String path, JsonNode was, JsonNode now) {
    if (was != null && now != null && was.isObject() && now.isObject()) {
      List<String> keys = new ArrayList<>();
      was.fieldNames().forEachRemaining(keys::add);
      now.fieldNames().forEachRemaining(k -> {
        if (!keys.contains(k)) {
          keys.add(k);
        }
      });
      for (String k : keys) {
        Optional<String> d = difference(path + "." + k, was.get(k), now.get(k));
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (was == null ? now == null : was.equals(now)) {
      return Optional.empty();
    }
    return Optional.of(path + " was " + was + ", now " + now);
  }

  /** Replays the committed corpus into the dedup state; returns it for the source's resume. */
  private static List<CorpusRecord> restore(Path outDir, Filters filters) {
    List<CorpusRecord> records = new ArrayList<>();
    try (CorpusReader reader = CorpusReader.open(outDir)) {
      while (reader.hasNext()) {
        CorpusRecord r = reader.next();
        filters.restore(r.text());
        records.add(r);
      }
    }
    return records;
  }

  /** A folder with shard files but no manifest was not written by this class: leave it alone. */
  private static void refuseForeignShards(Path outDir) {
    if (!Files.isDirectory(outDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(outDir)) {
      Optional<Path> shard = files.filter(p -> p.getFileName().toString().matches("shard-\\d{5}\\.jsonl"))
          .findFirst();
      if (shard.isPresent()) {
        throw BadInputException.of(outDir, "holds " + shard.get().getFileName() + " but no "
            + Manifest.FILE + "; write the corpus to an empty folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(outDir + ": cannot list", e);
    }
  }

  /** Removes temp files and shard files the manifest does not list (left by an interrupted run). */
  private static void cleanUp(Path outDir, int committed) {
    if (!Files.isDirectory(outDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(outDir)) {
      for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
        Path p = it.next();
        String name = p.getFileName().toString();
        boolean temp = name.startsWith(".") && name.endsWith(".tmp")
            && (name.startsWith(".shard-") || name.startsWith("." + Manifest.FILE));
        boolean stale = name.matches("shard-\\d{5}\\.jsonl")
            && Integer.parseInt(name.substring(6, 11)) >= committed;
        if (temp || stale) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(outDir + ": cannot clean up after an interrupted run", e);
    }
  }
}
