package io.distillery.runtime.generate;

import io.distillery.core.ConfigException;
import java.util.List;

/**
 * How to continue prompts.
 *
 * @param maxNewTokens tokens to generate at most per prompt
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK keep only the k most likely tokens (0 keeps all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1 keeps
 *     all)
 * @param stopSequences stop a row once its generated text contains one of these
 * @param seed seeds sampling; row i of a batch draws from its own stream, so results do not
 *     depend on what else is in the batch
 * @param stopAtEos stop a row at the end-of-text token (benchmarks turn this off)
 * @param cache whether to reuse past keys/values
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP,
    List<String> stopSequences, long seed, boolean stopAtEos, CacheMode cache) {
  public GenerationConfig {
    if (maxNewTokens < 1) {
      throw new ConfigException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new ConfigException("temperature must be >= 0 (0 = greedy), got " + temperature);
    }
    if (topK < 0) {
      throw new ConfigException("topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new ConfigException("topP must be in (0, 1], got " + topP);
    }
    stopSequences = List.copyOf(stopSequences);
    if (stopSequences.stream().anyMatch(String::isEmpty)) {
      throw new ConfigException("stop sequences must not be empty strings");
    }
    if (cache == null) {
      throw new ConfigException("cache mode must be set (AUTO, ON or OFF)");
    }
  }

  /** Greedy decoding, stopping at end of text, cache when available. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(maxNewTokens, 0, 0, 1, List.of(), 0, true, CacheMode.AUTO);
  }

  /** Sampling at the given temperature with top-k 50 and top-p 0.95. */
  public static GenerationConfig sampling(int maxNewTokens, double temperature, long seed) {
    return new GenerationConfig(maxNewTokens, temperature, 50, 0.95, List.of(), seed, true,
        CacheMode.AUTO);
  }

  public boolean greedyDecoding() {
    return temperature == 0;
  }

  public GenerationConfig withCache(CacheMode mode) {
    return new GenerationConfig(maxNewTokens, temperature, topK, topP, stopSequences, seed,
        stopAtEos, mode);
  }

  public GenerationConfig withStopSequences(List<String> stops) {
    return new GenerationConfig(maxNewTokens, temperature, topK, topP, stops, seed, stopAtEos,
        cache);
  }

  public GenerationConfig withStopAtEos(boolean stop) {
    return new GenerationConfig(maxNewTokens, temperature, topK, topP, stopSequences, seed, stop,
        cache);
  }
}
