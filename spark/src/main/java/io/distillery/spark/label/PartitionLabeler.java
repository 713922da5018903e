package io.distillery.spark.label;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.filter.Filters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor's work on one partition of candidates: open the teacher once, screen every
 * candidate with the stateless filters, label the survivors in chunks, close the teacher.
 *
 * <p>A pure function of the partition's candidates (and the teacher), so a retried or speculative
 * attempt returns the same results; Spark keeps one attempt's output per partition.
 */
public final class PartitionLabeler implements FlatMapFunction<Iterator<CandidateText>, LabelledCandidate> {
  private static final long serialVersionUID = 1L;

  private final TeacherLocation teacher;
  private final ScreenSettings screen;
  private final int chunk;
  private final TaskHook hook;

  /**
   * @param chunk texts per {@code Classifier.logits} call (length bucketing works within a chunk)
   */
  public PartitionLabeler(TeacherLocation teacher, ScreenSettings screen, int chunk, TaskHook hook) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
    }
    this.teacher = teacher;
    this.screen = screen;
    this.chunk = chunk;
    this.hook = hook;
  }

  @Override
  public Iterator<LabelledCandidate> call(Iterator<CandidateText> candidates) {
    TaskContext context = TaskContext.get();
    hook.beforePartition(context);
    List<CandidateText> all = new ArrayList<>();
    candidates.forEachRemaining(all::add);
    return DeepStack.call("distillery-label-partition", () -> label(all, context)).iterator();
  }

  private List<LabelledCandidate> label(List<CandidateText> candidates, TaskContext context) {
    // Executors are fresh JVMs: DJL's tokenizers must not reach for the network there either.
    System.setProperty("ai.djl.offline", "true");
    Filters filters = screen.filters();
    int threads = context == null ? 1 : Math.max(1, context.cpus());
    List<LabelledCandidate> out = new ArrayList<>();
    try (ClassifierModel model = ClassifierModel.open(teacher.resolve(), new SessionFactory(),
        SessionConfig.cpu().withIntraOpThreads(threads), BatchConfig.defaults())) {
      List<CandidateText> pending = new ArrayList<>(chunk);
      for (CandidateText c : candidates) {
        if (filters.screen(c.text()).passed()) {
          pending.add(c);
          if (pending.size() == chunk) {
            label(model, pending, out);
          }
        }
      }
      label(model, pending, out);
    }
    return out;
  }

  private static void label(ClassifierModel model, List<CandidateText> pending, List<LabelledCandidate> out) {
    if (pending.isEmpty()) {
      return;
    }
    List<String> texts = new ArrayList<>(pending.size());
    pending.forEach(c -> texts.add(c.text()));
    float[][] logits = model.classifier().logits(texts);
    for (int i = 0; i < pending.size(); i++) {
      out.add(new LabelledCandidate(pending.get(i).id(), logits[i]));
    }
    pending.clear();
  }
}
