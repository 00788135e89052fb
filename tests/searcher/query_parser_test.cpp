// Tests for searcher/query_parser: the Xapian query each construct builds, and what
// gets highlighted.
#include "searcher/query_parser.h"

#include <gtest/gtest.h>

#include "gazette/errors.h"

namespace gazette::searcher {
namespace {

std::string describe(std::string_view text, DefaultOperator op = DefaultOperator::kAll) {
  QueryParser parser("en", op);
  return parser.parse(text).query.get_description();
}

TEST(QueryParser, WordsAreStemsJoinedByTheDefaultOperator) {
  EXPECT_EQ(describe("Oil prices"), "Query((oil@1 AND price@5))");
  EXPECT_EQ(describe("oil prices", DefaultOperator::kAny), "Query((oil@1 OR price@5))");
}

TEST(QueryParser, RequiredAndExcludedUnderAny) {
  EXPECT_EQ(describe("+oil gas -opec", DefaultOperator::kAny),
            "Query(((oil@2 AND_MAYBE gas@6) AND_NOT opec@11))");
}

TEST(QueryParser, QuotedTextIsAPhraseOfStems) {
  EXPECT_EQ(describe("\"crude oil\""), "Query(((crude@1 AND oil@2) FILTER PostingSource(PositionFilter(PHRASE(crude, oil)))))");
  EXPECT_EQ(describe("\"Prices\""), "Query(price@1)");
  EXPECT_EQ(describe("al-Assad"), "Query(((al@1 AND assad@2) FILTER PostingSource(PositionFilter(PHRASE(al, assad)))))");
}

TEST(QueryParser, FieldsUseTheirPrefixes) {
  EXPECT_EQ(describe("title:oil"), "Query(Soil@7)");
  EXPECT_EQ(describe("author:smith"), "Query(Asmith@8)");
  EXPECT_EQ(describe("outlet:reuters"), "Query(XPreuter@8)");
  EXPECT_EQ(describe("tag:crude"), "Query(XKcrude@5)");
  EXPECT_EQ(describe("title:\"oil prices\""), "Query(((Soil@7 AND Sprice@8) FILTER PostingSource(PositionFilter(PHRASE(Soil, Sprice)))))");
  EXPECT_EQ(describe("lang:EL"), "Query(0 * XL:el)");
}

TEST(QueryParser, DatesBecomeTermsOrValueRanges) {
  EXPECT_EQ(describe("date:2024-12"), "Query(0 * M202412)");
  EXPECT_EQ(describe("date:2024-12-07"), "Query(0 * D20241207)");
  EXPECT_NE(describe("date:2024-01..2024-03").find("VALUE_RANGE 0"), std::string::npos);
  EXPECT_NE(describe("date:2024..").find("VALUE_GE 0"), std::string::npos);
  EXPECT_NE(describe("date:..2024").find("VALUE_LE 0"), std::string::npos);
}

TEST(QueryParser, NearUsesPositionsAndAWindow) {
  EXPECT_EQ(describe("assad NEAR/3 army"), "Query(((assad@1 AND armi@14) FILTER PostingSource(PositionFilter(NEAR/3(assad, armi)))))");
  EXPECT_EQ(describe("assad NEAR army"), "Query(((assad@1 AND armi@12) FILTER PostingSource(PositionFilter(NEAR/10(assad, armi)))))");
}

std::string without_stopwords(std::string_view text, DefaultOperator op = DefaultOperator::kAll) {
  QueryParser parser("en", op);
  parser.set_stopwords(core::StopwordList("en"));
  return parser.parse(text).query.get_description();
}

TEST(QueryParser, BareStopwordsAreLeftOutWhenOtherWordsRemain) {
  EXPECT_EQ(without_stopwords("the price of oil"), "Query((price@5 AND oil@14))");
  // Phrases, fields, signs and operator operands keep them.
  EXPECT_EQ(without_stopwords("\"price of oil\""), "Query(((price@1 AND of@2 AND oil@3) FILTER PostingSource(PositionFilter(PHRASE(price, of, oil)))))");
  EXPECT_EQ(without_stopwords("title:the oil"), "Query((Sthe@7 AND oil@11))");
  EXPECT_EQ(without_stopwords("title:(the oil) gas"), "Query(((Sthe@8 AND Soil@12) AND gas@17))");
  EXPECT_EQ(without_stopwords("+the oil", DefaultOperator::kAny), "Query((the@2 AND_MAYBE oil@6))");
  EXPECT_EQ(without_stopwords("this OR oil"), "Query((this@1 OR oil@9))");
  // A query of stopwords only is searched as it is.
  EXPECT_EQ(without_stopwords("The Who"), "Query((the@1 AND who@5))");
  // No list, nothing left out.
  EXPECT_EQ(describe("the price"), "Query((the@1 AND price@5))");
  QueryParser parser("en", DefaultOperator::kAny);
  parser.set_stopwords(core::StopwordList("en"));
  EXPECT_EQ(parser.parse_words("What is the price of oil?").query.get_description(), "Query((price@1 OR oil@1))");
  // Only English has a list so far.
  EXPECT_TRUE(core::StopwordList("fr").empty());
  EXPECT_TRUE(core::StopwordList("porter").contains("which"));
}

TEST(QueryParser, BareWordsInOrderForTheProximityBoost) {
  QueryParser parser("en", DefaultOperator::kAny);
  parser.set_stopwords(core::StopwordList("en"));
  const ParsedQuery parsed = parser.parse("the oil -gas \"crude oil\" title:opec NOT iran prices");
  std::vector<std::string> words;
  for (const Positional& word : parsed.bare_words) words.push_back(word.description());
  EXPECT_EQ(words, (std::vector<std::string>{"oil", "price"}));
}

TEST(QueryParser, WildcardExpandsStems) {
  EXPECT_EQ(describe("Econom*"), "Query(WILDCARD SYNONYM econom)");
}

TEST(QueryParser, OnlyFiltersOrExclusionsDoNotScore) {
  QueryParser parser("en", DefaultOperator::kAll);
  EXPECT_FALSE(parser.parse("").scores);
  EXPECT_FALSE(parser.parse("date:2024").scores);
  EXPECT_FALSE(parser.parse("-oil").scores);
  EXPECT_TRUE(parser.parse("oil date:2024").scores);
  EXPECT_EQ(parser.parse("-oil").query.get_description(), "Query((<alldocuments> AND_NOT oil@2))");
}

TEST(QueryParser, CollectsHighlightTermsForTextFieldsOnly) {
  QueryParser parser("en", DefaultOperator::kAll);
  const ParsedQuery parsed = parser.parse("Prices \"crude oil\" econ* tag:energy");
  EXPECT_EQ(parsed.highlight.stems, (std::set<std::string>{"crude", "oil", "price"}));
  EXPECT_EQ(parsed.highlight.wildcard_prefixes, std::vector<std::string>{"econ"});
}

TEST(QueryParser, PunctuationOnlyWordsAreIgnored) {
  EXPECT_EQ(describe("oil & gas"), "Query((oil@1 AND gas@7))");
}

TEST(QueryParser, ErrorsCarryMessages) {
  QueryParser parser("en", DefaultOperator::kAll);
  const auto message = [&](std::string_view text) -> std::string {
    try {
      parser.parse(text);
    } catch (const QuerySyntaxError& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(message("colour:red"),
            "query syntax error at position 1: unknown field 'colour:' (fields are title, author, "
            "outlet, tag, comments, date, lang, id)");
  EXPECT_EQ(message("date:2024-02-30"),
            "query syntax error at position 6: date: cannot read '2024-02-30' (use YYYY, YYYY-MM, "
            "YYYY-MM-DD, or a range a..b)");
  EXPECT_EQ(message("date:2024..2023"), "query syntax error at position 6: date: range starts after it ends");
  EXPECT_EQ(message("title:"), "query syntax error at position 1: 'title:' needs a value right after it");
  EXPECT_EQ(message("oil NEAR/0 gas"),
            "query syntax error at position 5: NEAR/n needs a distance from 1 to 999, got 'NEAR/0'");
  EXPECT_EQ(message("NOT"), "query syntax error at position 1: 'NOT' needs a word, phrase or group after it");
  EXPECT_EQ(message("ab* cd*"), "no error");
}

}  // namespace
}  // namespace gazette::searcher

namespace gazette::searcher {
namespace {

TEST(QueryParser, PastedCapitalHeadlinesAreTextNotSyntax) {
  QueryParser parser("en", DefaultOperator::kAll);
  const std::string headline = parser.parse("U.K. OIL INDUSTRY SAID NOT PERMANENTLY DAMAGED").query.get_description();
  EXPECT_EQ(headline.find("AND_NOT"), std::string::npos) << headline;
  EXPECT_NE(headline.find("perman"), std::string::npos) << headline;
  EXPECT_NE(headline.find("not"), std::string::npos) << headline;
  const std::string corrected = parser.parse("(CORRECTED)-IVORY COAST CONFIRMS PRESENCE AT TALKS").query.get_description();
  EXPECT_EQ(corrected.find("AND_NOT"), std::string::npos) << corrected;
  // Short capital queries and mixed case keep the operators.
  EXPECT_NE(parser.parse("OIL NOT GAS").query.get_description().find("AND_NOT"), std::string::npos);
  EXPECT_NE(parser.parse("oil prices NOT opec cuts today").query.get_description().find("AND_NOT"), std::string::npos);
}

}  // namespace
}  // namespace gazette::searcher

namespace gazette::searcher {
namespace {

// Nesting is bounded: 60,000 parentheses (which once overflowed the stack) are a syntax
// error naming where the limit was crossed; nesting up to the limit still parses.
TEST(QueryParser, DeepNestingIsASyntaxErrorNotACrash) {
  QueryParser parser("en", DefaultOperator::kAll);
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '(') + "oil" + std::string(depth, ')');
  };
  EXPECT_EQ(parser.parse(nested(kMaxGroupDepth)).query.get_description(), "Query(oil@101)");
  for (const std::size_t depth : {kMaxGroupDepth + 1, std::size_t{60000}}) {
    try {
      parser.parse(nested(depth));
      ADD_FAILURE() << depth << " levels parsed";
    } catch (const QuerySyntaxError& error) {
      EXPECT_EQ(error.position(), kMaxGroupDepth + 1);
      EXPECT_NE(std::string(error.what()).find("nested more than 100 deep"), std::string::npos) << error.what();
    }
  }
  // Unbalanced, and nested under NOT and fields: the same bound.
  EXPECT_THROW(parser.parse(std::string(60000, '(')), QuerySyntaxError);
  std::string negated;
  for (int i = 0; i < 20000; ++i) negated += "NOT (a ";
  EXPECT_THROW(parser.parse(negated), QuerySyntaxError);
  EXPECT_THROW(parser.parse("title:" + nested(60000)), QuerySyntaxError);
}

}  // namespace
}  // namespace gazette::searcher
