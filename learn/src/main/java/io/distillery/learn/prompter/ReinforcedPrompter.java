package io.distillery.learn.prompter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.learn.policy.PolicySettings;
import io.distillery.learn.policy.PolicyStats;
import io.distillery.learn.policy.TopicAction;
import io.distillery.learn.policy.TopicPolicy;
import io.distillery.learn.probe.StudentProbe;
import io.distillery.learn.reward.NoveltyIndex;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardTerms;
import io.distillery.learn.state.RoundStates;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.prompt.Prompt;
import io.distillery.synth.prompt.PromptStrategy;
import io.distillery.synth.prompt.ScoredSample;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.distill.DistillExample;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * PromptDFD's reinforced topic prompter as a synth {@link PromptStrategy}: each prompt is a label
 * template ("A negative movie review:") followed by a topic prompt that a {@link TopicPolicy}
 * samples for the intended label ("The acting"); the generator continues it, and the sample is
 * topic prompt + continuation. It learns while the corpus and the student grow:
 *
 * <ol>
 *   <li>every batch, the teacher's verdict arrives through {@link #feedback}; each sample gets a
 *       {@link Reward} (specificity, disagreement with the current student, novelty against the
 *       corpus so far; a filtered text is penalised), the advantage is the reward minus a per-label
 *       moving baseline, and the policy takes one REINFORCE step;
 *   <li>every shard ({@link #committed}), the student probe is distilled afresh on the corpus so
 *       far, one line goes to {@code rounds.jsonl}, and the state is checkpointed.
 * </ol>
 *
 * <p>Resume: the state after {@code k} shards is saved as {@code state-k/} before the manifest
 * lists shard {@code k}; the previous one is kept until then. {@link #resume} loads the state of
 * the shards the manifest lists and rebuilds the corpus-derived parts (novelty index, probe) from
 * the committed corpus, so a resumed run continues exactly.
 */
public final class ReinforcedPrompter implements PromptStrategy, AutoCloseable {
  private static final int TOP_PROMPTS = 5;

  private final TaskSpec task;
  private final TemplatePrompts templates;
  private final TopicPolicy policy;
  private final PolicySettings settings;
  private final Reward reward;
  private final StudentProbe probe;
  private final RoundStates states;
  private final PrintStream log;

  private final double[] baseline;
  private final boolean[] baselineSet;
  private final NoveltyIndex novelty = new NoveltyIndex();
  private final List<DistillExample> corpus = new ArrayList<>();
  private final List<ObjectNode> rounds = new ArrayList<>();
  private List<TopicAction> outstanding = List.of();
  private RoundStats round;
  private long roundStart = System.nanoTime();

  /**
   * @param probe the student trained between rounds, or null to learn without the disagreement
   *     term
   * @param dir where the round log and the checkpoints go
   */
  public ReinforcedPrompter(TaskSpec task, TemplatePrompts templates, TopicPolicy policy,
      PolicySettings settings, Reward reward, StudentProbe probe, Path dir, PrintStream log) {
    this.task = task;
    this.templates = templates;
    this.policy = policy;
    this.settings = settings;
    this.reward = reward;
    this.probe = probe;
    this.states = new RoundStates(dir);
    this.log = log;
    this.baseline = new double[task.numLabels()];
    this.baselineSet = new boolean[task.numLabels()];
    this.round = new RoundStats(task.numLabels());
  }

  @Override
  public List<Prompt> next(int n, SplittableRandom rng) {
    int labels = task.numLabels();
    int start = rng.nextInt(labels);
    int[] wanted = new int[n];
    int[] domains = new int[n];
    for (int i = 0; i < n; i++) {
      wanted[i] = (start + i) % labels;
      domains[i] = rng.nextInt(templates.domains().size());
    }
    List<TopicAction> actions = policy.sample(wanted, rng);
    List<Prompt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TopicAction a = actions.get(i);
      Prompt base = templates.prompt(a.template(), a.label(), domains[i]);
      String sep = base.text().endsWith("\n") ? "" : " ";
      out.add(new Prompt(base.id() + "/topic", base.text() + sep + a.topic(), a.label(), a.topic()));
    }
    outstanding = actions;
    return out;
  }

  @Override
  public void feedback(List<ScoredSample> samples) {
    if (samples.size() > outstanding.size()) {
      throw new IllegalStateException("feedback on " + samples.size() + " samples for "
          + outstanding.size() + " prompts");
    }
    List<String> texts = new ArrayList<>();
    for (ScoredSample s : samples) {
      if (!s.isFiltered()) {
        texts.add(s.text());
      }
    }
    float[][] student = probe != null && probe.ready() ? probe.logits(texts) : null;
    List<RewardTerms> terms = new ArrayList<>(samples.size());
    int k = 0;
    for (ScoredSample s : samples) {
      RewardTerms r;
      if (s.isFiltered()) {
        r = reward.filtered();
      } else {
        r = reward.score(s.logits(), student == null ? null : student[k++], s.intendedLabel(),
            novelty.novelty(s.text()));
      }
      terms.add(r);
    }
    // the corpus changes after every sample's novelty is scored against the same state
    for (int i = 0; i < samples.size(); i++) {
      ScoredSample s = samples.get(i);
      round.add(terms.get(i), s.intendedLabel(), s.label(), s.accepted(), s.text());
      if (s.accepted()) {
        novelty.add(s.text());
        corpus.add(DistillExample.ofTeacher(s.text(), s.logits()));
      }
    }
    List<TopicAction> actions = outstanding.subList(0, samples.size());
    double[] advantages = advantages(actions, terms);
    PolicyStats stats = policy.update(actions, advantages);
    round.policy(stats);
    outstanding = List.of();
  }

  /** Reward minus the label's baseline; then each label's baseline moves to its batch mean. */
  private double[] advantages(List<TopicAction> actions, List<RewardTerms> terms) {
    int labels = task.numLabels();
    double[] sum = new double[labels];
    int[] count = new int[labels];
    double[] adv = new double[actions.size()];
    for (int i = 0; i < actions.size(); i++) {
      int l = actions.get(i).label();
      double r = terms.get(i).total();
      adv[i] = baselineSet[l] ? r - baseline[l] : 0; // no baseline yet: no signal, only a start
      sum[l] += r;
      count[l]++;
    }
    for (int l = 0; l < labels; l++) {
      if (count[l] > 0) {
        double mean = sum[l] / count[l];
        baseline[l] = baselineSet[l]
            ? settings.baselineDecay() * baseline[l] + (1 - settings.baselineDecay()) * mean : mean;
        baselineSet[l] = true;
      }
    }
    return adv;
  }

  @Override
  public void committed(int shards) {
    double seconds = (System.nanoTime() - roundStart) / 1e9;
    List<List<String>> top = new ArrayList<>();
    for (int l = 0; l < task.numLabels(); l++) {
      top.add(policy.top(l, TOP_PROMPTS));
    }
    ObjectNode line = round.toJson(shards, seconds, top, task.labels());
    rounds.add(line);
    JsonNode r = line.path("reward");
    log.printf(Locale.ROOT, "[learn] round %d: reward %.3f (specificity %.3f, disagreement %.3f,"
        + " novelty %.3f, filtered %.1f%%), teacher agrees %.1f%%, distinct-2 %.3f, entropy %.2f,"
        + " KL to start %.3f; top %s%n", shards, r.path("total").asDouble(),
        r.path("specificity").asDouble(), r.path("disagreement").asDouble(),
        r.path("novelty").asDouble(), 100 * r.path("filtered_share").asDouble(),
        100 * line.path("teacher_agrees_with_intended").asDouble(),
        line.path("distinct_2").asDouble(), line.path("policy_entropy").asDouble(),
        line.path("policy_kl_to_start").asDouble(), top);
    if (probe != null) {
      probe.train(corpus, shards);
    }
    save(shards);
    round = new RoundStats(task.numLabels());
    roundStart = System.nanoTime();
  }

  @Override
  public void resume(int shards, List<CorpusRecord> committed) {
    if (shards == 0) {
      return;
    }
    policy.load(states.existing(shards));
    JsonNode b = states.read(shards, "prompter.json");
    for (int l = 0; l < baseline.length; l++) {
      baseline[l] = b.path("baseline").path(l).asDouble();
      baselineSet[l] = b.path("baseline_set").path(l).asBoolean();
    }
    rounds.clear();
    for (JsonNode line : b.path("rounds")) {
      rounds.add((ObjectNode) line);
    }
    for (CorpusRecord r : committed) {
      novelty.add(r.text());
      corpus.add(DistillExample.ofTeacher(r.text(), r.logits()));
    }
    log.printf(Locale.ROOT, "[learn] resumed after round %d (%d samples)%n", shards, corpus.size());
    if (probe != null) {
      probe.train(corpus, shards);
    }
  }

  /** The round log so far, one object per finished round. */
  public List<ObjectNode> rounds() {
    return List.copyOf(rounds);
  }

  private void save(int shards) {
    policy.save(states.state(shards));
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("shards", shards);
    ArrayNode b = node.putArray("baseline");
    ArrayNode s = node.putArray("baseline_set");
    for (int l = 0; l < baseline.length; l++) {
      b.add(baseline[l]);
      s.add(baselineSet[l]);
    }
    ArrayNode r = node.putArray("rounds");
    rounds.forEach(r::add);
    states.write(shards, "prompter.json", node);
    states.writeRounds(rounds);
    states.pruneBefore(shards - 1); // the manifest may still list only shards - 1
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "reinforced_prompter");
    node.set("templates", templates.describe());
    node.set("policy", policy.describe());
    node.set("settings", Json.MAPPER.valueToTree(settings));
    node.set("reward", Json.MAPPER.valueToTree(reward.weights()));
    node.put("student_probe", probe != null);
    return node;
  }

  @Override
  public void close() {
    if (probe != null) {
      probe.close();
    }
    if (policy instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the topic policy failed", e);
      }
    }
  }
}
