package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.runtime.classify.Classifier;
import io.distillery.runtime.classify.Logits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Real general-corpus text chosen by the teacher: a pool of units is drawn from a {@link
 * RawCorpusSource} (its seeded order), the teacher labels the whole pool once, and the units are
 * served label by label in turn, each label's units in descending teacher probability of that
 * label. So the first candidates are the ones the teacher is surest of, per label, and a
 * rebalanced corpus of N samples holds the N/L surest per label. DESIGN.md measured it as the
 * strongest raw-corpus baseline (0.837 vs 0.824 for a uniform sample, one seed).
 *
 * <p>Deterministic: the pool and its order depend only on the run seed; shards continue from
 * {@link ShardStart#candidatesBefore()}.
 */
public final class TeacherRankedSource implements TextSource {
  private final RawCorpusSource raw;
  private final Classifier teacher;
  private final int pool;
  private final int labels;
  private List<String> order;
  private long orderSeed;
  private long cursor;

  /**
   * @param pool how many corpus units the teacher ranks (at most the corpus size)
   * @param labels the teacher's label count
   */
  public TeacherRankedSource(RawCorpusSource raw, Classifier teacher, int pool, int labels) {
    if (pool < 1) {
      throw new ConfigException("source.pool must be >= 1, got " + pool);
    }
    this.raw = raw;
    this.teacher = teacher;
    this.pool = Math.min(pool, raw.size());
    this.labels = labels;
  }

  @Override
  public void startShard(ShardStart start) {
    if (order == null || orderSeed != start.runSeed()) {
      order = rank(start.runSeed());
      orderSeed = start.runSeed();
    }
    cursor = start.candidatesBefore();
  }

  private List<String> rank(long runSeed) {
    List<String> texts = raw.pool(runSeed, pool);
    float[][] logits = teacher.logits(texts);
    List<List<Integer>> byLabel = new ArrayList<>();
    double[] sure = new double[texts.size()];
    for (int l = 0; l < labels; l++) {
      byLabel.add(new ArrayList<>());
    }
    for (int i = 0; i < texts.size(); i++) {
      float[] p = Logits.softmax(logits[i]);
      int label = Logits.argmax(logits[i]);
      sure[i] = p[label];
      byLabel.get(label).add(i);
    }
    for (List<Integer> l : byLabel) {
      l.sort(Comparator.comparingDouble((Integer i) -> -sure[i]).thenComparing(i -> i));
    }
    List<String> out = new ArrayList<>(texts.size());
    for (int i : LabelInterleave.interleave(byLabel)) {
      out.add(texts.get(i));
    }
    return out;
  }

  @Override
  public List<Candidate> next(int n) {
    if (order == null) {
      throw new IllegalStateException("startShard must be called before next");
    }
    List<Candidate> out = new ArrayList<>(n);
    while (out.size() < n && cursor < order.size()) {
      out.add(Candidate.raw(order.get((int) cursor++)));
    }
    return out;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = raw.describe();
    node.put("kind", "raw_corpus");
    node.put("select", "teacher_confident");
    node.put("pool", pool);
    return node;
  }
}
