package io.distillery.learn.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The cheap ablation of the reinforced topic prompter: per label, two independent categoricals,
 * one over the label templates and one over topic openers ("The acting", "My phone"). An action
 * is a (template, topic) pair; its log-probability is the sum of the two factors'.
 */
public final class CategoricalTopicPolicy implements TopicPolicy {
  /** What a sampled action records. */
  record Choice(int template, int topic) {}

  private final List<String> topics;
  private final int templates;
  private final List<CategoricalFactor> templateFactors = new ArrayList<>();
  private final List<CategoricalFactor> topicFactors = new ArrayList<>();
  private final PolicySettings settings;
  private int steps;

  /**
   * @param labels number of labels
   * @param templates number of label templates
   * @param topics the topic openers, shared by all labels
   * @param topicPrior initial topic logits per label {@code [labels][topics]}, or null for uniform
   */
  public CategoricalTopicPolicy(int labels, int templates, List<String> topics,
      double[][] topicPrior, PolicySettings settings) {
    if (topics.isEmpty() || templates < 1 || labels < 1) {
      throw new ConfigException("categorical prompter: needs labels, templates and topic words,"
          + " got " + labels + " labels, " + templates + " templates, " + topics.size() + " topics");
    }
    this.topics = List.copyOf(topics);
    this.templates = templates;
    this.settings = settings;
    for (int l = 0; l < labels; l++) {
      templateFactors.add(new CategoricalFactor(new double[templates]));
      topicFactors.add(new CategoricalFactor(
          topicPrior == null ? new double[topics.size()] : topicPrior[l].clone()));
    }
  }

  public List<String> topics() {
    return topics;
  }

  @Override
  public List<TopicAction> sample(int[] labels, SplittableRandom rng) {
    List<TopicAction> out = new ArrayList<>(labels.length);
    for (int label : labels) {
      int t = templateFactors.get(label).sample(rng);
      int w = topicFactors.get(label).sample(rng);
      double lp = templateFactors.get(label).logProb(t) + topicFactors.get(label).logProb(w);
      out.add(new TopicAction(label, t, topics.get(w), lp, new Choice(t, w)));
    }
    return out;
  }

  @Override
  public PolicyStats update(List<TopicAction> actions, double[] advantages) {
    double entropy = 0;
    double kl = 0;
    int labels = templateFactors.size();
    for (int l = 0; l < labels; l++) {
      final int label = l;
      int[] rows = IntStream.range(0, actions.size()).filter(i -> actions.get(i).label() == label)
          .toArray();
      int[] t = new int[rows.length];
      int[] w = new int[rows.length];
      double[] a = new double[rows.length];
      for (int k = 0; k < rows.length; k++) {
        Choice c = (Choice) actions.get(rows[k]).payload();
        t[k] = c.template();
        w[k] = c.topic();
        a[k] = advantages[rows[k]];
      }
      if (rows.length > 0) {
        templateFactors.get(l).update(t, a, settings.learningRate(), settings.entropyBonus(),
            settings.klPenalty(), settings.entropyFloor());
        topicFactors.get(l).update(w, a, settings.learningRate(), settings.entropyBonus(),
            settings.klPenalty(), settings.entropyFloor());
      }
      entropy += templateFactors.get(l).entropy() + topicFactors.get(l).entropy();
      kl += templateFactors.get(l).klToStart() + topicFactors.get(l).klToStart();
    }
    steps++;
    return new PolicyStats(entropy / labels, kl / labels);
  }

  /** π(template | label), for tests and logs. */
  public double[] templateProbabilities(int label) {
    return templateFactors.get(label).probabilities();
  }

  /** π(topic | label). */
  public double[] topicProbabilities(int label) {
    return topicFactors.get(label).probabilities();
  }

  @Override
  public List<String> top(int label, int k) {
    double[] p = topicFactors.get(label).probabilities();
    return IntStream.range(0, p.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparing(i -> i))
        .limit(k).map(i -> String.format(java.util.Locale.ROOT, "%s (%.3f)", topics.get(i), p[i]))
        .toList();
  }

  @Override
  public void save(Path dir) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("steps", steps);
    ArrayNode t = node.putArray("template_logits");
    ArrayNode w = node.putArray("topic_logits");
    for (int l = 0; l < templateFactors.size(); l++) {
      ArrayNode tl = t.addArray();
      for (double v : templateFactors.get(l).logits()) {
        tl.add(v);
      }
      ArrayNode wl = w.addArray();
      for (double v : topicFactors.get(l).logits()) {
        wl.add(v);
      }
    }
    try {
      Files.createDirectories(dir);
      AtomicFiles.writeString(dir.resolve("categorical-policy.json"),
          Json.MAPPER.writeValueAsString(node));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(dir + ": cannot write the policy", e);
    }
  }

  @Override
  public void load(Path dir) {
    Path file = dir.resolve("categorical-policy.json");
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read the saved policy (" + e.getMessage() + ")", e);
    }
    JsonNode t = node.path("template_logits");
    JsonNode w = node.path("topic_logits");
    if (t.size() != templateFactors.size() || w.size() != topicFactors.size()) {
      throw BadInputException.of(file, "expected logits for " + templateFactors.size()
          + " labels, found " + t.size());
    }
    for (int l = 0; l < templateFactors.size(); l++) {
      templateFactors.get(l).setLogits(doubles(t.get(l)));
      topicFactors.get(l).setLogits(doubles(w.get(l)));
    }
    steps = node.path("steps").asInt();
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "categorical");
    node.put("templates", templates);
    ArrayNode w = node.putArray("topics");
    topics.forEach(w::add);
    node.set("settings", Json.MAPPER.valueToTree(settings));
    return node;
  }
}
