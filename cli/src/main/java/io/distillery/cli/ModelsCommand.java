package io.distillery.cli;

import io.distillery.core.Json;
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
    description = "The demo model zoo: build the demo teachers from packaged data.",
    subcommands = {ModelsCommand.Build.class})
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
