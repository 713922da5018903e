package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.runtime.generate.CacheMode;
import io.distillery.runtime.generate.CausalLm;
import io.distillery.runtime.generate.Generation;
import io.distillery.runtime.generate.GenerationConfig;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery generate}: continue a prompt with a causal LM folder. */
@Command(
    name = "generate",
    description = "Continue a prompt with a generator folder (Optimum text-generation-with-past "
        + "signature; a model without past inputs runs through the slower no-cache path).")
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "Generator folder (model.onnx, tokenizer.json).")
  Path model;

  @Option(names = "--prompt", required = true, description = "The prompt to continue.")
  String prompt;

  @Option(names = "--n", defaultValue = "4", description = "Samples, generated as one batch (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--max-new-tokens", defaultValue = "48", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0.9", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "50", description = "0 = off (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--top-p", defaultValue = "0.95", description = "1 = off (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--stop", description = "Stop sequence (repeatable).")
  List<String> stop = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-cache", description = "Recompute the whole sequence each step (for comparison).")
  boolean noCache;

  @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = one per core).")
  int threads;

  @Option(names = "--json", description = "Print the samples (text, token ids, log-probs) as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, topK, topP, stop,
        seed, true, noCache ? CacheMode.OFF : CacheMode.AUTO);
    try (CausalLm lm = CausalLm.open(model, new SessionFactory(),
        SessionConfig.cpu().withIntraOpThreads(threads))) {
      long t0 = System.nanoTime();
      List<Generation> out = lm.generate(Collections.nCopies(n, prompt), config);
      double secs = (System.nanoTime() - t0) / 1e9;
      long tokens = out.stream().mapToLong(g -> g.tokenIds().length).sum();
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", out);
        m.put("new_tokens", tokens);
        m.put("seconds", secs);
        w.println(Json.MAPPER.writeValueAsString(m));
        return 0;
      }
      for (int i = 0; i < out.size(); i++) {
        Generation g = out.get(i);
        w.printf(Locale.ROOT, "[%d] %s%s%n    (%d tokens, log-prob %.2f, %s)%n", i, prompt, g.text(),
            g.tokenIds().length, g.totalLogProb(), g.finish());
      }
      w.printf(Locale.ROOT, "%d new tokens in %.2f s (%.0f tokens/s)%n", tokens, secs, tokens / secs);
    }
    return 0;
  }
}
