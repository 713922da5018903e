package io.distillery.spark.pipeline;

import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.spark.label.PartitionLabeler;
import io.distillery.spark.label.ScreenSettings;
import io.distillery.spark.label.TaskHook;
import io.distillery.spark.label.TeacherLocation;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.source.RawCorpusSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synthesis with the teacher on Spark executors: the corpus a single-process {@link Synthesizer}
 * run writes with the same settings and seed, whatever the number of partitions or executors.
 *
 * <p>Executors do the costly part: each partition of candidates opens the teacher once, drops
 * what the length and repetition filters reject, and labels the rest. The driver runs the ordinary
 * synthesizer over the labelled candidates in the seeded order: dedup (exact and near, over all
 * partitions), rebalancing, shard boundaries, shard files committed by rename and the manifest
 * with SHA-256 per shard. That second pass is what defines dedup across partitions: a text is a
 * duplicate when an earlier accepted text (in the seeded order) matches it, as in one process.
 *
 * <p>Fault tolerance: a partition's result is a pure function of its candidates, and Spark keeps
 * exactly one attempt's result per partition, so a failed or speculative task changes nothing;
 * only the driver writes files, under fixed names, so there are no stray attempts on disk. When
 * the driver dies, rerunning the same command resumes after the last committed shard.
 */
public final class SparkSynthesizer {
  private final JavaSparkContext spark;
  private final SparkSettings settings;
  private final PrintStream log;
  private final TaskHook hook;

  public SparkSynthesizer(JavaSparkContext spark, SparkSettings settings, PrintStream log) {
    this(spark, settings, log, TaskHook.NONE);
  }

  /** With a hook run before each partition on the executors (tests inject failures with it). */
  public SparkSynthesizer(JavaSparkContext spark, SparkSettings settings, PrintStream log, TaskHook hook) {
    this.spark = spark;
    this.settings = settings;
    this.log = log;
    this.hook = hook;
  }

  /**
   * Writes (or resumes) the corpus in {@code outDir}.
   *
   * @param teacher the teacher, opened on the driver for its labels and provenance (the caller
   *     closes it); executors open their own copy of its folder
   */
  public SynthSummary synthesize(SynthConfig config, RawCorpusSource corpus, ClassifierModel teacher,
      Path outDir) {
    Path folder = teacher.folder().dir().toAbsolutePath().normalize();
    TeacherLocation location;
    if (settings.teacherOnSharedStorage()) {
      location = TeacherLocation.shared(folder);
    } else {
      // once per context (a second addFile of the same path only logs a warning); listed as file:DIR/
      String dir = folder.toString();
      if (spark.sc().listFiles().filter(f -> f.endsWith(":" + dir) || f.endsWith(":" + dir + "/")).isEmpty()) {
        spark.sc().addFile(folder.toString(), true);
      }
      location = TeacherLocation.sparkFiles(folder.getFileName().toString());
    }
    PartitionLabeler labeler = new PartitionLabeler(location, ScreenSettings.of(config.filters()),
        settings.chunk(), hook);
    SparkLabelledSource source = new SparkLabelledSource(spark, corpus, labeler, settings,
        config.targetSamples(), log);
    SynthSummary summary = new Synthesizer(log, 2.0).synthesize(config, source, teacher, source, outDir);
    log.printf(Locale.ROOT, "[spark] %d labelling rounds, %.1f s of %.1f s waiting for executors%n",
        source.rounds(), source.labelSeconds(), summary.seconds());
    return summary;
  }
}
