// Evaluation measures against values worked out by hand, and the test-collection
// readers (SMART and TREC topics, TREC and Cranfield judgments, SMART documents).
#include "gazette/eval.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gazette/errors.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

TEST(Measures, GradedExampleWorkedByHand) {
  // Judged: d1 gain 3, d2 gain 2, d5 gain 1 (never retrieved), d3 judged not relevant.
  const std::map<std::string, int> judgments = {{"d1", 3}, {"d2", 2}, {"d3", 0}, {"d5", 1}};
  const QueryEvaluation e = evaluate_topic("q", {{"d1", 5}, {"d3", 4}, {"d2", 3}, {"d4", 2}}, judgments);
  ASSERT_TRUE(e.judged);
  EXPECT_EQ(e.relevant, 3u);
  EXPECT_EQ(e.relevant_retrieved, 2u);
  // Relevant at ranks 1 and 3: AP = (1/1 + 2/3) / 3.
  EXPECT_NEAR(e.average_precision, (1.0 + 2.0 / 3.0) / 3.0, 1e-12);
  EXPECT_NEAR(e.precision_at_10, 0.2, 1e-12);
  EXPECT_NEAR(e.recall_at_1000, 2.0 / 3.0, 1e-12);
  // DCG = 3/log2(2) + 2/log2(4) = 4; ideal = 3/log2(2) + 2/log2(3) + 1/log2(4).
  const double ideal = 3.0 + 2.0 / std::log2(3.0) + 0.5;
  EXPECT_NEAR(e.ndcg_at_10, 4.0 / ideal, 1e-12);
  EXPECT_NEAR(e.ndcg_at_10, 0.840007, 1e-6);
}

TEST(Measures, RunOrderIsByScoreThenDecreasingDocumentIdAsInTrecEval) {
  const std::map<std::string, int> judgments = {{"b", 1}};
  // Given in the "wrong" order and tied: b sorts before a (decreasing id), so AP = 1.
  EXPECT_NEAR(evaluate_topic("q", {{"a", 1.0}, {"b", 1.0}}, judgments).average_precision, 1.0, 1e-12);
  // Scores decide before ids.
  EXPECT_NEAR(evaluate_topic("q", {{"b", 0.5}, {"a", 1.0}}, judgments).average_precision, 0.5, 1e-12);
}

TEST(Measures, RelevantDocumentsBeyondTenCountForApAndRecallOnly) {
  std::map<std::string, int> judgments = {{"d11", 1}};
  std::vector<ScoredDocument> run;
  for (int i = 1; i <= 12; ++i) run.push_back({"d" + std::to_string(i), 100.0 - i});
  const QueryEvaluation e = evaluate_topic("q", run, judgments);
  EXPECT_EQ(e.ndcg_at_10, 0.0);
  EXPECT_EQ(e.precision_at_10, 0.0);
  EXPECT_NEAR(e.average_precision, 1.0 / 11.0, 1e-12);
  EXPECT_EQ(e.recall_at_1000, 1.0);
}

TEST(Measures, TopicsWithoutRelevantDocumentsAreLeftOutOfTheMeans) {
  const QueryEvaluation none = evaluate_topic("q0", {{"d1", 1}}, {{"d1", 0}});
  EXPECT_FALSE(none.judged);
  const QueryEvaluation perfect = evaluate_topic("q1", {{"d1", 1}}, {{"d1", 2}});
  EXPECT_TRUE(perfect.judged);
  EXPECT_EQ(perfect.ndcg_at_10, 1.0);
  const QueryEvaluation missed = evaluate_topic("q2", {}, {{"d9", 1}});
  EXPECT_EQ(missed.average_precision, 0.0);
  const MeanEvaluation mean = mean_of({none, perfect, missed});
  EXPECT_EQ(mean.topics, 2u);
  EXPECT_EQ(mean.unjudged, 1u);
  EXPECT_NEAR(mean.average_precision, 0.5, 1e-12);
  EXPECT_NEAR(mean.ndcg_at_10, 0.5, 1e-12);
  EXPECT_NEAR(mean.precision_at_10, 0.05, 1e-12);
}

TEST(Collections, SmartTopicsTrecTopicsAndTsv) {
  TempDir dir;
  const auto smart = read_topics(dir.write("q.smart", ".I 001\n.W\nwhat similarity laws\nmust be obeyed .\n.I 004\n.W\nheat conduction\n"));
  ASSERT_EQ(smart.size(), 2u);
  EXPECT_EQ(smart[0].id, "001");
  EXPECT_EQ(smart[0].text, "what similarity laws must be obeyed .");
  EXPECT_EQ(smart[1].text, "heat conduction");

  const std::string trec = dir.write("t.trec",
                                     "<top>\n<num> Number: 401\n<title> foreign minorities, Germany\n\n"
                                     "<desc> Description:\nWhat language and cultural differences\n\n"
                                     "<narr> Narrative:\nA relevant document will ...\n</top>\n");
  EXPECT_EQ(read_topics(trec)[0].id, "401");
  EXPECT_EQ(read_topics(trec)[0].text, "foreign minorities, Germany");
  EXPECT_EQ(read_topics(trec, TopicFormat::kAuto, TopicField::kDescription)[0].text,
            "What language and cultural differences");
  EXPECT_EQ(read_topics(trec, TopicFormat::kAuto, TopicField::kTitleAndDescription)[0].text,
            "foreign minorities, Germany What language and cultural differences");

  const auto tsv = read_topics(dir.write("q.tsv", "7\toil prices\n8\tcentral   bank\n"));
  ASSERT_EQ(tsv.size(), 2u);
  EXPECT_EQ(tsv[1].text, "central bank");
  EXPECT_THROW(read_topics(dir.write("bad.tsv", "no tab here\n")), InputError);
}

TEST(Collections, QrelsInTrecAndCranfieldForms) {
  TempDir dir;
  const Qrels trec = read_qrels(dir.write("q.trec", "401 0 FBIS3-10082 1\n401 0 FBIS3-10169 0\n402 0 LA-1 2\n"));
  EXPECT_EQ(trec.at("401").at("FBIS3-10082"), 1);
  EXPECT_EQ(trec.at("401").at("FBIS3-10169"), 0);
  EXPECT_EQ(trec.at("402").at("LA-1"), 2);
  // Cranfield: grade 1 (complete answer) is gain 4, grade 4 gain 1, -1 not relevant.
  const Qrels cran = read_qrels(dir.write("cranqrel", "1 184 2 \n1 29 1\n1 12 4\n1 7 -1\n"));
  EXPECT_EQ(cran.at("1").at("184"), 3);
  EXPECT_EQ(cran.at("1").at("29"), 4);
  EXPECT_EQ(cran.at("1").at("12"), 1);
  EXPECT_EQ(cran.at("1").at("7"), 0);
  try {
    read_qrels(dir.write("bad", "1 2 3\n1 2 x\n"));
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 2u);
    EXPECT_NE(error.message().find("'x'"), std::string::npos);
  }
}

TEST(Collections, RunFiles) {
  TempDir dir;
  const auto run = read_run(dir.write("r", "1 Q0 51 1 22.9 gazette\n1 Q0 486 2 21.5 gazette\n2 Q0 7 1 3 x\n"));
  ASSERT_EQ(run.size(), 2u);
  ASSERT_EQ(run.at("1").size(), 2u);
  EXPECT_EQ(run.at("1")[1].id, "486");
  EXPECT_DOUBLE_EQ(run.at("1")[1].score, 21.5);
  EXPECT_THROW(read_run(dir.write("bad", "1 Q0 51 1 high gazette\n")), InputError);
  EXPECT_THROW(read_run(dir.write("short", "1 Q0 51\n")), InputError);
}

TEST(Collections, SmartDocumentsAreArticles) {
  TempDir dir;
  const std::string file = dir.write("cran.all", ".I 1\n.T\nexperimental investigation\nof the aerodynamics .\n.A\nbrenckman,m.\n"
                                                 ".B\nj. ae. scs. 25, 1958, 324.\n.W\nexperimental investigation of\nthe wing .\n"
                                                 ".I 2\n.T\nsimple shear flow\n.W\nthe problem .\n");
  ReadOptions options;
  options.format = InputFormat::kSmart;
  const testing::Collected read = testing::read_all({file}, options);
  ASSERT_TRUE(read.errors.empty());
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_EQ(read.articles[0].id, "1");
  EXPECT_EQ(read.articles[0].title, "experimental investigation of the aerodynamics .");
  EXPECT_EQ(read.articles[0].authors, std::vector<std::string>{"brenckman,m."});
  EXPECT_EQ(read.articles[0].body, "experimental investigation of the wing .");
  EXPECT_EQ(read.articles[1].title, "simple shear flow");
}

}  // namespace
}  // namespace gazette
