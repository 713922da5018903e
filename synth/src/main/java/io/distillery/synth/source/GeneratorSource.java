package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.synth.prompt.Prompt;
import io.distillery.synth.prompt.PromptStrategy;
import io.distillery.synth.prompt.ScoredSample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Candidates written by a generator: a {@link PromptStrategy} picks the prompts, the generator
 * continues them, and each continuation is cut to one text by {@link ContinuationCutter}; a
 * prompt's {@link Prompt#sampleStart} (a topic prompt) is kept in front of its continuation. The
 * candidate's log-probability is the sum over the new tokens that the cut kept.
 *
 * <p>Each shard gets a fresh {@link SplittableRandom} from its shard seed; each batch draws its
 * prompts and then its sampling seed from it, so shards are reproducible one by one.
 *
 * <p>{@link Decoding#STOP_AT_CUT} (the default) ends each continuation as soon as its cut is final
 * ({@link ContinuationCutter#finalCut}, checked on prompt tail + text after every token), so tokens
 * past the first sentence are not generated; {@link Decoding#FULL_THEN_CUT} generates every
 * continuation to {@code maxNewTokens} and cuts afterwards. Both give the same candidates.
 */
public final class GeneratorSource implements TextSource {
  /** When the generator stops a continuation. */
  public enum Decoding {
    /** At the token limit (or end of text); the cut comes afterwards. */
    FULL_THEN_CUT,
    /** As soon as no further token can change the cut text. */
    STOP_AT_CUT
  }

  private final PromptStrategy prompts;
  private final TextGenerator generator;
  private final GenerationSettings settings;
  private final ContinuationCutter cutter;
  private final Decoding decoding;
  private SplittableRandom rng;
  private long generatedTokens;
  private long keptTokens;

  public GeneratorSource(PromptStrategy prompts, TextGenerator generator, GenerationSettings settings) {
    this(prompts, generator, settings, Decoding.STOP_AT_CUT);
  }

  public GeneratorSource(PromptStrategy prompts, TextGenerator generator,
      GenerationSettings settings, Decoding decoding) {
    this.prompts = prompts;
    this.generator = generator;
    this.settings = settings;
    this.cutter = new ContinuationCutter(settings);
    this.decoding = decoding;
  }

  @Override
  public void startShard(ShardStart start) {
    rng = new SplittableRandom(start.shardSeed());
  }

  @Override
  public List<Candidate> next(int n) {
    if (rng == null) {
      throw new IllegalStateException("startShard must be called before next");
    }
    List<Prompt> batch = prompts.next(n, rng);
    long seed = rng.nextLong();
    List<String> texts = new ArrayList<>(batch.size());
    for (Prompt p : batch) {
      texts.add(p.text());
    }
    List<Continuation> gens = decoding == Decoding.FULL_THEN_CUT
        ? generator.generate(texts, settings, seed)
        : generator.generate(texts, settings, seed, (i, text) ->
            cutter.finalCut(batch.get(i).sampleStart() + text).isPresent());
    if (gens.size() != batch.size()) {
      throw new IllegalStateException(
          "generator returned " + gens.size() + " continuations for " + batch.size() + " prompts");
    }
    List<Candidate> out = new ArrayList<>(gens.size());
    for (int i = 0; i < gens.size(); i++) {
      Continuation g = gens.get(i);
      Prompt p = batch.get(i);
      // a topic prompt starts the sample itself: cut prompt tail + continuation as one text
      String start = p.sampleStart();
      ContinuationCutter.Cut cut = cutter.cut(start + g.text());
      int kept = keptTokens(g, Math.max(0, cut.end() - start.length()));
      generatedTokens += g.tokenIds().length;
      keptTokens += kept;
      double logProb = 0;
      for (int t = 0; t < kept; t++) {
        logProb += g.tokenLogProbs()[t];
      }
      out.add(new Candidate(cut.text(), p.text(), p.intendedLabel(), logProb));
    }
    return out;
  }

  /** The fewest leading tokens whose decoding covers the first {@code end} characters. */
  private int keptTokens(Continuation g, int end) {
    int n = g.tokenIds().length;
    if (end >= g.text().length()) {
      return n;
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long[] prefix = java.util.Arrays.copyOf(g.tokenIds(), mid);
      if (generator.decode(prefix).length() >= end) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** New tokens the generator has produced for this source so far (end-of-text tokens included). */
  public long generatedTokens() {
    return generatedTokens;
  }

  /** Of {@link #generatedTokens()}, those inside the candidates' cut texts. */
  public long keptTokens() {
    return keptTokens;
  }

  /** Yes when the prompt strategy does not learn (the generator shares nothing with the teacher). */
  @Override
  public boolean canDrawAhead() {
    return !prompts.learnsFromFeedback();
  }

  @Override
  public void feedback(List<ScoredSample> samples) {
    prompts.feedback(samples);
  }

  @Override
  public void committed(int shards) {
    prompts.committed(shards);
  }

  @Override
  public void resume(int shards, List<io.distillery.synth.corpus.CorpusRecord> corpus) {
    prompts.resume(shards, corpus);
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "generator");
    node.set("generator", generator.describe());
    node.set("prompts", prompts.describe());
    node.set("generation", settings.toJson());
    return node;
  }
}
