package io.distillery.learn.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.learn.probe.StudentProbe;
import io.distillery.learn.reward.NoveltyIndex;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardTerms;
import io.distillery.learn.state.RoundStates;
import io.distillery.runtime.classify.Classifier;
import io.distillery.runtime.classify.Logits;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.prompt.ScoredSample;
import io.distillery.synth.source.Candidate;
import io.distillery.synth.source.LabelInterleave;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.source.ShardStart;
import io.distillery.synth.source.TextSource;
import io.distillery.train.distill.DistillExample;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Real general-corpus text chosen round by round for what the student still gets wrong: the
 * teacher labels a seeded pool of corpus units once; before each shard, every unit not yet drawn
 * gets a {@link Reward} with the teacher's argmax as the intended label (specificity = the
 * teacher's confidence, disagreement = KL(teacher ‖ the student probe distilled on the corpus so
 * far), novelty against the corpus), and the shard draws the best units label by label in turn.
 * The first shard has no student yet, so it is the teacher's surest units (as {@code
 * select: teacher_confident}).
 *
 * <p>Units the synth filters would reject (too short, repetitive) are never ranked: short units
 * are what a half-trained student is least sure of, and would otherwise crowd the top. The pool is
 * the same seeded draw as {@code select: teacher_confident}'s, so the two rows compare.
 *
 * <p>Resume: after each shard the drawn units are saved as {@code state-k/drawn.json} before the
 * manifest moves; the probe is a function of the committed corpus, so a resumed run retrains it
 * and draws the same units.
 */
public final class StudentGuidedSource implements TextSource, AutoCloseable {
  private final RawCorpusSource raw;
  private final Classifier teacher;
  private final int poolSize;
  private final int labels;
  private final Reward reward;
  private final StudentProbe probe;
  private final RoundStates states;
  private final PrintStream log;
  private final Predicate<String> admissible;

  private List<String> pool;
  private float[][] teacherLogits;
  private boolean[] drawn;
  private final List<Integer> drawnOrder = new ArrayList<>();
  private final NoveltyIndex novelty = new NoveltyIndex();
  private final List<DistillExample> corpus = new ArrayList<>();
  private final List<ObjectNode> rounds = new ArrayList<>();
  private int[] order;
  private int cursor;
  private double roundDisagreement;
  private int roundRanked;

  /** @param admissible whether the synth filters would let a text through (dedup aside) */
  public StudentGuidedSource(RawCorpusSource raw, Classifier teacher, int pool, int labels,
      Reward reward, StudentProbe probe, Predicate<String> admissible, Path dir, PrintStream log) {
    this.admissible = admissible;
    this.raw = raw;
    this.teacher = teacher;
    this.poolSize = Math.min(pool, raw.size());
    this.labels = labels;
    this.reward = reward;
    this.probe = probe;
    this.states = new RoundStates(dir);
    this.log = log;
  }

  @Override
  public void startShard(ShardStart start) {
    if (pool == null) {
      pool = raw.pool(start.runSeed(), poolSize);
      log.printf(Locale.ROOT, "[learn] the teacher labels a pool of %,d corpus units%n", pool.size());
      teacherLogits = teacher.logits(pool);
      drawn = new boolean[pool.size()];
      int skipped = 0;
      for (int i = 0; i < pool.size(); i++) {
        if (!admissible.test(pool.get(i))) {
          drawn[i] = true; // never offered
          skipped++;
        }
      }
      log.printf(Locale.ROOT, "[learn] %,d pool units fail the filters and are not ranked%n", skipped);
      for (int i : drawnOrder) {
        drawn[i] = true;
      }
    }
    order = rank();
    cursor = 0;
  }

  /** Undrawn units, each label's in descending reward, labels interleaved. */
  private int[] rank() {
    List<Integer> open = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      if (!drawn[i]) {
        open.add(i);
        texts.add(pool.get(i));
      }
    }
    float[][] student = probe != null && probe.ready() ? probe.logits(texts) : null;
    double[] score = new double[pool.size()];
    List<List<Integer>> byLabel = new ArrayList<>();
    for (int l = 0; l < labels; l++) {
      byLabel.add(new ArrayList<>());
    }
    double disagreement = 0;
    for (int k = 0; k < open.size(); k++) {
      int i = open.get(k);
      int label = Logits.argmax(teacherLogits[i]);
      RewardTerms t = reward.score(teacherLogits[i], student == null ? null : student[k], label,
          novelty.novelty(pool.get(i)));
      score[i] = t.total();
      disagreement += t.disagreement();
      byLabel.get(label).add(i);
    }
    roundDisagreement = disagreement / Math.max(1, open.size());
    roundRanked = open.size();
    for (List<Integer> l : byLabel) {
      l.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparing(i -> i));
    }
    return LabelInterleave.interleave(byLabel);
  }

  @Override
  public List<Candidate> next(int n) {
    if (order == null) {
      throw new IllegalStateException("startShard must be called before next");
    }
    List<Candidate> out = new ArrayList<>(n);
    while (out.size() < n && cursor < order.length) {
      int i = order[cursor++];
      drawn[i] = true;
      drawnOrder.add(i);
      out.add(Candidate.raw(pool.get(i)));
    }
    return out;
  }

  @Override
  public void feedback(List<ScoredSample> samples) {
    for (ScoredSample s : samples) {
      if (s.accepted()) {
        novelty.add(s.text());
        corpus.add(DistillExample.ofTeacher(s.text(), s.logits()));
      }
    }
  }

  @Override
  public void committed(int shards) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("round", shards);
    line.put("corpus", corpus.size());
    line.put("drawn", drawnOrder.size());
    line.put("ranked", roundRanked);
    line.put("pool_mean_disagreement", roundDisagreement);
    rounds.add(line);
    log.printf(Locale.ROOT, "[learn] round %d: %d samples, %d units drawn; mean disagreement over"
        + " the %d ranked %.4f%n", shards, corpus.size(), drawnOrder.size(), roundRanked,
        roundDisagreement);
    if (probe != null) {
      probe.train(corpus, shards);
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode d = node.putArray("drawn");
    drawnOrder.forEach(d::add);
    ArrayNode r = node.putArray("rounds");
    rounds.forEach(r::add);
    states.write(shards, "drawn.json", node);
    states.writeRounds(rounds);
    states.pruneBefore(shards - 1); // the manifest may still list only shards - 1
  }

  @Override
  public void resume(int shards, List<CorpusRecord> committed) {
    if (shards == 0) {
      return;
    }
    JsonNode node = states.read(shards, "drawn.json");
    drawnOrder.clear();
    node.path("drawn").forEach(i -> drawnOrder.add(i.asInt()));
    rounds.clear();
    node.path("rounds").forEach(o -> rounds.add((ObjectNode) o));
    for (CorpusRecord r : committed) {
      novelty.add(r.text());
      corpus.add(DistillExample.ofTeacher(r.text(), r.logits()));
    }
    if (probe != null) {
      probe.train(corpus, shards);
    }
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = raw.describe();
    node.put("select", "student_guided");
    node.put("pool", poolSize);
    node.set("reward", Json.MAPPER.valueToTree(reward.weights()));
    node.put("student_probe", probe != null);
    return node;
  }

  @Override
  public void close() {
    if (probe != null) {
      probe.close();
    }
  }
}
