package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.runtime.generate.CacheMode;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.generate.StopCondition;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's {@link CausalLm} (a generator folder: model.onnx with the Optimum
 * text-generation-with-past signature, tokenizer.json) as the synthesizer's {@link TextGenerator}.
 * Sampling uses the KV cache when the model has one and stops at end of text; the log-probabilities
 * are the model's own (temperature 1, before top-k/top-p). With a stop condition, rows leave the
 * batch when their text is done and the next prompts take their rows (continuous batching, at most
 * {@link #rows()} rows at a time); prompt i samples from its own stream (the seed mixed with i), so
 * the texts do not depend on the number of rows.
 */
public final class CausalLmGenerator implements TextGenerator, AutoCloseable {
  private final CausalLm lm;
  private final Path dir;
  private final String sha256;
  private final boolean owned;
  private final int rows;

  private CausalLmGenerator(CausalLm lm, Path dir, boolean owned, String sha256, int rows) {
    this.lm = lm;
    this.dir = dir;
    this.sha256 = sha256;
    this.owned = owned;
    this.rows = rows;
  }

  private CausalLmGenerator(CausalLm lm, Path dir, boolean owned) {
    this(lm, dir, owned, Sha256.of(dir.resolve("model.onnx")), 0);
  }

  /**
   * This generator with at most {@code rows} prompts in the batch at a time (0: all the prompts
   * of a call at once); the texts are the same, only the speed differs. The copy borrows the
   * model: close the original.
   */
  public CausalLmGenerator withRows(int rows) {
    if (rows < 0) {
      throw new io.distillery.core.ConfigException(
          "generator rows must be >= 0 (0 = all prompts at once), got " + rows);
    }
    return new CausalLmGenerator(lm, dir, false, sha256, rows);
  }

  /** Rows in the batch at most (0: all the prompts of a call). */
  public int rows() {
    return rows;
  }

  /** Opens a generator folder; closing this closes the model. */
  public static CausalLmGenerator open(Path dir, SessionFactory sessions, SessionConfig config) {
    CausalLm lm = CausalLm.open(dir, sessions, config);
    try {
      return new CausalLmGenerator(lm, dir, true);
    } catch (RuntimeException e) {
      lm.close();
      throw e;
    }
  }

  /** Borrows an open model that was loaded from {@code dir} (closing this leaves it open). */
  public static CausalLmGenerator borrow(CausalLm lm, Path dir) {
    return new CausalLmGenerator(lm, dir, false);
  }

  public CausalLm model() {
    return lm;
  }

  @Override
  public List<Continuation> generate(List<String> prompts, GenerationSettings settings, long seed) {
    return generate(prompts, settings, seed, StopCondition.NEVER);
  }

  @Override
  public List<Continuation> generate(List<String> prompts, GenerationSettings settings, long seed,
      StopCondition done) {
    GenerationConfig config = new GenerationConfig(settings.maxNewTokens(), settings.temperature(),
        settings.topK(), settings.topP(), settings.stop(), seed, true, CacheMode.AUTO);
    List<Continuation> out = new ArrayList<>(prompts.size());
    for (Generation g : lm.generate(prompts, config, done, rows)) {
      out.add(new Continuation(g.text(), g.tokenIds(), g.logProbs()));
    }
    return out;
  }

  @Override
  public String decode(long[] tokenIds) {
    return lm.tokenizer().decode(tokenIds);
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "causal_lm");
    node.put("folder", String.valueOf(dir.toAbsolutePath().normalize().getFileName()));
    node.put("model_sha256", sha256);
    node.put("layers", lm.signature().layers());
    node.put("kv_cache", lm.signature().hasCache());
    return node;
  }

  @Override
  public void close() {
    if (owned) {
      lm.close();
    }
  }
}
