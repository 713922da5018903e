package io.distillery.cli;

import io.distillery.cli.pipeline.GenerativePipeline;
import io.distillery.core.Json;
import io.distillery.genkd.eval.ResultsTable;
import java.io.PrintWriter;

/** What {@code distillery run} prints for a generative task. */
final class GenerativeRunOutput {
  private GenerativeRunOutput() {}

  static int print(GenerativePipeline.Result r, boolean json, PrintWriter w) throws Exception {
    if (r.report() == null) {
      w.println("stopped early: a training stage is incomplete; rerun the same command to continue");
      return 0;
    }
    w.print(json ? Json.MAPPER.writeValueAsString(r.report()) + "\n"
        : ResultsTable.markdown(r.report()));
    if (!json) {
      w.printf("student: %s%n", r.student());
    }
    return 0;
  }
}
