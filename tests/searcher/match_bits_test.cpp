// Boolean matching into bit sets (searcher/match_bits.h) against Xapian's own matcher,
// on real Reuters-21578 articles: the same documents for every query it evaluates, and
// no answer for the queries it leaves to Xapian.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/schema.h"
#include "indexer/document_builder.h"
#include "searcher/match_bits.h"
#include "tests/support/read_all.h"

namespace gazette {
namespace {

using Q = Xapian::Query;

class MatchBitsOnReuters : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
    ASSERT_GE(read.articles.size(), 2000u) << "Reuters-21578 under " << GAZETTE_SHARED_DIR;
    database_ = new Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    indexer::DocumentBuilder builder;
    for (std::size_t i = 0; i < 2000; ++i) database_->add_document(builder.build(read.articles[i]));
    // Deleted documents must not match.
    for (Xapian::docid id = 5; id <= 2000; id += 97) database_->delete_document(id);
    database_->commit();
    for (auto term = database_->allterms_begin(); term != database_->allterms_end(); ++term) {
      if (term.get_termfreq() >= 2) vocabulary_.push_back(*term);
    }
  }
  static void TearDownTestSuite() { delete database_; }

  static std::set<Xapian::docid> by_xapian(const Q& query) {
    Xapian::Enquire enquire(*database_);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_query(query);
    std::set<Xapian::docid> out;
    const Xapian::MSet matches = enquire.get_mset(0, database_->get_doccount());
    for (auto it = matches.begin(); it != matches.end(); ++it) out.insert(*it);
    return out;
  }

  static std::set<Xapian::docid> by_bits(const Q& query) {
    const std::optional<searcher::MatchBits> bits = searcher::match_bits(*database_, query);
    EXPECT_TRUE(bits.has_value()) << query.get_description();
    std::set<Xapian::docid> out;
    if (bits) bits->for_each([&](Xapian::docid id) { out.insert(id); });
    return out;
  }

  // A random query of terms and boolean operators, `depth` levels deep.
  static Q random_query(std::mt19937& random, int depth) {
    if (depth == 0 || random() % 4 == 0) return Q(vocabulary_[random() % vocabulary_.size()]);
    static const Q::op ops[] = {Q::OP_AND, Q::OP_OR, Q::OP_AND_NOT, Q::OP_XOR, Q::OP_FILTER, Q::OP_AND_MAYBE, Q::OP_SYNONYM, Q::OP_MAX};
    const Q::op op = ops[random() % std::size(ops)];
    std::vector<Q> parts;
    const std::size_t count = 2 + random() % 3;
    for (std::size_t i = 0; i < count; ++i) parts.push_back(random_query(random, depth - 1));
    if (op == Q::OP_SYNONYM || op == Q::OP_MAX) {  // Xapian wants terms under these.
      parts.clear();
      for (std::size_t i = 0; i < count; ++i) parts.emplace_back(vocabulary_[random() % vocabulary_.size()]);
    }
    Q query(op, parts.begin(), parts.end());
    if (random() % 5 == 0) query = Q(Q::OP_SCALE_WEIGHT, query, 0.0);
    return query;
  }

  static inline Xapian::WritableDatabase* database_ = nullptr;
  static inline std::vector<std::string> vocabulary_;
};

TEST_F(MatchBitsOnReuters, MatchesWhatXapianMatches) {
  std::mt19937 random(3);
  std::size_t nonempty = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Q query = random_query(random, 3);
    const std::set<Xapian::docid> expected = by_xapian(query);
    EXPECT_EQ(by_bits(query), expected) << query.get_description();
    nonempty += !expected.empty();
  }
  EXPECT_GT(nonempty, 200u);
}

TEST_F(MatchBitsOnReuters, FrequentTermsInConjunctionsAndEverything) {
  // A rare term ANDed with very common ones: the common ones are checked by skipping.
  const Q parts[] = {Q("oil"), Q("the"), Q("said"), Q(core::schema::lang_term("en"))};
  const Q common(Q::OP_AND, std::begin(parts), std::end(parts));
  EXPECT_EQ(by_bits(common), by_xapian(common));
  EXPECT_FALSE(by_xapian(common).empty());
  const Q everything_but(Q::OP_AND_NOT, Q::MatchAll, Q("oil"));
  EXPECT_EQ(by_bits(everything_but), by_xapian(everything_but));
  EXPECT_EQ(by_bits(Q::MatchNothing).size(), 0u);
  EXPECT_EQ(by_bits(Q::MatchAll).size(), database_->get_doccount());
}

TEST_F(MatchBitsOnReuters, LeavesOtherQueriesToXapian) {
  const Q words[] = {Q("oil"), Q("price")};
  EXPECT_FALSE(searcher::match_bits(*database_, Q(Q::OP_PHRASE, std::begin(words), std::end(words))));
  EXPECT_FALSE(searcher::match_bits(*database_, Q(Q::OP_WILDCARD, "pric")));
  EXPECT_FALSE(searcher::match_bits(*database_, Q(Q::OP_OR, Q("oil"), Q(Q::OP_VALUE_GE, core::schema::kDateSlot, "a"))));
}

TEST(CalendarTerms, WholeDaysAsYearsMonthsAndDays) {
  const auto span = [](const char* from, const char* to) {
    return core::schema::calendar_terms(parse_period(from)->first, parse_period(to)->second);
  };
  EXPECT_EQ(span("1987-03", "1987-03"), (std::vector<std::string>{"M198703"}));
  EXPECT_EQ(span("1986-12-30", "1988-01-02"),
            (std::vector<std::string>{"D19861230", "D19861231", "Y1987", "D19880101", "D19880102"}));
  EXPECT_EQ(span("2024-02-28", "2024-03-31"), (std::vector<std::string>{"D20240228", "D20240229", "M202403"}));
  EXPECT_EQ(span("1960-01-01", "1960-12-31"), (std::vector<std::string>{"Y1960"}));  // Before 1970.
  // Not whole days, or too many terms: left to a value range.
  EXPECT_TRUE(core::schema::calendar_terms(parse_period("1987-03")->first + 3600, parse_period("1987-03")->second).empty());
  EXPECT_TRUE(core::schema::calendar_terms(parse_period("1987-03")->first, parse_period("1987-03")->second - 1).empty());
  EXPECT_FALSE(span("1900", "2100").empty());
  EXPECT_TRUE(span("1900-01-02", "2100-12-30").size() < 400u);
}

TEST_F(MatchBitsOnReuters, CalendarTermsMatchTheDateRange) {
  std::mt19937 random(5);
  const UnixSeconds start = parse_period("1987-02-20")->first;
  std::size_t nonempty = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const UnixSeconds from = start + static_cast<UnixSeconds>(random() % 16) * 86400;  // Where the first 2,000 are.
    const UnixSeconds to = from + static_cast<UnixSeconds>(1 + random() % 40) * 86400 - 1;
    const std::vector<std::string> days = core::schema::calendar_terms(from, to);
    ASSERT_FALSE(days.empty());
    const Q range(Q::OP_VALUE_RANGE, core::schema::kDateSlot, Xapian::sortable_serialise(static_cast<double>(from)),
                  Xapian::sortable_serialise(static_cast<double>(to)));
    const std::set<Xapian::docid> expected = by_xapian(range);
    EXPECT_EQ(by_bits(Q(Q::OP_OR, days.begin(), days.end())), expected) << format_day(from) << " " << format_day(to);
    nonempty += !expected.empty();
  }
  EXPECT_GT(nonempty, 30u);
}

}  // namespace
}  // namespace gazette
