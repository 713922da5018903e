package io.distillery.models.generator;

import io.distillery.core.ConfigException;
import io.distillery.models.corpus.CorpusSource;
import io.distillery.train.gpt.GptConfig;
import io.distillery.train.gpt.GptTrainingConfig;
import java.util.List;

/**
 * How the demo generator is built: the tokenizer's vocabulary size, the GPT's shape, the corpus
 * balance and the training schedule. Everything is seeded, so a rebuild gives the same model.
 *
 * @param vocabSize byte-level BPE ids kept (256 bytes + merges + end of text)
 * @param model the GPT's shape (its vocab must equal {@code vocabSize})
 * @param training the causal-LM schedule
 * @param sources corpus sources, balanced
 * @param bytesPerSource UTF-8 bytes kept per source
 * @param heldOutFraction share of each source held out for evaluation
 */
public record GeneratorRecipe(int vocabSize, GptConfig model, GptTrainingConfig training,
    List<CorpusSource> sources, long bytesPerSource, double heldOutFraction) {
  public GeneratorRecipe {
    if (model.vocab() != vocabSize) {
      throw new ConfigException("model vocab " + model.vocab() + " must equal the tokenizer's "
          + vocabSize);
    }
    if (training.sequenceLength() > model.context()) {
      throw new ConfigException("sequenceLength " + training.sequenceLength()
          + " exceeds the model context " + model.context());
    }
    sources = List.copyOf(sources);
  }

  /**
   * The demo generator: the prototype's shape (4 layers, d=256, 8 heads, 256 positions, 8,192
   * tokens: 5.3 M parameters), 2.4 MB from each of the five sources (about Moby-Dick's size),
   * 2% held out, 16 x 256 tokens per step.
   *
   * @param steps optimizer steps (4,096 tokens each)
   */
  public static GeneratorRecipe demo(int steps) {
    int warmup = Math.min(100, steps / 10);
    return new GeneratorRecipe(8192, new GptConfig(4, 256, 8, 256, 8192),
        new GptTrainingConfig(steps, 16, 256, 1e-3, 1e-4, warmup, 0.1, 1.0, 1234L, 50, 500, 256),
        List.of(CorpusSource.values()), 2_400_000L, 0.02);
  }
}
