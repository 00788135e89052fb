// Tests for searcher/snippets: window choice, highlighting, trimming.
#include "searcher/snippets.h"

#include <gtest/gtest.h>

#include <set>

namespace gazette::searcher {
namespace {

std::string snippet(std::string_view body, std::string_view query, std::size_t length = 60) {
  core::Tokenizer tokenizer;
  const core::Stemmer stemmer("en");
  QueryParser parser("en", DefaultOperator::kAny);
  const ParsedQuery parsed = parser.parse(query);
  return make_snippet(tokenizer, stemmer, body, parsed.highlight, SnippetOptions{length, "[", "]"});
}

TEST(Snippets, HighlightsEveryFormOfAQueryWord) {
  EXPECT_EQ(snippet("Prices rose. The price of oil.", "price"), "[Prices] rose. The [price] of oil.");
}

TEST(Snippets, PrefersTheWindowWithMoreDistinctWords) {
  const std::string body =
      "Oil oil oil oil was mentioned first, then a long stretch of unrelated words follows here "
      "before the sentence where oil and gas both appear together.";
  const std::string result = snippet(body, "oil gas");
  EXPECT_NE(result.find("[oil] and [gas]"), std::string::npos) << result;
  EXPECT_EQ(result.rfind("… ", 0), 0u) << result;  // Cut at the start.
}

TEST(Snippets, CollapsesWhitespaceAndMarksTheCutEnd) {
  const std::string result = snippet("Cocoa\n\n   showers continued   throughout the week in the Bahia "
                                     "cocoa zone, alleviating the drought since early January.",
                                     "cocoa");
  EXPECT_EQ(result.rfind("[Cocoa] showers continued throughout", 0), 0u) << result;
  EXPECT_EQ(result.substr(result.size() - 4), " …");
}

TEST(Snippets, WithoutMatchesShowsTheStart) {
  EXPECT_EQ(snippet("Short body.", "absent"), "Short body.");
}

TEST(Snippets, WildcardsAndPhrasesHighlight) {
  EXPECT_EQ(snippet("Economic and economy news.", "econom*"), "[Economic] and [economy] news.");
  EXPECT_EQ(snippet("Crude oil fell.", "\"crude oil\""), "[Crude] [oil] fell.");
}

TEST(Snippets, EmptyBodyGivesEmptySnippet) { EXPECT_EQ(snippet("", "oil"), ""); }

TEST(Snippets, AShortBodyIsShownWholeFromItsFirstWord) {
  // 76 characters, the match past the lead-in words: nothing is cut at the start.
  const std::string body = "Officials from both sides met on Tuesday; the talks are about grain prices.";
  EXPECT_EQ(snippet(body, "grain", 200), "Officials from both sides met on Tuesday; the talks are about [grain] prices.");
  // A long body is still cut before the match, with a lead-in.
  std::string longer;
  for (int i = 0; i < 40; ++i) longer += "word ";
  longer += "and then grain prices rose sharply at the end of the day.";
  EXPECT_EQ(snippet(longer, "grain", 60).rfind("… ", 0), 0u);
}

TEST(Snippets, CommentWordsAreHighlightedInTheComments) {
  QueryParser parser("en", DefaultOperator::kAll);
  const ParsedQuery fielded = parser.parse("comments:stockpiles");
  EXPECT_TRUE(fielded.highlight.empty());
  EXPECT_EQ(fielded.comment_highlight.stems, std::set<std::string>{"stockpil"});
  QueryParser with_comments("en", DefaultOperator::kAll, true);
  const ParsedQuery bare = with_comments.parse("goner");
  EXPECT_EQ(bare.comment_highlight.stems, std::set<std::string>{"goner"});
  EXPECT_EQ(bare.highlight.stems, std::set<std::string>{"goner"});
}

}  // namespace
}  // namespace gazette::searcher
