package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.runtime.generate.StopCondition;
import java.util.List;

/**
 * A causal language model seen from the synthesizer: it continues a batch of prompts. The runtime's
 * {@code CausalLm} is wrapped behind this interface (see {@link CausalLmGenerator}), which keeps
 * synth's pipeline testable without a generator model.
 */
public interface TextGenerator {
  /**
   * One continuation per prompt, in order. Must be deterministic for a given {@code seed}, prompts
   * and settings.
   */
  List<Continuation> generate(List<String> prompts, GenerationSettings settings, long seed);

  /**
   * Like {@link #generate(List, GenerationSettings, long)}, but prompt i's continuation may end as
   * soon as {@code done.done(i, text so far)} holds: a text that the caller cuts anyway need not
   * be generated to the token limit. Each continuation must begin with exactly the tokens the
   * three-argument call gives for the same seed. The default ignores {@code done} and generates
   * everything.
   */
  default List<Continuation> generate(List<String> prompts, GenerationSettings settings, long seed,
      StopCondition done) {
    return generate(prompts, settings, seed);
  }

  /** The text of a prefix of a continuation's token ids (special tokens dropped). */
  String decode(long[] tokenIds);

  /** What model this is, for provenance (e.g. its file and SHA-256). */
  ObjectNode describe();
}
