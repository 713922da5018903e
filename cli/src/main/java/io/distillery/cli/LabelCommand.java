package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.core.Progress;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.label.LabelSummary;
import io.distillery.synth.label.Labeler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery label}: adds a classifier's logits and label to each JSON Lines record. */
@Command(
    name = "label",
    description = "Label a JSON Lines file with a classifier: adds 'logits', 'label' (argmax id) "
        + "and 'label_name' to every record.")
final class LabelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RuntimeOptions runtime;

  @Option(names = "--model", required = true, description = "Classifier folder (model.onnx, tokenizer.json, config.json).")
  Path model;

  @Option(names = "--in", required = true, description = "Input JSON Lines, one object per line.")
  Path in;

  @Option(names = "--out", required = true, description = "Output JSON Lines (written atomically).")
  Path out;

  @Option(names = "--text-field", defaultValue = "text", description = "Field holding the text (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (ClassifierModel cm =
        ClassifierModel.open(model, new SessionFactory(), runtime.sessionConfig(), runtime.batchConfig())) {
      LabelSummary s = new Labeler(cm).label(in, out, textField, new Progress("label", "texts", -1));
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        w.println(Json.MAPPER.writeValueAsString(s));
      } else {
        w.printf(Locale.ROOT, "labelled %d records into %s in %.1f s (%.1f texts/s)%n",
            s.records(), out, s.seconds(), s.records() / Math.max(1e-9, s.seconds()));
        w.printf("truncated %d texts longer than the model's max length%n", s.truncatedTexts());
        w.printf("labels    %s%n", s.labelCounts());
      }
    }
    return 0;
  }
}
