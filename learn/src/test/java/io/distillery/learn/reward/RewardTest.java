package io.distillery.learn.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RewardTest {
  private static final double EPS = 1e-6;

  @Test
  void specificityIsTheTeachersProbabilityOfTheIntendedLabel() {
    Reward r = new Reward(new RewardWeights(1, 0, 0, 1));
    // softmax([0, ln 3]) = [0.25, 0.75]
    float[] teacher = {0f, (float) Math.log(3)};
    assertEquals(0.75, r.score(teacher, null, 1, 0).specificity(), EPS);
    assertEquals(0.25, r.score(teacher, null, 0, 0).specificity(), EPS);
    assertEquals(0.25, r.score(teacher, null, 0, 0).total(), EPS);
  }

  @Test
  void disagreementIsKlFromTeacherToStudent() {
    Reward r = new Reward(new RewardWeights(0, 1, 0, 1));
    float[] teacher = {0f, (float) Math.log(3)}; // [0.25, 0.75]
    float[] student = {0f, 0f};                   // [0.5, 0.5]
    double kl = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
    RewardTerms t = r.score(teacher, student, 1, 0);
    assertEquals(kl, t.disagreement(), EPS);
    assertEquals(kl, t.total(), EPS);
    assertEquals(0, r.score(teacher, teacher, 1, 0).disagreement(), EPS, "agreeing models");
    assertEquals(0, r.score(teacher, null, 1, 0).disagreement(), EPS, "no student yet");
    // a student sure of the wrong label: clipped
    float[] wrong = {40f, -40f};
    assertEquals(Reward.MAX_KL, r.score(new float[] {-40f, 40f}, wrong, 1, 0).disagreement(), EPS);
  }

  @Test
  void weightsAddTheTermsAndAFilteredTextPaysThePenalty() {
    Reward r = new Reward(new RewardWeights(2, 3, 0.5, 1.5));
    float[] teacher = {0f, 0f};
    RewardTerms t = r.score(teacher, new float[] {0f, 0f}, 0, 0.4);
    assertEquals(2 * 0.5 + 3 * 0 + 0.5 * 0.4, t.total(), EPS);
    RewardTerms f = r.filtered();
    assertTrue(f.filtered());
    assertEquals(-1.5, f.total(), EPS);
  }

  @Test
  void noveltyIsTheShareOfUnseenBigrams() {
    NoveltyIndex index = new NoveltyIndex();
    assertEquals(1.0, index.novelty("the food was great"), EPS);
    index.add("The food was great!");
    assertEquals(0.0, index.novelty("the food was great"), EPS, "case and punctuation ignored");
    // <s> the, the food, food was, was awful: 3 of 4 seen
    assertEquals(0.25, index.novelty("the food was awful"), EPS);
    assertEquals(0.0, index.novelty("   "), EPS);
  }
}
