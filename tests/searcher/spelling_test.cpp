// Tests for searcher/spelling: weighted edits, words one edit away from the spelling
// table, and "did you mean" through the Searcher: real words, the closest and then the
// most frequent, offered only for words that find nothing (or next to nothing).
#include "searcher/spelling.h"

#include <gtest/gtest.h>

#include "core/segments.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/temp_dir.h"

namespace gazette::searcher {
namespace {

using testing::TempDir;

TEST(SpellingCost, TypistsEditsCostLessThanOthers) {
  EXPECT_EQ(spelling_cost(U"opec", U"opec", 2), 0);
  EXPECT_EQ(spelling_cost(U"opek", U"opec", 2), 0.5);   // k and c sound alike.
  EXPECT_EQ(spelling_cost(U"opek", U"oper", 2), 1);     // r does not.
  EXPECT_EQ(spelling_cost(U"seperate", U"separate", 2), 0.75);  // A vowel for a vowel.
  EXPECT_EQ(spelling_cost(U"adress", U"address", 2), 0.5);      // A double written once.
  EXPECT_EQ(spelling_cost(U"teh", U"the", 2), 1);               // Two letters swapped.
  EXPECT_EQ(spelling_cost(U"damscus", U"damascus", 2), 1);
  EXPECT_GT(spelling_cost(U"opec", U"petroleum", 2), 2);        // Past the limit.
  EXPECT_EQ(spelling_cost(U"déraa", U"déra", 2), 0.5);          // Code points, not bytes.
}

Article article(std::string id, std::string body, std::string comments = {}) {
  Article made;
  made.id = std::move(id);
  made.title = "Note";
  made.body = std::move(body);
  made.comments = std::move(comments);
  made.lang = "en";
  return made;
}

// "oper" (Reuters' "oper shr": operating) is far more frequent than "opec", and "open"
// more frequent still: a frequency-first choice respells "opek" as one of them.
class Spelling : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexWriter writer(dir_.path().string());
    int n = 0;
    // Each body its own (the same text twice from one outlet is a duplicate, not stored).
    const auto add = [&](const std::string& body) {
      const std::string id = "a" + std::to_string(n++);
      writer.add(article(id, body + " (item " + id + ")"));
    };
    for (int i = 0; i < 30; ++i) add("oper shr profit oper net");
    for (int i = 0; i < 70; ++i) add("markets open higher");
    for (int i = 0; i < 5; ++i) add("opec ministers met");
    for (int i = 0; i < 150; ++i) add("the reserve bank said");
    writer.add(article("typo", "teh reserve bank said"));
    writer.add(article("commented", "a story", "what a goner he is"));
    writer.commit();
  }

  SearchResponse search(const std::string& query, bool include_comments = false) const {
    SearchRequest request;
    request.query = query;
    request.include_comments = include_comments;
    return Searcher(dir_.path().string()).search(request);
  }

  TempDir dir_;
};

TEST_F(Spelling, NearbyWordsAreTheClosestThenTheMostFrequent) {
  const Xapian::Database database = core::open_index(dir_.path().string()).all;
  const std::vector<Correction> near = nearby_words(database, "opek");
  ASSERT_GE(near.size(), 3u);
  EXPECT_EQ(near[0].word, "opec");
  EXPECT_EQ(near[1].word, "open");  // Equally close: the more frequent first.
  EXPECT_EQ(near[2].word, "oper");
}

TEST_F(Spelling, DidYouMeanOffersRealWordsThatSoundAlike) {
  const SearchResponse opek = search("opek");
  EXPECT_EQ(opek.total, 0u);
  EXPECT_EQ(opek.suggestion, "opec");
  EXPECT_EQ(opek.suggestion_total, 5u);
  EXPECT_EQ(search("opek ministers").suggestion, "opec ministers");
}

TEST_F(Spelling, AWordThatFindsSomethingIsTheUsersWord) {
  // In the comments only: found when comments are searched, so not respelt there.
  const SearchResponse in_comments = search("goner", true);
  EXPECT_EQ(in_comments.total, 1u);
  EXPECT_EQ(in_comments.suggestion, "");
  // A rare word next to a hundred times commoner one is taken for its typo.
  const SearchResponse teh = search("teh");
  EXPECT_EQ(teh.total, 1u);
  EXPECT_EQ(teh.suggestion, "the");
  // Fields of names are not respelt; words the index holds are not either.
  EXPECT_EQ(search("author:opek").suggestion, "");
  EXPECT_EQ(search("opec").suggestion, "");
}

}  // namespace
}  // namespace gazette::searcher
