package io.distillery.genkd.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.core.Sha256;
import io.distillery.genkd.data.InstructionSet;
import io.distillery.runtime.generate.LmTokenizer;
import io.distillery.train.gpt.TorchThreads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A whole generative distillation job: cut the corpus into instruction pairs (held-out documents
 * excluded), load teacher / prompt / student, train with {@link GenKdTrainer} (resumable), and
 * when all steps are done write the student folder ({@link StudentExport}).
 *
 * @param teacher causal-LM folder of the teacher
 * @param studentInit causal-LM folder the student starts from (e.g. an SFT run), or null for a
 *     fresh {@link GenKdConfig#student()}
 * @param corpus general-corpus JSON Lines
 * @param out the output folder
 */
public record GenKdRun(Path teacher, Path studentInit, Path corpus, Path out, GenKdConfig config) {

  /**
   * What the run did.
   *
   * @param promptShare soft prompt numbers / teacher parameters
   */
  public record Outcome(GenKdTrainer.Result training, boolean complete, Path out,
      int trainPairs, int heldOutPairs, long promptNumbers, long teacherParameters,
      double promptShare, long studentParameters) {}

  public Outcome run(PrintStream log, int stopAt) {
    TorchThreads.configure(1, 1);
    try (GenKdModels models = GenKdModels.open(teacher, studentInit, config)) {
      InstructionSet data;
      try (LmTokenizer tok = LmTokenizer.load(models.teacherFolder().tokenizerFile())) {
        data = InstructionSet.read(corpus, tok, config.maxPrefixTokens(), config.maxNewTokens(),
            models.eosId());
      }
      log.printf(Locale.ROOT, "[genkd] %s: %d training pairs, %d held-out pairs (never trained on)"
          + " from %d documents of %s%n", config.method().cliName(), data.train().size(),
          data.heldOut().size(), data.documents(), corpus);
      long promptNumbers = models.prompt().size();
      long teacherParams = models.teacher().config().parameterCount();
      GenKdTrainer.Result r = new GenKdTrainer(config, log).train(models, data.train(), out,
          stopAt);
      boolean complete = r.endStep() == config.steps();
      if (complete) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("distillery.recipe", "genkd-student");
        meta.put("distillery.method", config.method().cliName());
        meta.put("distillery.teacher_sha256", Sha256.of(models.teacherFolder().modelFile()));
        meta.put("distillery.genkd", config.toJson().toString());
        ObjectNode recipe = Json.MAPPER.createObjectNode();
        recipe.put("recipe", "genkd-student");
        recipe.put("method", config.method().cliName());
        recipe.put("teacher", teacher.toString());
        recipe.put("teacherModelSha256", meta.get("distillery.teacher_sha256"));
        recipe.put("studentInit", studentInit == null ? null : studentInit.toString());
        recipe.put("corpus", corpus.toString());
        recipe.put("trainPairs", data.train().size());
        recipe.put("heldOutPairs", data.heldOut().size());
        recipe.set("training", config.toJson());
        recipe.put("studentParameters", models.student().config().parameterCount());
        recipe.put("teacherParameters", teacherParams);
        recipe.put("promptNumbers", promptNumbers);
        recipe.put("lastLoss", r.lastLoss());
        StudentExport.write(models, out, meta, recipe,
            config.method() == GenKdMethod.PROMPT_KD);
        log.printf(Locale.ROOT, "[genkd] wrote %s (%d steps)%n", out, config.steps());
      }
      return new Outcome(r, complete, out, data.train().size(), data.heldOut().size(),
          promptNumbers, teacherParams, (double) promptNumbers / teacherParams,
          models.student().config().parameterCount());
    }
  }
}
