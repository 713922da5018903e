package io.distillery.cli.pipeline;

import io.distillery.learn.gpt.GptPolicySettings;
import io.distillery.learn.gpt.GptTopicPolicy;
import io.distillery.learn.policy.CategoricalTopicPolicy;
import io.distillery.learn.policy.PolicySettings;
import io.distillery.learn.policy.TopicPolicy;
import io.distillery.learn.probe.StudentProbe;
import io.distillery.learn.prompter.ReinforcedPrompter;
import io.distillery.learn.prompter.TopicWords;
import io.distillery.learn.reward.Reward;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.learn.select.StudentGuidedSource;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.filter.Filters;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.task.TaskSpec;
import io.distillery.train.distill.DistillConfig;
import io.distillery.train.student.StudentConfig;
import io.distillery.train.student.TokenizerVocabulary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Builds the learning strategies a run config asks for: the reinforced topic prompter ({@code
 * prompts.kind: categorical or prompter}) with its policy, reward weights and student probe, and
 * the student-guided raw-corpus selection ({@code source.select: student_guided}).
 */
final class Learners {
  /** Topic openers mined per label when the config does not say. */
  static final int DEFAULT_TOPICS_PER_LABEL = 32;
  /**
   * Adam step of the GPT topic prompter when the config does not say: 3x T3's 1e-4, because the
   * prompter gets one update per synth batch (about 130 in a 4,000-sample run), and the T3 helper
   * run saw no movement in 100 steps at 1e-4.
   */
  static final double DEFAULT_GPT_LEARNING_RATE = 3e-4;
  /** Student probe steps per round when the config does not say. */
  static final int DEFAULT_PROBE_STEPS = 150;

  private Learners() {}

  static ReinforcedPrompter prompter(RunConfig.Prompts p, TaskSpec task, ClassifierModel teacher,
      Path generator, Path learnDir, long seed, PrintStream log) {
    TemplatePrompts templates = new TemplatePrompts(task);
    PolicySettings d = PolicySettings.categoricalDefaults();
    double lr = p.kind() == RunConfig.PromptKind.prompter ? DEFAULT_GPT_LEARNING_RATE : d.learningRate();
    PolicySettings settings = new PolicySettings(
        p.learningRate() != null ? p.learningRate() : lr,
        p.entropy() != null ? p.entropy() : d.entropyBonus(),
        p.kl() != null ? p.kl() : d.klPenalty(),
        p.baselineDecay() != null ? p.baselineDecay() : d.baselineDecay(),
        p.entropyFloor() != null ? p.entropyFloor() : d.entropyFloor());
    TopicPolicy policy = switch (p.kind()) {
      case categorical -> {
        int perLabel = p.topicsPerLabel() != null ? p.topicsPerLabel() : DEFAULT_TOPICS_PER_LABEL;
        List<String> words = TopicWords.vocabularyWords(generator.resolve("tokenizer.json"));
        List<String> topics = TopicWords.mine(words, teacher.classifier(), task.numLabels(), perLabel);
        log.printf(Locale.ROOT, "[learn] categorical prompter: %d templates x %d topic openers"
            + " (the teacher's top %d per label of %d vocabulary words)%n",
            templates.templates().size(), topics.size(), perLabel, words.size());
        yield new CategoricalTopicPolicy(task.numLabels(), templates.templates().size(), topics,
            null, settings);
      }
      case prompter -> {
        GptPolicySettings g = GptPolicySettings.defaults();
        g = new GptPolicySettings(settings.learningRate(),
            p.kl() != null ? p.kl() : g.klPenalty(),
            p.entropy() != null ? p.entropy() : g.entropyBonus(), g.gradClip(), g.weightDecay(),
            g.temperature(), g.topK());
        log.printf(Locale.ROOT, "[learn] GPT topic prompter initialised from %s, %s%n", generator,
            g.toJson());
        yield GptTopicPolicy.open(generator, task, g);
      }
      case templates -> throw new IllegalArgumentException("templates do not learn");
    };
    RewardWeights w = rewardWeights(p.reward());
    int probeSteps = p.probeSteps() != null ? p.probeSteps() : DEFAULT_PROBE_STEPS;
    StudentProbe probe = probe(w, probeSteps, task, teacher, seed, learnDir, log);
    return new ReinforcedPrompter(task, templates, policy, settings, new Reward(w), probe, learnDir, log);
  }

  /** Raw-corpus units chosen round by round for the student's disagreement with the teacher. */
  static StudentGuidedSource studentGuided(RawCorpusSource raw, int pool, RunConfig.Prompts p,
      TaskSpec task, ClassifierModel teacher, FilterConfig filters, Path learnDir, long seed,
      PrintStream log) {
    Filters screen = new Filters(filters); // never admits, so it checks length and repetition only
    RewardWeights w = rewardWeights(p.reward());
    int probeSteps = p.probeSteps() != null ? p.probeSteps() : DEFAULT_PROBE_STEPS;
    return new StudentGuidedSource(raw, teacher.classifier(), pool, task.numLabels(), new Reward(w),
        probe(w, probeSteps, task, teacher, seed, learnDir, log), t -> screen.screen(t).passed(),
        learnDir, log);
  }

  /** The default student, distilled for {@code steps} after every round; null when not needed. */
  private static StudentProbe probe(RewardWeights w, int steps, TaskSpec task,
      ClassifierModel teacher, long seed, Path learnDir, PrintStream log) {
    if (steps == 0 || w.disagreement() == 0) {
      return null;
    }
    StudentConfig student = StudentConfig.defaults(
        TokenizerVocabulary.size(teacher.tokenizer().path()), task.numLabels());
    DistillConfig dc = DistillConfig.defaults().withSteps(steps).withSeed(seed)
        .withTeacherEmbeddingsIfPresent(teacher.folder().model());
    return new StudentProbe(teacher.tokenizer(), student, dc, learnDir.resolve("probe-work"), log, 1);
  }

  private static RewardWeights rewardWeights(RunConfig.RewardWeights r) {
    RewardWeights d = RewardWeights.defaults();
    if (r == null) {
      return d;
    }
    return new RewardWeights(
        r.specificity() != null ? r.specificity() : d.specificity(),
        r.disagreement() != null ? r.disagreement() : d.disagreement(),
        r.novelty() != null ? r.novelty() : d.novelty(),
        r.filtered() != null ? r.filtered() : d.filtered());
  }
}
