// The cost of a query is bounded before it runs (issue 24): the terms it searches,
// wildcard expansions counted in the index, may not pass SearchRequest::max_query_terms.
#include <gtest/gtest.h>

#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

// 26 letters, 300 distinct made-up words starting with each: "a0qx", "a1qx", ...
class QueryCostTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    IndexWriter writer(dir_->path().string());
    for (char letter = 'a'; letter <= 'z'; ++letter) {
      for (int article = 0; article < 10; ++article) {
        std::string body;
        for (int word = 0; word < 30; ++word) body += std::string(1, letter) + std::to_string(article * 30 + word) + "qx ";
        Article made;
        made.id = std::string(1, letter) + std::to_string(article);
        made.title = "Letter " + std::string(1, letter);
        made.body = body;
        made.lang = "en";
        writer.add(made);
      }
    }
    writer.commit();
  }
  static void TearDownTestSuite() { delete dir_; }

  static SearchResponse search(const std::string& query, std::size_t max_terms = SearchRequest{}.max_query_terms) {
    SearchRequest request;
    request.query = query;
    request.max_query_terms = max_terms;
    return Searcher(dir_->path().string()).search(request);
  }

  static std::string every_letter() {
    std::string query;
    for (char letter = 'a'; letter <= 'z'; ++letter) query += (query.empty() ? "" : " OR ") + std::string(1, letter) + "*";
    return query;
  }

  static TempDir* dir_;
};
TempDir* QueryCostTest::dir_ = nullptr;

TEST_F(QueryCostTest, AWildcardWithinTheBudgetRuns) {
  EXPECT_EQ(search("a*").total, 10u);
  EXPECT_EQ(search("a* OR b*").total, 20u);
}

TEST_F(QueryCostTest, WildcardsThatExpandPastTheBudgetTogetherAreRefusedWithTheLimitNamed) {
  // 26 wildcards of 300 terms each: 7,800 terms, over 4,096, though each is under 1,000.
  try {
    search(every_letter());
    FAIL() << "ran a query of 7,800 terms";
  } catch (const QueryLimitError& error) {
    EXPECT_EQ(error.limit(), "max_query_terms");
    EXPECT_NE(std::string(error.what()).find("4096"), std::string::npos) << error.what();
    // The 14th wildcard ("n*", at column 6 x 13 + 1) passes 4,096: 13 x 300 = 3,900.
    EXPECT_EQ(error.position(), 79u) << error.what();
  }
  EXPECT_EQ(search(every_letter(), 10000).total, 260u) << "a larger budget runs it";
  EXPECT_EQ(search(every_letter(), 0).total, 260u) << "0 lifts the limit";
}

TEST_F(QueryCostTest, PlainWordsCountToo) {
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_THROW(search(many), QueryLimitError);
  EXPECT_EQ(search("a1qx OR b2qx").total, 2u);
}

}  // namespace
}  // namespace gazette
