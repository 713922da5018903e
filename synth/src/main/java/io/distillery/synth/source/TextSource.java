package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.prompt.ScoredSample;
import java.util.List;

/**
 * Where candidate texts come from: a generator continuing prompts ({@link GeneratorSource}) or a
 * general-domain corpus ({@link RawCorpusSource}). The synthesizer calls {@link #startShard} before
 * each shard, then {@link #next} until the shard is full.
 *
 * <p>Determinism contract: after {@code startShard(s)}, the sequence of batches returned by
 * {@code next} depends only on {@code s}, the batch sizes asked for, and the source's fixed
 * settings. That is what makes a resumed run byte-identical to an uninterrupted one.
 */
public interface TextSource {
  /** Re-seeds the source for a shard. */
  void startShard(ShardStart start);

  /**
   * Up to {@code n} candidates; fewer only when the source is exhausted, none when it has nothing
   * left.
   */
  List<Candidate> next(int n);

  /**
   * Whether {@link #next} may run on another thread while the synthesizer labels the previous
   * batch, before that batch's {@link #feedback}: true only for a source that learns nothing from
   * feedback and shares nothing with the teacher. Default: false.
   */
  default boolean canDrawAhead() {
    return false;
  }

  /** The teacher's verdict on the last batch's surviving candidates; default: ignored. */
  default void feedback(List<ScoredSample> samples) {}

  /** What this source is, for the corpus manifest's provenance (kind, files and their hashes). */
  ObjectNode describe();
  /**
   * Shard {@code shards - 1} was just committed (the manifest listing it comes next): a learning
   * strategy checkpoints here, under a name that says after how many shards, keeping the previous
   * checkpoint until the manifest is written. Default: nothing.
   */
  default void committed(int shards) {}

  /**
   * Before writing resumes after {@code shards} committed shards (0 for a fresh corpus): a learning
   * strategy restores the state it had {@link #committed} there. {@code corpus} is the committed
   * corpus in id order. Default: nothing.
   */
  default void resume(int shards, List<CorpusRecord> corpus) {}
}
