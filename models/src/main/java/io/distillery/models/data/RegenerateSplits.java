package io.distillery.models.data;

import io.distillery.core.DistilleryException;
import java.nio.file.Path;

/**
 * Rebuilds the committed demo split files from the pinned npm tarballs: the sentiment JSON Lines
 * and README, the spam {@code split.json} and README (and the materialised spam texts). The output
 * is byte-identical on every run; commit what changes. Usage: {@code RegenerateSplits
 * [repository-root]} (default: {@code -Ddistillery.root} or the checkout around the working
 * directory).
 */
public final class RegenerateSplits {
  private RegenerateSplits() {}

  public static void main(String[] args) {
    DataLayout layout = args.length > 0 ? DataLayout.at(Path.of(args[0])) : DataLayout.detect();
    try {
      for (DemoTask task : DemoTask.values()) {
        SplitSummary s = SplitFiles.regenerate(task, layout);
        System.out.printf(
            "%s: read %d, duplicates removed %d, train %d, dev %d, test %d -> %s%n",
            task.dirName(),
            s.read(),
            s.duplicatesRemoved(),
            s.total(Split.TRAIN),
            s.total(Split.DEV),
            s.total(Split.TEST),
            layout.committedDir(task));
      }
    } catch (DistilleryException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(e.exitCode());
    }
  }
}
