// The in-memory band index (indexer/band_index.h) finds exactly the documents the
// stored band terms find, on real Reuters-21578 articles.
#include <gtest/gtest.h>

#include <set>

#include "core/schema.h"
#include "indexer/band_index.h"
#include "indexer/document_builder.h"
#include "tests/support/read_all.h"

namespace gazette {
namespace {

TEST(BandIndex, FindsWhatTheBandTermsFind) {
  auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
  ASSERT_GE(read.articles.size(), 3000u);
  Xapian::WritableDatabase database(std::string(), Xapian::DB_BACKEND_INMEMORY);
  indexer::DocumentBuilder builder;
  for (std::size_t i = 0; i < 3000; ++i) database.add_document(builder.build(read.articles[i]));
  database.commit();

  const indexer::SegmentBands bands(database);
  std::size_t signed_documents = 0, shared = 0;
  for (Xapian::docid id = 1; id <= database.get_lastdocid(); ++id) {
    const Xapian::Document document = database.get_document(id);
    const auto signature = indexer::decode_signature(document.get_value(core::schema::kSignatureSlot));
    if (!signature) continue;
    ++signed_documents;
    const auto keys = indexer::band_keys(*signature);
    std::size_t band = 0;
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      if (!(*term).starts_with(core::schema::kBand)) continue;
      std::set<Xapian::docid> by_term, by_key;
      for (auto it = database.postlist_begin(*term); it != database.postlist_end(*term); ++it) by_term.insert(*it);
      // Terms sort by band number (two digits), so the n-th band term is band n.
      bands.find(keys[band++], [&](Xapian::docid other) { by_key.insert(other); });
      // A 32-bit key may gather a chance companion; it never loses a document.
      for (const Xapian::docid other : by_term) EXPECT_TRUE(by_key.count(other)) << *term;
      EXPECT_LE(by_key.size(), by_term.size() + 1) << *term;
      shared += by_term.size() > 1;
    }
    EXPECT_EQ(band, indexer::kBands);
  }
  EXPECT_GT(signed_documents, 2000u);
  EXPECT_EQ(bands.size(), signed_documents * indexer::kBands);
  EXPECT_GT(shared, 100u) << "some bands are shared (Reuters repeats stories)";
}

}  // namespace
}  // namespace gazette
