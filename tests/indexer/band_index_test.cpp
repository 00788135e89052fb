// The in-memory band index (indexer/band_index.h): every document sharing a band key is
// found, segments are tracked through merges, and duplicate detection over committed
// segments groups Reuters-21578 stories exactly as it does within one batch.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/schema.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "indexer/band_index.h"
#include "indexer/document_builder.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

std::vector<Article> reuters(std::size_t count) {
  auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
  EXPECT_GE(read.articles.size(), count);
  read.articles.resize(std::min(count, read.articles.size()));
  return read.articles;
}

Xapian::WritableDatabase built(const std::vector<Article>& articles, std::size_t from, std::size_t to) {
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  indexer::DocumentBuilder builder;
  for (std::size_t i = from; i < to; ++i) database.add_document(builder.build(articles[i]));
  database.commit();
  return database;
}

TEST(BandIndex, FindsEveryDocumentWithTheKey) {
  const std::vector<Article> articles = reuters(3000);
  const Xapian::WritableDatabase database = built(articles, 0, articles.size());
  // The expected answer, from the signatures one by one.
  std::map<std::uint32_t, std::set<Xapian::docid>> expected;
  std::size_t signed_documents = 0;
  for (Xapian::docid id = 1; id <= database.get_lastdocid(); ++id) {
    const auto signature =
        indexer::decode_signature(database.get_document(id).get_value(core::schema::kSignatureSlot));
    if (!signature) continue;
    ++signed_documents;
    for (const std::uint32_t key : indexer::band_keys(*signature)) expected[key].insert(id);
  }
  const indexer::SegmentBands bands(database);
  EXPECT_GT(signed_documents, 2000u);
  EXPECT_EQ(bands.size(), signed_documents * indexer::kBands);
  std::size_t shared = 0;
  for (const auto& [key, documents] : expected) {
    std::set<Xapian::docid> found;
    bands.find(key, [&](Xapian::docid id) { EXPECT_TRUE(found.insert(id).second) << "visited twice"; });
    EXPECT_EQ(found, documents) << key;
    shared += documents.size() > 1;
  }
  EXPECT_GT(shared, 100u) << "some bands are shared (Reuters repeats stories)";
  bool none = true;
  bands.find(0x12345678u, [&](Xapian::docid) { none = false; });
  EXPECT_EQ(none, expected.count(0x12345678u) == 0);
}

TEST(BandIndex, CommittedBandsFollowTheSegmentList) {
  const std::vector<Article> articles = reuters(600);
  const Xapian::Database a = built(articles, 0, 200), b = built(articles, 200, 400), c = built(articles, 400, 600);
  auto positions_of = [](const indexer::CommittedBands& bands, const Xapian::Database& segment) {
    std::set<std::size_t> positions;
    const auto signature = indexer::decode_signature(segment.get_document(1).get_value(core::schema::kSignatureSlot));
    EXPECT_TRUE(signature);
    if (!signature) return positions;
    bands.find(indexer::band_keys(*signature)[0], [&](std::size_t position, Xapian::docid docid) {
      if (docid == 1) positions.insert(position);
    });
    return positions;
  };
  indexer::CommittedBands bands;
  bands.update({"seg-a", "seg-b"}, {a, b});
  EXPECT_EQ(bands.segments(), 2u);
  EXPECT_TRUE(positions_of(bands, b).count(1));
  const std::size_t two = bands.size();
  // "seg-a" merged away, "seg-c" added: positions follow the new list.
  bands.update({"seg-b", "seg-c"}, {b, c});
  EXPECT_EQ(bands.segments(), 2u);
  EXPECT_TRUE(positions_of(bands, b).count(0));
  EXPECT_TRUE(positions_of(bands, c).count(1));
  EXPECT_NE(bands.size(), 0u);
  EXPECT_NE(bands.size(), two);
}

// Stories and outcomes of 4,000 Reuters articles: one batch (candidates from the batch's
// own band terms) against 40 batches of 100 (candidates from the committed segments'
// bands in memory, through merges), and the same again after re-adding a tenth of them
// (replacements leave deleted articles behind in older segments' bands).
TEST(BandIndex, DuplicateDetectionAcrossSegmentsMatchesOneBatch) {
  const std::vector<Article> articles = reuters(4000);
  auto run = [&](std::size_t batch_size, bool replace) {
    testing::TempDir dir;
    std::map<AddOutcome, std::size_t> outcomes;
    {
      WriterOptions options;
      options.batch_size = batch_size;
      IndexWriter writer(dir.path().string(), options);
      for (const Article& article : articles) ++outcomes[writer.add(article)];
      if (replace) {
        for (std::size_t i = 0; i < articles.size(); i += 10) ++outcomes[writer.add(articles[i])];
      }
      writer.commit();
    }
    const Searcher searcher(dir.path().string());
    std::map<std::string, std::string> stories;
    for (const Article& article : articles) {
      const auto stored = searcher.get(article.id);
      stories[article.id] = stored ? stored->story : "(not stored)";
    }
    return std::pair{outcomes, stories};
  };
  const auto [one_outcomes, one_stories] = run(articles.size(), false);
  std::size_t grouped = 0;
  for (const auto& [id, story] : one_stories) grouped += story != id && story != "(not stored)";
  EXPECT_GT(grouped, 50u) << "Reuters repeats stories: some articles join another's";
  const auto [many_outcomes, many_stories] = run(100, false);
  EXPECT_EQ(many_outcomes, one_outcomes);
  EXPECT_EQ(many_stories, one_stories);
  const auto [replaced_outcomes, replaced_stories] = run(100, true);
  EXPECT_EQ(replaced_outcomes.at(AddOutcome::kAdded), one_outcomes.at(AddOutcome::kAdded));
  EXPECT_GE(replaced_outcomes.at(AddOutcome::kReplaced), 300u);
  std::size_t changed = 0;
  for (const auto& [id, story] : one_stories) changed += replaced_stories.at(id) != story;
  // A replaced article is checked again, now against everything after it as well, so it
  // may join a later copy's story; nothing else moves.
  EXPECT_LE(changed, 40u);
}

}  // namespace
}  // namespace gazette
