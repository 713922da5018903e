package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.core.JsonlWriter;
import io.distillery.models.corpus.CorpusSource;
import io.distillery.models.corpus.GeneralCorpus;
import io.distillery.models.generator.GeneratorBuild;
import io.distillery.models.generator.GeneratorRecipe;
import io.distillery.train.gpt.TorchThreads;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.DemoTask;
import io.distillery.models.teacher.EncoderVariant;
import io.distillery.models.teacher.TeacherConfig;
import io.distillery.models.teacher.TeacherRecipe;
import io.distillery.train.head.HeadTrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery models}: the demo model zoo. */
@Command(
    name = "models",
    description = "The demo model zoo: 'build' the demo teachers from packaged data, train the "
        + "demo 'generator', write the general-domain 'corpus'.",
    subcommands = {ModelsCommand.Build.class, ModelsCommand.Generator.class, ModelsCommand.Corpus.class})
final class ModelsCommand {

  /** Which demo task(s) to build. */
  enum TaskChoice {
    sentiment, spam, all;

    List<DemoTask> tasks() {
      return switch (this) {
        case sentiment -> List.of(DemoTask.SENTIMENT);
        case spam -> List.of(DemoTask.SPAM);
        case all -> List.of(DemoTask.values());
      };
    }
  }

  @Command(
      name = "generator",
      description = "Train the demo generator (a GPT in DJL on the general-domain corpus) and export "
          + "it to models/generator/ with a KV cache (small enough to commit: 21 MB). Checkpoints often; rerun to resume.")
  static final class Generator implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--steps", defaultValue = "3000", description = "Total optimizer steps (default: ${DEFAULT-VALUE}); may change on resume, the schedule follows.")
    int steps;

    @Option(names = "--stop-at", defaultValue = "2147483647", description = "Stop this invocation after this many steps in total (a checkpoint is written).")
    int stopAt;

    @Option(names = "--export-partial", description = "Export the current checkpoint even if training is not finished.")
    boolean exportPartial;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch intra-op threads (0 = one per core; 1 on a busy machine).")
    int threads;

    @Option(names = "--out", description = "Export folder (default: models/generator); e.g. a snapshot of a running build with --stop-at 0 --export-partial.")
    Path out;

    @Override
    public Integer call() {
      DataLayout layout = DataLayout.detect();
      TorchThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), 1);
      GeneratorBuild.Outcome o = new GeneratorBuild(GeneratorRecipe.demo(steps), layout, System.err)
          .run(out != null ? out : GeneratorBuild.defaultOutDir(layout),
              GeneratorBuild.defaultCheckpointDir(layout),
              stopAt, exportPartial);
      spec.commandLine().getOut().printf(Locale.ROOT,
          "steps %d, complete %s, held-out %.4f bits/byte (%.4f nats/token) -> %s%n",
          o.stepsDone(), o.complete(), o.heldOut().bitsPerByte(), o.heldOut().natsPerToken(), o.outDir());
      return 0;
    }
  }

  @Command(
      name = "corpus",
      description = "Write the general-domain English corpus (WordNet, GCIDE, fortunes, Moby-Dick, "
          + "State of the Union; balanced per source) as JSON Lines: the raw-corpus source of "
          + "'distillery run' and the demo generator's training text.")
  static final class Corpus implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", description = "Output JSON Lines (default: models/build/general/corpus.jsonl).")
    Path out;

    @Option(names = "--bytes-per-source", defaultValue = "2000000", description = "UTF-8 bytes kept per source (default: ${DEFAULT-VALUE}).")
    long bytesPerSource;

    @Option(names = "--seed", defaultValue = "7", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      DataLayout layout = DataLayout.detect();
      Path file = out != null ? out : layout.root().resolve("models/build/general/corpus.jsonl");
      GeneralCorpus corpus = GeneralCorpus.build(layout, List.of(CorpusSource.values()),
          bytesPerSource, 0.05, seed);
      try (JsonlWriter w = new JsonlWriter(file)) {
        for (String doc : corpus.train()) {
          w.write(Json.LINE_MAPPER.createObjectNode().put("text", doc));
        }
        w.commit();
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d documents (%,d bytes) to %s%n",
          corpus.train().size(), corpus.trainBytes(), file);
      return 0;
    }
  }

  @Command(
      name = "build",
      description = "Rebuild the demo teachers reproducibly: MiniLM encoder + DJL-trained head, "
          + "composed into one ONNX classifier folder per task.")
  static final class Build implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--task", defaultValue = "all", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TaskChoice task;

    @Option(names = "--encoder", defaultValue = "FP32", description = "Encoder precision: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EncoderVariant encoder;

    @Option(names = "--out", description = "Parent folder of the teacher folders (default: models/build/teachers).")
    Path out;

    @Option(names = "--threads", defaultValue = "0", description = "Encoder threads (0 = one per core).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Head-training seed.")
    long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      DataLayout layout = DataLayout.detect();
      Path parent = out != null ? out : layout.root().resolve("models/build/teachers");
      TeacherRecipe recipe = new TeacherRecipe(layout, System.err);
      List<TeacherRecipe.Result> results = new ArrayList<>();
      for (DemoTask t : task.tasks()) {
        TeacherConfig config = new TeacherConfig(
            t, encoder, HeadTrainingConfig.defaults().withSeed(seed), threads, 0);
        results.add(recipe.build(config, parent.resolve(t.dirName())));
      }
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        w.println(Json.MAPPER.writeValueAsString(results));
      } else {
        for (TeacherRecipe.Result r : results) {
          w.printf(Locale.ROOT, "built %s  (train acc %.4f, dev acc %.4f, %d s)%n",
              r.folder(), r.trainAccuracy(), r.devAccuracy(), r.seconds());
        }
      }
      return 0;
    }
  }
}
