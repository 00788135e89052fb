// End-to-end tests of what a new user met in their first hour (issue 25): the gazette
// binary on the corpora they used — all of Reuters-21578, the UCI news sample and the
// two seed articles in one index, as the README's examples build it.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/commands.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using gazette::testing::TempDir;
using namespace gazette::testing;  // NOLINT: the command helpers (tests/support/commands.h)

class Newcomer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    reuters_ = unpack(*dir_, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
    uci_ = unpack(*dir_, "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst", "uci.jsonl");
    index_ = *dir_ / "index";
    const CommandResult indexed = run_gazette("index -q -i " + quote(index_) + " " + quote(reuters_) + " " + quote(uci_) +
                                              " " + quote(shared("corpora/seeds")));
    ASSERT_EQ(indexed.status, 0) << indexed.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static CommandResult gazette(const std::string& command, const std::string& arguments) {
    return run_gazette(command + " -i " + quote(index_) + " " + arguments);
  }
  static json search(const std::string& arguments) {
    const CommandResult run = gazette("search --json", arguments);
    EXPECT_EQ(run.status, 0) << run.err;
    return json::parse(run.out);
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string reuters_, uci_, index_;
};

TEST_F(Newcomer, AQueryOfNothingSearchableFindsNothingAndSaysWhy) {
  for (const std::string query : {"💥", "!!!", "$$$", "🛢️"}) {
    const json found = search(quote(query));
    EXPECT_EQ(found["total"], 0) << query;
    EXPECT_EQ(found["nothing_searchable"], true) << query;
    EXPECT_EQ(found["ignored"], json::array({query})) << query;
    EXPECT_NE(found["note"].get<std::string>().find("nothing searchable"), std::string::npos) << found["note"];
  }
  const json long_word = search(std::string(5000, 'w'));
  EXPECT_EQ(long_word["total"], 0);
  EXPECT_EQ(long_word["nothing_searchable"], true);

  const CommandResult text = gazette("search", quote("💥"));
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("0 matches for 💥\nNothing searchable in the query"), std::string::npos) << text.out;

  // Left out beside real words, and said so.
  const json mixed = search(quote("cocoa 💥"));
  EXPECT_EQ(mixed["total"], search("cocoa")["total"]);
  EXPECT_EQ(mixed["ignored"], json::array({"💥"}));
  EXPECT_EQ(mixed["nothing_searchable"], false);

  // An export writes nothing and says why on stderr; so do timelines and outlet reports.
  const CommandResult exported = gazette("export", quote("🛢️"));
  EXPECT_EQ(exported.status, 0) << exported.err;
  EXPECT_EQ(exported.out, "");
  EXPECT_NE(exported.err.find("gazette: nothing searchable in the query"), std::string::npos) << exported.err;
  const CommandResult timeline = gazette("timeline --json", quote("!!!"));
  EXPECT_EQ(json::parse(timeline.out)["matches"], 0);
  EXPECT_EQ(json::parse(timeline.out)["nothing_searchable"], true);
  const CommandResult outlets = gazette("outlets", quote("!!!"));
  EXPECT_NE(outlets.out.find("0 matches"), std::string::npos) << outlets.out;
  EXPECT_NE(outlets.err.find("nothing searchable"), std::string::npos) << outlets.err;
}

TEST_F(Newcomer, DidYouMeanOffersRealWordsFoundMoreOften) {
  // "oper" (Reuters' "Oper shr") is 18 times as frequent as "opec": closeness first.
  const json opek = search("opek");
  EXPECT_EQ(opek["total"], 0);
  EXPECT_EQ(opek["suggestion"]["query"], "opec");
  EXPECT_EQ(opek["suggestion"]["total"], search("opec")["total"]);
  // A word found in the comments is the user's word when comments are searched.
  const json goner = search("--include-comments goner");
  EXPECT_EQ(goner["total"], 1);
  EXPECT_FALSE(goner.contains("suggestion")) << goner["suggestion"];
  // A word of the corpus with diacritics is not respelt.
  const json deraa = search(quote("Déraa"));
  EXPECT_GE(deraa["total"], 1);
  EXPECT_FALSE(deraa.contains("suggestion")) << deraa["suggestion"];
  // A field's words are respelt from the same vocabulary.
  EXPECT_EQ(search("title:cocao")["suggestion"]["query"], "title:cocoa");
}

TEST_F(Newcomer, ASnippetShowsWhereTheWordsMatched) {
  // The seed's reader comments mention stockpiles; its body does not.
  const json in_comments = search("comments:stockpiles");
  ASSERT_EQ(in_comments["total"], 1);
  const std::string snippet = in_comments["hits"][0]["snippet"];
  EXPECT_EQ(snippet.rfind("Comments: ", 0), 0u) << snippet;
  EXPECT_NE(snippet.find("<mark>stockpiles</mark>"), std::string::npos) << snippet;
}

TEST_F(Newcomer, StoriesAreTheInputsOwnAndADatedSeriesIsNotOne) {
  std::map<std::string, std::string> uci_story;  // id → the input's story cluster.
  for (const json& record : read_jsonl(uci_)) {
    if (record["story"].is_string()) uci_story[record["id"]] = record["story"];
  }
  const json all = search("--limit 1000 --facet-size 0 --date-facet none " + quote("malaysia airlines"));
  std::set<std::string> stories;
  std::size_t from_uci = 0;
  for (const json& hit : all["hits"]) {
    stories.insert(hit["story_id"].get<std::string>());
    if (const auto found = uci_story.find(hit["id"]); found != uci_story.end()) {
      ++from_uci;
      EXPECT_EQ(hit["story_id"], found->second) << hit["id"];
    }
  }
  ASSERT_GE(from_uci, 8u);
  const json collapsed = search("--collapse story --limit 1000 " + quote("malaysia airlines"));
  EXPECT_EQ(collapsed["total"].get<std::size_t>(), stories.size());
  EXPECT_LT(collapsed["total"].get<std::size_t>(), all["total"].get<std::size_t>());

  // Reuters' daily "FED ADDS RESERVES VIA CUSTOMER REPURCHASES": one story a day at most.
  const json fed = search("--limit 100 " + quote("title:\"FED ADDS RESERVES VIA CUSTOMER REPURCHASES\""));
  ASSERT_GE(fed["total"].get<std::size_t>(), 10u);
  std::map<std::string, std::set<std::string>> days_of_story;
  for (const json& hit : fed["hits"]) {
    if (hit["date"].is_string()) days_of_story[hit["story_id"]].insert(hit["date"].get<std::string>().substr(0, 10));
  }
  for (const auto& [story, days] : days_of_story) EXPECT_EQ(days.size(), 1u) << story << " spans " << days.size() << " days";
}

}  // namespace
