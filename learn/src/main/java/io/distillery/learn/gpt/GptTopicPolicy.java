package io.distillery.learn.gpt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.learn.policy.PolicyStats;
import io.distillery.learn.policy.TopicAction;
import io.distillery.learn.policy.TopicPolicy;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.task.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PromptDFD's reinforced topic prompter as a small GPT: conditioned on the intended label by a
 * label template (e.g. "A negative movie review:", template and domain drawn uniformly with the
 * rng), the policy writes a topic prompt of at most {@link #maxTopicTokens} tokens, cut at the
 * first line break or sentence end ("The acting"). That text is {@link TopicAction#topic}: the
 * generator continues it and it starts the sample. {@link #update} is one {@link GptPolicy} step.
 * Initialised from the generator's own weights, so the prompter starts as the generator's
 * continuation of the template.
 */
public final class GptTopicPolicy implements TopicPolicy, AutoCloseable {
  /** Topic length in tokens, as in the paper's example ("If the obama administration is"). */
  public static final int DEFAULT_MAX_TOPIC_TOKENS = 8;

  private final GptPolicy policy;
  private final LmTokenizer tokenizer;
  private final TemplatePrompts templates;
  private final int maxTopicTokens;
  private final Path generator;

  /** What the policy needs to credit one action: the conditioning prefix and the topic tokens. */
  public record Choice(int[] prefix, int[] tokens) {}

  /** Takes ownership of {@code policy} and {@code tokenizer}. */
  public GptTopicPolicy(GptPolicy policy, LmTokenizer tokenizer, TemplatePrompts templates,
      int maxTopicTokens, Path generator) {
    if (maxTopicTokens < 1) {
      throw new io.distillery.core.ConfigException("topic prompts need at least 1 token, got "
          + maxTopicTokens);
    }
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.templates = templates;
    this.maxTopicTokens = maxTopicTokens;
    this.generator = generator;
  }

  /**
   * A topic policy initialised from a generator folder's model.onnx (trainable copy + frozen
   * π₀) and tokenizer.json, with the task's default templates.
   */
  public static GptTopicPolicy open(Path generatorDir, TaskSpec task, GptPolicySettings settings) {
    GeneratorFolder folder = GeneratorFolder.read(generatorDir);
    LmTokenizer tok = LmTokenizer.load(folder.tokenizerFile());
    try {
      return new GptTopicPolicy(GptPolicy.open(folder, settings), tok, new TemplatePrompts(task),
          DEFAULT_MAX_TOPIC_TOKENS, generatorDir);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  public GptPolicy policy() {
    return policy;
  }

  @Override
  public List<TopicAction> sample(int[] labels, SplittableRandom rng) {
    return draw(labels, rng, false);
  }

  private List<TopicAction> draw(int[] labels, SplittableRandom rng, boolean greedy) {
    List<int[]> prefixes = new ArrayList<>();
    int[] chosen = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      chosen[i] = rng.nextInt(templates.templates().size());
      int d = rng.nextInt(templates.domains().size());
      prefixes.add(ids(templates.prompt(chosen[i], labels[i], d).text()));
    }
    GptPolicy.Samples s = policy.sample(prefixes, maxTopicTokens, rng.split(),
        (row, tokens) -> ended(decode(tokens)), greedy);
    List<TopicAction> out = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      int[] tokens = s.tokens()[i];
      out.add(new TopicAction(labels[i], chosen[i], topicText(decode(tokens)),
          s.sequenceLogProb(i), new Choice(prefixes.get(i), tokens)));
    }
    return out;
  }

  @Override
  public PolicyStats update(List<TopicAction> actions, double[] advantages) {
    List<int[]> prefixes = new ArrayList<>();
    List<int[]> tokens = new ArrayList<>();
    for (TopicAction a : actions) {
      Choice c = (Choice) a.payload();
      prefixes.add(c.prefix());
      tokens.add(c.tokens());
    }
    GptPolicy.UpdateStats u = policy.update(prefixes, tokens, advantages);
    return new PolicyStats(u.entropy(), u.klToStart());
  }

  /**
   * The greedy topic after each template (a fixed domain walk), ranked by log-probability,
   * distinct, at most {@code k}: what the policy now prefers for {@code label}.
   */
  @Override
  public List<String> top(int label, int k) {
    int n = templates.templates().size() * Math.min(3, templates.domains().size());
    int[] labels = new int[n];
    Arrays.fill(labels, label);
    List<TopicAction> greedy = draw(labels, new SplittableRandom(label), true);
    Map<String, Double> best = new LinkedHashMap<>();
    for (TopicAction a : greedy) {
      best.merge(a.topic(), a.logProb(), Math::max);
    }
    return best.entrySet().stream()
        .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
        .limit(k).map(Map.Entry::getKey).toList();
  }

  @Override
  public void save(Path dir) {
    policy.save(dir);
  }

  @Override
  public void load(Path dir) {
    policy.load(dir);
  }

  @Override
  public ObjectNode describe() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "gpt");
    n.put("generator", generator == null ? "" : generator.toString());
    n.putPOJO("model", policy.config());
    n.put("max_topic_tokens", maxTopicTokens);
    n.set("settings", policy.settings().toJson());
    n.put("updates", policy.updates());
    n.set("templates", templates.describe());
    return n;
  }

  /** The topic: the decoded tokens up to the first line break or sentence end, stripped. */
  static String topicText(String decoded) {
    int end = decoded.length();
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '\n' || c == '\r') {
        end = i;
        break;
      }
      if ((c == '.' || c == '!' || c == '?') && !decoded.substring(0, i).isBlank()) {
        end = i + 1;
        break;
      }
    }
    return decoded.substring(0, end).replaceAll("\\s+", " ").strip();
  }

  /** Whether a topic is complete: a line break, or a sentence end after some text. */
  static boolean ended(String decoded) {
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '\n' || c == '\r'
          || ((c == '.' || c == '!' || c == '?') && !decoded.substring(0, i).isBlank())) {
        return true;
      }
    }
    return false;
  }

  private String decode(int[] tokens) {
    return tokenizer.decode(Arrays.stream(tokens).asLongStream().toArray());
  }

  private int[] ids(String text) {
    return Arrays.stream(tokenizer.encode(text)).mapToInt(Math::toIntExact).toArray();
  }

  @Override
  public void close() {
    policy.close();
    tokenizer.close();
  }
}
