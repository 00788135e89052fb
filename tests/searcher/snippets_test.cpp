// Tests for searcher/snippets: window choice, highlighting, trimming.
#include "searcher/snippets.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gazette::searcher
