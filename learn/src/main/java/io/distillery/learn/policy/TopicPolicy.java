package io.distillery.learn.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A learnable policy over topic prompts, conditioned on the intended label: the "reinforced topic
 * prompter" of PromptDFD. Implementations: {@link CategoricalTopicPolicy} (a factorised categorical
 * over template × topic word, the cheap ablation) and a small GPT (learn.gpt).
 *
 * <p>Training is REINFORCE: {@link #update} raises the log-probability of actions with a positive
 * advantage, with an entropy bonus and a KL penalty to the initial policy (its settings belong to
 * the implementation). Determinism: {@link #sample} depends only on the policy state and {@code
 * rng}; {@link #save} / {@link #load} restore the state exactly, optimiser included.
 */
public interface TopicPolicy {
  /** One action per entry of {@code labels}, in order. */
  List<TopicAction> sample(int[] labels, SplittableRandom rng);

  /** One policy-gradient step; {@code advantages[i]} belongs to {@code actions.get(i)}. */
  PolicyStats update(List<TopicAction> actions, double[] advantages);

  /** The {@code k} most likely topic prompts for {@code label}, for the round log. */
  List<String> top(int label, int k);

  /** Writes the whole state (parameters, optimiser, step) under {@code dir}. */
  void save(Path dir);

  /** Restores what {@link #save} wrote. */
  void load(Path dir);

  /** Kind and settings, for the corpus manifest. */
  ObjectNode describe();
}
