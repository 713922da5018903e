package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.runtime.generate.Batching;
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
 * batch when their text is done and the next prompts take their rows (continuous batching, see
 * {@link #batching()}); prompt i samples from its own stream (the seed mixed with i), so the texts
 * do not depend on the batching.
 */
public final class CausalLmGenerator implements TextGenerator, AutoCloseable {
  private final CausalLm lm;
  private final Path dir;
  private final String sha256;
  private final boolean owned;
  private final Batching batching;

  private CausalLmGenerator(CausalLm lm, Path dir, boolean owned, String sha256,
      Batching batching) {
    this.lm = lm;
    this.dir = dir;
    this.sha256 = sha256;
    this.owned = owned;
    this.batching = batching;
  }

  private CausalLmGenerator(CausalLm lm, Path dir, boolean owned) {
    this(lm, dir, owned, Sha256.of(dir.resolve("model.onnx")), Batching.all());
  }

  /**
   * This generator with another batching (default {@link Batching#all()}: all the prompts of a
   * call at once, finished rows leave); the texts are the same, only the speed differs. The copy
   * borrows the model: close the original.
   */
  public CausalLmGenerator withBatching(Batching batching) {
    return new CausalLmGenerator(lm, dir, false, sha256, batching);
  }

  public Batching batching() {
    return batching;
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
    for (Generation g : lm.generate(prompts, config, done, batching)) {
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
