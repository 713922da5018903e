package io.distillery.spark.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.spark.label.CandidateText;
import io.distillery.spark.label.LabelledCandidate;
import io.distillery.spark.label.PartitionLabeler;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.label.SoftLabels;
import io.distillery.synth.prompt.ScoredSample;
import io.distillery.synth.source.Candidate;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.source.ShardStart;
import io.distillery.synth.source.TextSource;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver's side of Spark synthesis: a raw-corpus {@link TextSource} whose candidates arrive
 * already screened and labelled by executors, plus the {@link SoftLabels} that hand those logits
 * to the {@link io.distillery.synth.pipeline.Synthesizer}.
 *
 * <p>Candidates are served in exactly the order the wrapped source gives them (the seeded
 * permutation, from a shard's {@link ShardStart#candidatesBefore()}), so the synthesizer makes the
 * same decisions as in a single-process run. When its buffer runs low it labels the next round:
 * the next candidates, split into contiguous partitions, one Spark job. A round is sized from the
 * candidates used per accepted sample so far, so that most rounds end near the target.
 */
final class SparkLabelledSource implements TextSource, SoftLabels {
  /** Candidates per accepted sample assumed before any sample is accepted. */
  private static final double FIRST_GUESS = 1.25;

  private final JavaSparkContext spark;
  private final RawCorpusSource corpus;
  private final PartitionLabeler labeler;
  private final SparkSettings settings;
  private final long targetSamples;
  private final PrintStream log;

  private final ArrayDeque<Candidate> buffer = new ArrayDeque<>();
  /** Logits of buffered candidates (null: failed the executor's screen), by identity. */
  private final Map<Candidate, float[]> pending = new IdentityHashMap<>();
  /** Logits of the batch last served: the synthesizer asks for them next. */
  private Map<Candidate, float[]> served = new IdentityHashMap<>();
  private long nextId = -1;
  private long fetchedTo;
  private boolean exhausted;
  private long servedCandidates;
  /** Samples in the corpus: committed before this run plus accepted in it. */
  private long accepted;
  /** Samples accepted in this run, out of {@code servedCandidates}. */
  private long acceptedHere;
  private int rounds;
  private double labelSeconds;

  SparkLabelledSource(JavaSparkContext spark, RawCorpusSource corpus, PartitionLabeler labeler,
      SparkSettings settings, long targetSamples, PrintStream log) {
    this.spark = spark;
    this.corpus = corpus;
    this.labeler = labeler;
    this.settings = settings;
    this.targetSamples = targetSamples;
    this.log = log;
  }

  @Override
  public void resume(int shards, List<CorpusRecord> committed) {
    accepted = committed.size();
  }

  @Override
  public void startShard(ShardStart start) {
    if (nextId != start.candidatesBefore()) { // first shard, or a resume: start a fresh buffer
      buffer.clear();
      pending.clear();
      corpus.startShard(start);
      nextId = start.candidatesBefore();
      fetchedTo = nextId;
      exhausted = false;
    }
  }

  @Override
  public List<Candidate> next(int n) {
    while (buffer.size() < n && !exhausted) {
      fetchRound(n - buffer.size());
    }
    List<Candidate> out = new ArrayList<>(Math.min(n, buffer.size()));
    served = new IdentityHashMap<>();
    while (out.size() < n && !buffer.isEmpty()) {
      Candidate c = buffer.poll();
      out.add(c);
      served.put(c, pending.remove(c));
      nextId++;
    }
    servedCandidates += out.size();
    return out;
  }

  @Override
  public float[][] logits(List<Candidate> candidates) {
    float[][] out = new float[candidates.size()][];
    for (int i = 0; i < candidates.size(); i++) {
      out[i] = served.get(candidates.get(i));
      if (out[i] == null) {
        throw new IllegalStateException("no executor logits for \"" + candidates.get(i).text()
            + "\": the executors' screen and the driver's filters disagree");
      }
    }
    return out;
  }

  @Override
  public void feedback(List<ScoredSample> samples) {
    for (ScoredSample s : samples) {
      if (s.accepted()) {
        accepted++;
        acceptedHere++;
      }
    }
  }

  @Override
  public ObjectNode describe() {
    return corpus.describe(); // the corpus is the single-process one, byte for byte
  }

  /** Labelling rounds run so far. */
  int rounds() {
    return rounds;
  }

  /** Wall time spent waiting for labelling rounds. */
  double labelSeconds() {
    return labelSeconds;
  }

  private void fetchRound(int atLeast) {
    int partitions = settings.partitions() > 0 ? settings.partitions() : spark.defaultParallelism();
    double perSample = acceptedHere >= 100 ? servedCandidates / (double) acceptedHere : FIRST_GUESS;
    long remaining = Math.max(0, targetSamples - accepted);
    // 10% and a few candidates per partition over the estimate: a surplus costs a little labelling,
    // a shortfall a whole extra round (a job, and a teacher opened per partition).
    long wanted = (long) Math.ceil(remaining * perSample * 1.1) + 64L * partitions - buffer.size();
    int size = (int) Math.min(settings.maxRound(), Math.max(Math.max(wanted, atLeast), partitions));
    List<Candidate> drawn = corpus.next(size);
    if (drawn.isEmpty()) {
      exhausted = true;
      return;
    }
    List<CandidateText> shipped = new ArrayList<>(drawn.size());
    for (int i = 0; i < drawn.size(); i++) {
      shipped.add(new CandidateText(fetchedTo + i, drawn.get(i).text()));
    }
    long t0 = System.nanoTime();
    List<LabelledCandidate> labelled = spark.parallelize(shipped, Math.min(partitions, shipped.size()))
        .mapPartitions(labeler).collect();
    double seconds = (System.nanoTime() - t0) / 1e9;
    labelSeconds += seconds;
    rounds++;
    Map<Long, float[]> byId = new HashMap<>(labelled.size() * 2);
    for (LabelledCandidate l : labelled) {
      byId.put(l.id(), l.logits());
    }
    for (int i = 0; i < drawn.size(); i++) {
      buffer.add(drawn.get(i));
      pending.put(drawn.get(i), byId.get(fetchedTo + i));
    }
    log.printf(Locale.ROOT, "[spark] round %d: candidates %,d..%,d in %d partitions, %,d labelled in %.1f s"
        + " (%,.0f candidates/s)%n", rounds, fetchedTo, fetchedTo + drawn.size() - 1,
        Math.min(partitions, shipped.size()), labelled.size(), seconds, drawn.size() / seconds);
    fetchedTo += drawn.size();
  }
}
