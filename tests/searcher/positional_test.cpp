// Phrases and NEAR over positions records (core/positions.h, searcher/positional.h):
// the record round-trips, rejects damage, and matches exactly what Xapian's own
// OP_PHRASE and OP_NEAR match over position lists, on real Reuters-21578 articles.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "core/positions.h"
#include "core/schema.h"
#include "indexer/document_builder.h"
#include "searcher/positional.h"
#include "tests/support/read_all.h"

namespace gazette {
namespace {

namespace positions = core::positions;
using searcher::Positional;

TEST(PositionsRecord, RoundTripsRunsAndIndexes) {
  positions::Encoder encoder;
  // Title at 1-3, body from 104 (after the field gap); comments at 1-2.
  const std::vector<std::pair<Xapian::termpos, std::string>> text = {
      {1, "oil"}, {2, "price"}, {3, "rise"}, {104, "crude"}, {105, "oil"}, {106, "price"}, {107, "oil"}};
  for (const auto& [position, term] : text) encoder.add(positions::Field::kText, term, position);
  encoder.add(positions::Field::kComments, "XCgood", 1);
  encoder.add(positions::Field::kComments, "XCpoint", 2);
  const std::string record = encoder.finish();
  // 1 version; text: 1 K, 4 hashes x 8 bits, 1 runs, 2 x 2 run bytes, 7 indexes x 2 bits;
  // comments: 1 K, 2 hashes x 7 bits, 1 runs, 2 run bytes, 2 indexes x 1 bit.
  EXPECT_EQ(positions::hash_bits(4), 8u);
  EXPECT_EQ(record.size(), 1u + (1 + 4 + 1 + 4 + 2) + (1 + 2 + 1 + 2 + 1));

  const auto fields = positions::decode(record);
  const auto& body = fields[0];
  EXPECT_EQ(body.distinct, 4u);
  EXPECT_EQ(body.positions, (std::vector<Xapian::termpos>{1, 2, 3, 104, 105, 106, 107}));
  ASSERT_EQ(body.term_index.size(), text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Each position points at its own word's hash.
    EXPECT_EQ(body.hashes[body.term_index[i]], positions::term_hash(text[i].second, 8)) << text[i].second;
  }
  EXPECT_EQ(body.term_index[0], body.term_index[4]);  // Both "oil".
  EXPECT_EQ(std::set<std::uint32_t>(body.term_index.begin(), body.term_index.end()).size(), 4u);
  EXPECT_TRUE(std::is_sorted(body.hashes.begin(), body.hashes.end()));
  EXPECT_EQ(fields[1].distinct, 2u);
  EXPECT_EQ(fields[1].positions, (std::vector<Xapian::termpos>{1, 2}));

  EXPECT_EQ(encoder.finish(), "");  // Empty again.
  encoder.add(positions::Field::kText, "oil", 5);
  EXPECT_THROW(encoder.add(positions::Field::kText, "price", 5), std::logic_error);
}

TEST(PositionsRecord, ManyDistinctTermsTakeWiderFields) {
  // 70,000 distinct terms: 17-bit indexes and 23-bit hashes.
  positions::Encoder encoder;
  for (Xapian::termpos p = 1; p <= 140000; ++p) encoder.add(positions::Field::kText, "t" + std::to_string(p % 70000), p);
  const std::string record = encoder.finish();
  EXPECT_EQ(positions::index_bits(70000), 17u);
  EXPECT_EQ(positions::hash_bits(70000), 23u);
  const positions::Record view(record);
  EXPECT_EQ(view.distinct(positions::Field::kText), 70000u);
  for (const char* word : {"t0", "t1", "t69999", "t4242"}) {
    const auto [low, high] = view.find(positions::Field::kText, positions::term_hash(word, 23));
    ASSERT_LT(low, high) << word;
    std::vector<std::uint32_t> indexes;
    for (std::uint32_t i = low; i < high; ++i) indexes.push_back(i);
    std::vector<Xapian::termpos> at;
    view.positions_of(positions::Field::kText, indexes, at);
    // Each word stands at n and n + 70000 (t0 at 70000 and 140000); a shared hash may add more.
    const Xapian::termpos n = std::stoul(std::string(word + 1));
    const Xapian::termpos first = n == 0 ? 70000 : n;
    EXPECT_NE(std::find(at.begin(), at.end(), first), at.end()) << word;
    EXPECT_NE(std::find(at.begin(), at.end(), first + 70000), at.end()) << word;
  }
}

TEST(PositionsRecord, ReportsDamage) {
  positions::Encoder encoder;
  for (Xapian::termpos p = 1; p <= 40; ++p) encoder.add(positions::Field::kText, "w" + std::to_string(p % 7), p);
  const std::string record = encoder.finish();
  EXPECT_NO_THROW(positions::decode(record));
  for (std::size_t cut = 1; cut < record.size(); ++cut) {
    EXPECT_THROW(positions::decode(record.substr(0, cut)), std::runtime_error) << "cut at " << cut;
  }
  EXPECT_THROW(positions::decode(record + "x"), std::runtime_error);
  std::string versioned = record;
  versioned[0] = 9;
  EXPECT_THROW(positions::decode(versioned), std::runtime_error);
}

TEST(PositionsRecord, FieldsByPrefix) {
  EXPECT_EQ(positions::field_of("oil"), positions::Field::kText);
  EXPECT_EQ(positions::field_of("2024"), positions::Field::kText);
  EXPECT_EQ(positions::field_of("XCoil"), positions::Field::kComments);
  EXPECT_EQ(positions::field_of("Soil"), std::nullopt);
  EXPECT_EQ(positions::field_of("XPreuter"), std::nullopt);
  EXPECT_EQ(positions::field_of("Q12"), std::nullopt);
}

TEST(PositionsRecord, WordsSharingAHashAreToldApart) {
  // Two words whose hashes are equal in the bits a two-word article keeps.
  const unsigned bits = positions::hash_bits(2);
  std::map<std::uint32_t, std::string> seen;
  std::string left, right;
  for (int i = 0; right.empty(); ++i) {
    const std::string word = "w" + std::to_string(i);
    const auto [it, fresh] = seen.emplace(positions::term_hash(word, bits), word);
    if (!fresh) left = it->second, right = word;
  }
  positions::Encoder encoder;
  Xapian::Document document;
  encoder.add(positions::Field::kText, right, 1);
  encoder.add(positions::Field::kText, left, 2);
  document.add_term(left);
  document.add_term(right);
  document.add_value(core::schema::kPositionsSlot, encoder.finish());
  document.add_value(core::schema::kIdSlot, "a1");
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  database.add_document(document);
  auto matches = [&](const std::string& a, const std::string& b) {
    const Positional phrase = Positional::phrase({Positional::word(a, Xapian::Query(a)), Positional::word(b, Xapian::Query(b))});
    Xapian::Enquire enquire(database);
    enquire.set_query(searcher::to_query(phrase));
    return enquire.get_mset(0, 10).size();
  };
  EXPECT_EQ(matches(right, left), 1u) << right << " " << left;
  EXPECT_EQ(matches(left, right), 0u) << left << " " << right;
}

// A recorded field's distinct terms of `document` in the record's order: by hash, then term.
std::vector<std::string> record_order(const Xapian::Document& document, positions::Field field, std::uint32_t distinct) {
  std::vector<std::pair<std::uint32_t, std::string>> keyed;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    if (positions::field_of(*term) == field) keyed.emplace_back(positions::term_hash(*term, positions::hash_bits(distinct)), *term);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (auto& [hash, term] : keyed) out.push_back(std::move(term));
  return out;
}

// The same article as an index written before positions records: the recorded
// fields' positions in Xapian's position lists instead.
Xapian::Document with_position_lists(const Xapian::Document& built) {
  Xapian::Document legacy;
  const auto fields = positions::decode(built.get_value(core::schema::kPositionsSlot));
  std::array<std::vector<std::string>, positions::kFields> terms;
  for (std::size_t f = 0; f < positions::kFields; ++f) {
    terms[f] = record_order(built, static_cast<positions::Field>(f), fields[f].distinct);
  }
  for (auto term = built.termlist_begin(); term != built.termlist_end(); ++term) {
    legacy.add_term(*term, term.get_wdf());
    if (!positions::field_of(*term)) {
      for (auto p = term.positionlist_begin(); p != term.positionlist_end(); ++p) legacy.add_posting(*term, *p, 0);
    }
  }
  for (std::size_t f = 0; f < positions::kFields; ++f) {
    for (std::size_t i = 0; i < fields[f].positions.size(); ++i) {
      legacy.add_posting(terms[f][fields[f].term_index[i]], fields[f].positions[i], 0);
    }
  }
  for (auto value = built.values_begin(); value != built.values_end(); ++value) {
    if (value.get_valueno() != core::schema::kPositionsSlot) legacy.add_value(value.get_valueno(), *value);
  }
  legacy.set_data(built.get_data());
  return legacy;
}

std::set<std::string> ids(const Xapian::Database& database, const Xapian::Query& query) {
  Xapian::Enquire enquire(database);
  enquire.set_query(query);
  std::set<std::string> out;
  const Xapian::MSet matches = enquire.get_mset(0, database.get_doccount());
  for (auto it = matches.begin(); it != matches.end(); ++it) out.insert(it.get_document().get_value(core::schema::kIdSlot));
  return out;
}

class PositionalOnReuters : public ::testing::Test {
 protected:
  // The first 300 articles of Reuters-21578, read once.
  static const std::vector<Article>& articles() {
    static const std::vector<Article> first = [] {
      auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
      read.articles.resize(std::min<std::size_t>(read.articles.size(), 300));
      return read.articles;
    }();
    return first;
  }

  void SetUp() override {
    ASSERT_EQ(articles().size(), 300u) << "Reuters-21578 under " << GAZETTE_SHARED_DIR;
    indexer::DocumentBuilder builder;
    for (const Article& article : articles()) {
      const Xapian::Document built = builder.build(article);
      if (built.get_value(core::schema::kPositionsSlot).empty()) continue;  // No title, no body.
      recorded_.add_document(built);
      const Xapian::Document legacy = with_position_lists(built);
      legacy_.add_document(legacy);
      // Word sequences to ask about: runs of the article's body.
      std::vector<std::pair<Xapian::termpos, std::string>> text;
      for (auto term = legacy.termlist_begin(); term != legacy.termlist_end(); ++term) {
        if ((*term).empty() || positions::field_of(*term) != positions::Field::kText) continue;
        for (auto p = term.positionlist_begin(); p != term.positionlist_end(); ++p) text.emplace_back(*p, *term);
      }
      std::sort(text.begin(), text.end());
      for (const auto& [position, term] : text) body_.push_back(term);
    }
    ASSERT_GT(recorded_.get_doccount(), 250u);
  }

  static Xapian::Query term(const std::string& name) { return Xapian::Query(name); }

  Xapian::WritableDatabase recorded_{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::WritableDatabase legacy_{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<std::string> body_;
};

TEST_F(PositionalOnReuters, PhrasesMatchWhatXapianPhraseMatches) {
  std::mt19937 random(12);
  std::size_t nonempty = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t length = 2 + trial % 3;
    const std::size_t start = random() % (body_.size() - length);
    std::vector<Positional> words;
    std::vector<Xapian::Query> terms;
    for (std::size_t i = 0; i < length; ++i) {
      words.push_back(Positional::word(body_[start + i], term(body_[start + i])));
      terms.push_back(term(body_[start + i]));
    }
    // Every other trial out of order, so some phrases match nothing.
    if (trial % 2) std::swap(words.front(), words.back()), std::swap(terms.front(), terms.back());
    const Positional phrase = Positional::phrase(words);
    const Xapian::Query xapian(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), static_cast<Xapian::termcount>(length));
    const std::set<std::string> expected = ids(legacy_, xapian);
    EXPECT_EQ(ids(recorded_, searcher::to_query(phrase)), expected) << phrase.description();
    EXPECT_EQ(ids(legacy_, searcher::to_query(phrase)), expected) << phrase.description() << " (position lists)";
    nonempty += !expected.empty();
  }
  EXPECT_GT(nonempty, 150u);  // The test asked about phrases that are there.
}

TEST_F(PositionalOnReuters, NearMatchesWhatXapianNearMatches) {
  std::mt19937 random(7);
  std::size_t matched = 0, filtered = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t start = random() % (body_.size() - 30);
    const std::string left = body_[start], right = body_[start + 1 + random() % 25];
    if (left == right) continue;
    const unsigned slack = random() % 12;
    const Positional near = Positional::near({Positional::word(left, term(left)), Positional::word(right, term(right))}, slack);
    const Xapian::Query pair[] = {term(left), term(right)};
    const Xapian::Query xapian(Xapian::Query::OP_NEAR, std::begin(pair), std::end(pair), slack + 2);
    const std::set<std::string> expected = ids(legacy_, xapian);
    EXPECT_EQ(ids(recorded_, searcher::to_query(near)), expected) << near.description();
    EXPECT_EQ(ids(legacy_, searcher::to_query(near)), expected) << near.description() << " (position lists)";
    matched += !expected.empty();
    const Xapian::Query both(Xapian::Query::OP_AND, std::begin(pair), std::end(pair));
    filtered += ids(legacy_, both).size() > expected.size();
  }
  EXPECT_GT(matched, 100u);
  EXPECT_GT(filtered, 30u);  // Positions ruled out articles holding both words.
}

TEST_F(PositionalOnReuters, WildcardsAndAlternativesInsidePhrases) {
  // "oil pric*" and "(crude OR heating) oil" as the parser builds them.
  const Positional oil = Positional::word("oil", term("oil"));
  const Positional pric = Positional::wildcard("pric", Xapian::Query(Xapian::Query::OP_WILDCARD, "pric"));
  const std::set<std::string> wildcard = ids(recorded_, searcher::to_query(Positional::phrase({oil, pric})));
  std::set<std::string> expected;
  for (const char* word : {"price", "priced", "pricing"}) {
    const Xapian::Query terms[] = {term("oil"), term(word)};
    for (const std::string& id : ids(legacy_, Xapian::Query(Xapian::Query::OP_PHRASE, std::begin(terms), std::end(terms), 2))) {
      expected.insert(id);
    }
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(wildcard, expected);

  const Positional either = Positional::any({Positional::word("crude", term("crude")), Positional::word("heat", term("heat"))});
  const std::set<std::string> alternatives = ids(recorded_, searcher::to_query(Positional::phrase({either, oil})));
  std::set<std::string> both;
  for (const char* word : {"crude", "heat"}) {
    const Xapian::Query terms[] = {term(word), term("oil")};
    for (const std::string& id : ids(legacy_, Xapian::Query(Xapian::Query::OP_PHRASE, std::begin(terms), std::end(terms), 2))) {
      both.insert(id);
    }
  }
  EXPECT_FALSE(both.empty());
  EXPECT_EQ(alternatives, both);
}

TEST_F(PositionalOnReuters, ARecordThatDoesNotFitItsTermsIsCorruption) {
  // The first article's opening words, as a phrase; then a different word of it dropped
  // from its terms, so the record's term indexes no longer point where they did.
  Xapian::Document built = recorded_.get_document(1);
  const auto fields = positions::decode(built.get_value(core::schema::kPositionsSlot));
  const std::vector<std::string> terms = record_order(built, positions::Field::kText, fields[0].distinct);
  const std::string first = terms[fields[0].term_index[0]], second = terms[fields[0].term_index[1]];
  // A wildcard is matched through the termlist, which is where damage shows.
  const Positional phrase = Positional::phrase(
      {Positional::wildcard(first, Xapian::Query(Xapian::Query::OP_WILDCARD, first)), Positional::word(second, term(second))});
  Xapian::WritableDatabase intact(std::string(), Xapian::DB_BACKEND_INMEMORY);
  intact.add_document(built);
  EXPECT_EQ(ids(intact, searcher::to_query(phrase)).size(), 1u);

  const auto other = std::find_if(terms.begin(), terms.end(), [&](const std::string& t) { return t != first && t != second; });
  ASSERT_NE(other, terms.end());
  built.remove_term(*other);
  Xapian::WritableDatabase damaged(std::string(), Xapian::DB_BACKEND_INMEMORY);
  damaged.add_document(built);
  try {
    ids(damaged, searcher::to_query(phrase));
    ADD_FAILURE() << "a record that does not fit its terms was read";
  } catch (const Xapian::DatabaseCorruptError& error) {
    EXPECT_NE(error.get_msg().find("positions record of document 1"), std::string::npos) << error.get_msg();
  }

  // A damaged record is reported with its document.
  Xapian::Document garbled = recorded_.get_document(2);
  std::string record = garbled.get_value(core::schema::kPositionsSlot);
  garbled.add_value(core::schema::kPositionsSlot, record.substr(0, record.size() / 2));
  Xapian::WritableDatabase cut(std::string(), Xapian::DB_BACKEND_INMEMORY);
  cut.add_document(garbled);
  try {
    ids(cut, searcher::to_query(Positional::phrase({Positional::word("the", term("the")), Positional::word("said", term("said"))})));
    ids(cut, searcher::to_query(Positional::near({Positional::word("the", term("the")), Positional::word("said", term("said"))}, 20)));
    ADD_FAILURE() << "a cut record was read";
  } catch (const Xapian::DatabaseCorruptError& error) {
    EXPECT_NE(error.get_msg().find("document 1: malformed positions record"), std::string::npos) << error.get_msg();
  }
}

}  // namespace
}  // namespace gazette
