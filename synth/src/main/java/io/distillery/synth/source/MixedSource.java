package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import io.distillery.synth.corpus.CorpusRecord;
import io.distillery.synth.prompt.ScoredSample;
import java.util.ArrayList;
import java.util.List;

/**
 * Two sources in one corpus at a fixed share: candidate number {@code c} (counted over the whole
 * run) comes from {@code second} when {@code floor((c + 1)·share) > floor(c·share)}, otherwise
 * from {@code first}. So after {@code C} candidates exactly {@code floor(C·share)} came from the
 * second source, which is all a shard needs to tell each part where it stands: a resumed run
 * draws the same candidates as an uninterrupted one as long as both parts keep their own
 * determinism contracts.
 *
 * <p>The use it was made for: the reinforced prompter's generated samples (first) beside real
 * general-corpus sentences chosen by the teacher (second), so the student sees fluent real text as
 * well as the label-seeking samples. Each part gets the feedback on its own candidates only, and on
 * resume the committed records with a prompt go to the first part, those without to the second
 * (a raw-corpus record has no prompt).
 */
public final class MixedSource implements TextSource {
  private final TextSource first;
  private final TextSource second;
  private final double share;
  private long drawn;
  private boolean[] lastFromSecond = new boolean[0];

  /**
   * @param share the share of candidates the second source gives, in (0, 1)
   */
  public MixedSource(TextSource first, TextSource second, double share) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("the mix share must be in (0, 1), got " + share);
    }
    this.first = first;
    this.second = second;
    this.share = share;
  }

  /** Candidates of the first {@code c} that came from the second source. */
  long fromSecond(long c) {
    return (long) Math.floor(c * share);
  }

  @Override
  public void startShard(ShardStart start) {
    long before = start.candidatesBefore();
    long second = fromSecond(before);
    this.first.startShard(new ShardStart(start.shard(), start.runSeed(), start.shardSeed(),
        before - second));
    this.second.startShard(new ShardStart(start.shard(), start.runSeed(), start.shardSeed(),
        second));
    drawn = before;
  }

  @Override
  public List<Candidate> next(int n) {
    boolean[] fromSecond = new boolean[n];
    int wantSecond = 0;
    for (int i = 0; i < n; i++) {
      fromSecond[i] = fromSecond(drawn + i + 1) > fromSecond(drawn + i);
      wantSecond += fromSecond[i] ? 1 : 0;
    }
    List<Candidate> a = wantSecond < n ? first.next(n - wantSecond) : List.of();
    List<Candidate> b = wantSecond > 0 ? second.next(wantSecond) : List.of();
    if (a.size() < n - wantSecond || b.size() < wantSecond) {
      // a short part would shift every later candidate to the other part and break resume
      throw new IllegalStateException("a mixed source's part ran dry after " + drawn
          + " candidates (asked " + (n - wantSecond) + " and " + wantSecond + ", got " + a.size()
          + " and " + b.size() + "): give the raw-corpus part a larger pool or lower the target");
    }
    List<Candidate> out = new ArrayList<>(n);
    int ia = 0;
    int ib = 0;
    for (int i = 0; i < n; i++) {
      out.add(fromSecond[i] ? b.get(ib++) : a.get(ia++));
    }
    drawn += n;
    lastFromSecond = fromSecond;
    return out;
  }

  @Override
  public void feedback(List<ScoredSample> samples) {
    // in batch order, possibly without the tail of a batch that filled the shard
    List<ScoredSample> a = new ArrayList<>();
    List<ScoredSample> b = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      (lastFromSecond[i] ? b : a).add(samples.get(i));
    }
    // a part not asked in the last batch has no feedback pending
    if (asked(false)) {
      first.feedback(a);
    }
    if (asked(true)) {
      second.feedback(b);
    }
  }

  private boolean asked(boolean secondPart) {
    for (boolean fromSecond : lastFromSecond) {
      if (fromSecond == secondPart) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void committed(int shards) {
    first.committed(shards);
    second.committed(shards);
  }

  @Override
  public void resume(int shards, List<CorpusRecord> corpus) {
    List<CorpusRecord> a = new ArrayList<>();
    List<CorpusRecord> b = new ArrayList<>();
    for (CorpusRecord r : corpus) {
      (r.prompt().isEmpty() ? b : a).add(r);
    }
    first.resume(shards, a);
    second.resume(shards, b);
  }

  @Override
  public ObjectNode describe() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "mix");
    node.put("share_of_second", share);
    node.set("first", first.describe());
    node.set("second", second.describe());
    return node;
  }
}
