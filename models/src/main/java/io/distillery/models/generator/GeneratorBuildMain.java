package io.distillery.models.generator;

import io.distillery.models.data.DataLayout;
import io.distillery.train.gpt.TorchThreads;
import java.nio.file.Path;

/**
 * Builds the demo generator from the command line (resumable: run it again to continue):
 * {@code GeneratorBuildMain [--steps N] [--stop-at N] [--export-partial] [--threads N]
 * [--out DIR] [--checkpoints DIR]}.
 */
public final class GeneratorBuildMain {
  private GeneratorBuildMain() {}

  public static void main(String[] args) {
    int steps = 3000;
    int stopAt = Integer.MAX_VALUE;
    boolean exportPartial = false;
    int threads = Runtime.getRuntime().availableProcessors();
    DataLayout layout = DataLayout.detect();
    Path out = GeneratorBuild.defaultOutDir(layout);
    Path checkpoints = GeneratorBuild.defaultCheckpointDir(layout);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--stop-at" -> stopAt = Integer.parseInt(args[++i]);
        case "--export-partial" -> exportPartial = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--checkpoints" -> checkpoints = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    TorchThreads.configure(threads, 1);
    GeneratorBuild.Outcome o = new GeneratorBuild(GeneratorRecipe.demo(steps), layout, System.err)
        .run(out, checkpoints, stopAt, exportPartial);
    System.out.printf("steps %d complete %s held-out %.4f bits/byte %.4f nats/token -> %s%n",
        o.stepsDone(), o.complete(), o.heldOut().bitsPerByte(), o.heldOut().natsPerToken(),
        o.outDir());
  }
}
