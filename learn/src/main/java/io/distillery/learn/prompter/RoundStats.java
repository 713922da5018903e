package io.distillery.learn.prompter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.learn.policy.PolicyStats;
import io.distillery.learn.reward.NoveltyIndex;
import io.distillery.learn.reward.RewardTerms;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one learning round (one corpus shard) saw, for the round log: the mean of each reward
 * term, the teacher's label balance, how often the teacher agreed with the intended label,
 * distinct-1/2 of the accepted texts, the policy's entropy and KL to its start, and a few samples.
 */
final class RoundStats {
  private final int labels;
  private long candidates;
  private long filtered;
  private long scored;
  private long accepted;
  private long agreed;
  private double specificity;
  private double disagreement;
  private double novelty;
  private double total;
  private final long[] teacherLabels;
  private final List<List<String>> samples = new ArrayList<>();
  private final List<String> acceptedTexts = new ArrayList<>();
  private PolicyStats policy = new PolicyStats(Double.NaN, Double.NaN);

  RoundStats(int labels) {
    this.labels = labels;
    this.teacherLabels = new long[labels];
    for (int l = 0; l < labels; l++) {
      samples.add(new ArrayList<>());
    }
  }

  void add(RewardTerms r, int intended, int teacherLabel, boolean wasAccepted, String text) {
    candidates++;
    total += r.total();
    if (r.filtered()) {
      filtered++;
      return;
    }
    scored++;
    specificity += r.specificity();
    disagreement += r.disagreement();
    novelty += r.novelty();
    teacherLabels[teacherLabel]++;
    agreed += teacherLabel == intended ? 1 : 0;
    if (wasAccepted) {
      accepted++;
      acceptedTexts.add(text);
      if (teacherLabel == intended && samples.get(teacherLabel).size() < 2) {
        samples.get(teacherLabel).add(text);
      }
    }
  }

  void policy(PolicyStats stats) {
    policy = stats;
  }

  ObjectNode toJson(int round, double seconds, List<List<String>> topPrompts, List<String> names) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("round", round);
    n.put("seconds", seconds);
    n.put("candidates", candidates);
    n.put("filtered", filtered);
    n.put("accepted", accepted);
    ObjectNode r = n.putObject("reward");
    r.put("total", total / Math.max(1, candidates));
    r.put("specificity", specificity / Math.max(1, scored));
    r.put("disagreement", disagreement / Math.max(1, scored));
    r.put("novelty", novelty / Math.max(1, scored));
    r.put("filtered_share", filtered / (double) Math.max(1, candidates));
    n.put("teacher_agrees_with_intended", agreed / (double) Math.max(1, scored));
    ObjectNode balance = n.putObject("teacher_labels");
    for (int l = 0; l < labels; l++) {
      balance.put(names.get(l), teacherLabels[l]);
    }
    n.put("distinct_1", distinct(acceptedTexts, 1));
    n.put("distinct_2", distinct(acceptedTexts, 2));
    n.put("policy_entropy", policy.entropy());
    n.put("policy_kl_to_start", policy.klToStart());
    ObjectNode top = n.putObject("top_prompts");
    ObjectNode sample = n.putObject("samples");
    for (int l = 0; l < labels; l++) {
      ArrayNode t = top.putArray(names.get(l));
      topPrompts.get(l).forEach(t::add);
      ArrayNode s = sample.putArray(names.get(l));
      samples.get(l).forEach(s::add);
    }
    return n;
  }

  /** Distinct n-grams over all n-grams of the texts (words, lower-cased). */
  static double distinct(List<String> texts, int n) {
    Set<String> seen = new HashSet<>();
    long count = 0;
    for (String t : texts) {
      List<String> w = NoveltyIndex.words(t);
      for (int i = 0; i + n <= w.size(); i++) {
        seen.add(String.join(" ", w.subList(i, i + n)));
        count++;
      }
    }
    return count == 0 ? 0 : seen.size() / (double) count;
  }
}
