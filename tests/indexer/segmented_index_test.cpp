// Tests for the segmented index (indexer/segmented_index.*) and its merge policy: tiered
// merges keep every article, replacing and deleting work across segments, a crashed
// writer's unfinished work is finished or dropped, and older indexes are converted.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <filesystem>
#include <set>

#include <xapian.h>

#include "core/segments.h"
#include "gazette/analytics.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "indexer/document_builder.h"
#include "indexer/merge_policy.h"
#include "indexer/segmented_index.h"
#include "core/schema.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

Article numbered(std::size_t n, const std::string& extra = "") {
  Article article;
  article.id = "doc-" + std::to_string(n);
  article.title = "Report " + std::to_string(n);
  // Words shared by many articles, some by few, so queries match across segments.
  article.body = "common words for every report " + std::string(n % 3 == 0 ? "oil " : "") +
                 std::string(n % 7 == 0 ? "gold " : "") + "number" + std::to_string(n) + " " + extra;
  article.outlet = n % 2 == 0 ? "Even Times" : "Odd Herald";
  article.date = parse_date(n % 5 == 0 ? "2020-01-15" : "2021-06-30");
  article.lang = "en";
  return article;
}

std::set<std::string> all_ids(const std::string& index) {
  std::set<std::string> ids;
  SearchRequest request;
  Searcher(index).export_matches(request, ExportOrder::kIndex, [&](const Hit& hit) {
    EXPECT_TRUE(ids.insert(hit.article.id).second) << hit.article.id << " exported twice";
    return true;
  });
  return ids;
}

TEST(MergePolicy, MergesTheNewestSegmentsOfOneTier) {
  const indexer::MergePolicy policy{.factor = 4, .tier_floor = 10};
  EXPECT_EQ(indexer::merge_tier(9, policy), 0u);
  EXPECT_EQ(indexer::merge_tier(40, policy), 1u);
  EXPECT_EQ(indexer::merge_tier(160, policy), 2u);
  EXPECT_FALSE(indexer::choose_merge({10, 10, 10}, policy));
  const auto four = indexer::choose_merge({10, 10, 10, 10}, policy);
  ASSERT_TRUE(four);
  EXPECT_EQ(four->first, 0u);
  EXPECT_EQ(four->last, 4u);
  // Tier 1 ahead of three tier-0 segments: nothing until a fourth small one arrives.
  EXPECT_FALSE(indexer::choose_merge({40, 10, 10, 10}, policy));
  const auto tail = indexer::choose_merge({40, 10, 10, 10, 10}, policy);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->first, 1u);
  EXPECT_EQ(tail->last, 5u);
  // Closing merges the newest tier-0 run, if it has two or more segments.
  const auto closing = indexer::choose_closing_merge({160, 40, 10, 5, 1}, policy);
  ASSERT_TRUE(closing);
  EXPECT_EQ(closing->first, 2u);
  EXPECT_EQ(closing->last, 5u);
  EXPECT_FALSE(indexer::choose_closing_merge({160, 40, 10}, policy));
  EXPECT_FALSE(indexer::choose_closing_merge({160, 40}, policy));
}

TEST(Segments, ManyCommitsMergeInTiersAndKeepEveryArticle) {
  TempDir dir;
  const std::string index = dir / "index";
  constexpr std::size_t kArticles = 2600;
  {
    IndexWriter writer(index, WriterOptions{.batch_size = 50});
    for (std::size_t n = 1; n <= kArticles; ++n) writer.add(numbered(n));
  }
  // 52 commits of 50: merged ten at a time, so far fewer segments than commits.
  const core::Manifest manifest = core::read_manifest(index);
  EXPECT_LT(manifest.segments.size(), 15u);
  EXPECT_GT(manifest.segments.size(), 1u);
  EXPECT_TRUE(manifest.pending_ids.empty());
  // No directory but the live segments is left behind.
  std::size_t directories = 0;
  for (const auto& entry : std::filesystem::directory_iterator(index)) directories += entry.is_directory();
  EXPECT_EQ(directories, manifest.segments.size());

  const Searcher searcher(index);
  EXPECT_EQ(searcher.stats().articles, kArticles);
  // Every article exactly once in index order, paged 1,000 at a time across segments.
  const std::set<std::string> ids = all_ids(index);
  EXPECT_EQ(ids.size(), kArticles);
  // Facets and totals agree with what was written, with and without facet columns.
  SearchRequest request;
  request.query = "oil";
  for (int round = 0; round < 3; ++round) {
    const SearchResponse response = searcher.search(request);
    EXPECT_EQ(response.total, kArticles / 3);
    std::size_t outlets = 0;
    for (const FacetValue& value : response.outlet_facet) outlets += value.count;
    EXPECT_EQ(outlets, kArticles / 3);
  }
  // A word that only one article has is found wherever its segment is.
  for (const std::size_t n : {1u, 1234u, 2600u}) {
    request.query = "number" + std::to_string(n);
    const SearchResponse response = searcher.search(request);
    ASSERT_EQ(response.hits.size(), 1u) << n;
    EXPECT_EQ(response.hits[0].article.id, "doc-" + std::to_string(n));
  }
  // Timelines count from per-segment columns too.
  TimelineRequest timeline;
  timeline.search.query = "gold";
  timeline.by = TimeBucket::kYear;
  const Timeline years = searcher.timeline(timeline);
  std::size_t gold = 0, gold_2020 = 0;
  for (std::size_t n = 1; n <= kArticles; ++n) {
    gold += n % 7 == 0;
    gold_2020 += n % 7 == 0 && n % 5 == 0;
  }
  EXPECT_EQ(years.matches, gold);
  ASSERT_FALSE(years.series.empty());
  ASSERT_FALSE(years.series[0].points.empty());
  EXPECT_EQ(years.series[0].points.front().matches, gold_2020);
}

TEST(Segments, ReplaceAndDeleteReachOlderSegments) {
  TempDir dir;
  const std::string index = dir / "index";
  {
    IndexWriter writer(index, WriterOptions{.batch_size = 10});
    for (std::size_t n = 1; n <= 35; ++n) writer.add(numbered(n));
  }
  {
    IndexWriter writer(index, WriterOptions{.batch_size = 10});
    Article changed = numbered(3, "platinum");
    EXPECT_EQ(writer.add(changed), AddOutcome::kReplaced);
    EXPECT_TRUE(writer.remove("doc-12"));
    EXPECT_FALSE(writer.remove("doc-999"));
    EXPECT_EQ(writer.article_count(), 34u);
    // Replaced twice before the commit: still one article.
    EXPECT_EQ(writer.add(numbered(3, "palladium")), AddOutcome::kReplaced);
    // Removed, then added again in the same batch.
    EXPECT_TRUE(writer.remove("doc-20"));
    EXPECT_EQ(writer.add(numbered(20)), AddOutcome::kAdded);
    writer.commit();
    EXPECT_EQ(writer.article_count(), 34u);
  }
  const Searcher searcher(index);
  EXPECT_EQ(searcher.stats().articles, 34u);
  SearchRequest request;
  request.query = "palladium";
  EXPECT_EQ(searcher.search(request).total, 1u);
  request.query = "platinum";
  EXPECT_EQ(searcher.search(request).total, 0u);
  request.query = "number3";
  EXPECT_EQ(searcher.search(request).total, 1u);
  EXPECT_FALSE(searcher.get("doc-12"));
  EXPECT_TRUE(searcher.get("doc-20"));
  const std::set<std::string> ids = all_ids(index);
  EXPECT_EQ(ids.size(), 34u);
  EXPECT_FALSE(ids.count("doc-12"));
}

// Two committed segments of five articles (doc-1 .. doc-10), written through one lane
// of the index layer itself (a closing IndexWriter would merge them), then the
// articles of `more` in a third segment of their own.
void write_segments(const std::string& index, const std::vector<Article>& more = {}) {
  indexer::SegmentedIndex segments(index, /*create=*/true);
  indexer::DocumentBuilder builder;
  for (std::size_t n = 1; n <= 10; ++n) {
    const Article article = numbered(n);
    segments.store(0, core::schema::id_term(article.id), builder.build(article));
    if (n % 5 == 0) segments.commit();
  }
  if (more.empty()) return;
  for (const Article& article : more) segments.store(0, core::schema::id_term(article.id), builder.build(article));
  segments.commit();
}

TEST(Segments, AWriterFinishesDeletionsACrashLeftPublished) {
  TempDir dir;
  const std::string index = dir / "index";
  write_segments(index);
  // As a writer that crashed after publishing its last segment (holding doc-7 again)
  // but before removing the older copies would leave it: doc-2 and doc-7 still in the
  // first segment, and the list of what to delete in the manifest.
  core::Manifest manifest = core::read_manifest(index);
  ASSERT_GE(manifest.segments.size(), 2u);  // An empty first segment, then 5 and 5.
  ASSERT_TRUE(Xapian::Database(core::segment_path(index, manifest.segments.back())).term_exists("Qdoc-7"));
  manifest.pending_ids = {"doc-2", "doc-7"};
  manifest.pending_before = manifest.segments.back();
  core::write_manifest(index, manifest);
  // And a segment it was still writing, never published.
  std::filesystem::create_directories(core::segment_path(index, core::segment_name(999)));

  { IndexWriter writer(index); }
  const core::Manifest after = core::read_manifest(index);
  EXPECT_TRUE(after.pending_ids.empty());
  EXPECT_FALSE(std::filesystem::exists(core::segment_path(index, core::segment_name(999))));
  const Searcher searcher(index);
  EXPECT_EQ(searcher.stats().articles, 9u);
  EXPECT_FALSE(searcher.get("doc-2"));
  EXPECT_TRUE(searcher.get("doc-7"));  // The copy in the later segment stays.
}

// The state a writer killed between a replacing commit's two steps leaves: the new
// segment (doc-3 again, rewritten) published, the old copy not yet deleted.
std::string index_with_a_replacement_half_done(const TempDir& dir) {
  const std::string index = dir / "index";
  // Stored through the index layer, which asks for no replacement: both copies stay,
  // as the crash left them.
  write_segments(index, {numbered(3, "rewritten")});
  core::Manifest manifest = core::read_manifest(index);
  manifest.pending_ids = {"doc-3"};
  manifest.pending_before = manifest.segments.back();
  core::write_manifest(index, manifest);
  return index;
}

// Takes the index's write lock as a writer (or a reader finishing deletions) does: the
// descriptor holding it, or -1.
int take_write_lock(const std::string& index) {
  const int lock = ::open((std::filesystem::path(index) / core::kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock >= 0 && ::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock);
    return -1;
  }
  return lock;
}

// A reader never sees both copies: with no writer holding the lock, the first reader
// finishes the deletions itself (as SQLite's readers roll back a hot journal).
TEST(Segments, AReaderFinishesDeletionsAKilledWriterLeftPublished) {
  TempDir dir;
  const std::string index = index_with_a_replacement_half_done(dir);
  const Searcher searcher(index);
  EXPECT_EQ(searcher.stats().articles, 10u);
  const std::set<std::string> ids = all_ids(index);  // Fails on an id exported twice.
  EXPECT_EQ(ids.size(), 10u);
  const auto doc3 = searcher.get("doc-3");
  ASSERT_TRUE(doc3);
  EXPECT_NE(doc3->body.find("rewritten"), std::string::npos);
  EXPECT_TRUE(core::read_manifest(index).pending_ids.empty());
}

// With a writer holding the lock (it is finishing the deletions), a reader waits for
// the list that follows instead of opening both copies.
TEST(Segments, AReaderWaitsWhileAWriterFinishesDeletions) {
  TempDir dir;
  const std::string index = index_with_a_replacement_half_done(dir);
  const int lock = take_write_lock(index);
  ASSERT_GE(lock, 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    core::Manifest manifest = core::read_manifest(index);
    core::delete_pending(index, manifest);
    manifest.pending_ids.clear();
    manifest.pending_before.clear();
    core::write_manifest(index, manifest);
    ::close(lock);
  });
  const auto start = std::chrono::steady_clock::now();
  const Searcher searcher(index);
  const auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_EQ(searcher.stats().articles, 10u);
}

// The lock held for a moment (a reader finishing a killed writer's deletions): a writer
// starting then waits for it; held for good (another writer), it says so after a second.
TEST(Segments, AWriterWaitsAMomentForTheLock) {
  TempDir dir;
  const std::string index = index_with_a_replacement_half_done(dir);
  const int lock = take_write_lock(index);
  ASSERT_GE(lock, 0);
  std::thread reader([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::close(lock);
  });
  auto start = std::chrono::steady_clock::now();
  {
    IndexWriter writer(index);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
    EXPECT_EQ(writer.article_count(), 10u);
    reader.join();
    start = std::chrono::steady_clock::now();
    EXPECT_THROW(IndexWriter{index}, IndexLockedError);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  }
}

TEST(Segments, ASingleDatabaseIndexIsConvertedInPlace) {
  TempDir dir;
  const std::string index = dir / "index";
  {
    // The layout before segments: the index directory is one Xapian database.
    Xapian::WritableDatabase database(index, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    indexer::DocumentBuilder builder;
    for (std::size_t n = 1; n <= 4; ++n) {
      const Article article = numbered(n);
      database.replace_document("Q" + article.id, builder.build(article));
    }
    database.commit();
  }
  EXPECT_FALSE(core::has_manifest(index));
  EXPECT_EQ(Searcher(index).stats().articles, 4u);  // Readable as it is.
  {
    IndexWriter writer(index);
    EXPECT_EQ(writer.add(numbered(2, "silver")), AddOutcome::kReplaced);
    EXPECT_EQ(writer.add(numbered(5)), AddOutcome::kAdded);
  }
  EXPECT_TRUE(core::has_manifest(index));
  EXPECT_FALSE(core::is_single_database(index));
  const Searcher searcher(index);
  EXPECT_EQ(searcher.stats().articles, 5u);
  SearchRequest request;
  request.query = "silver";
  EXPECT_EQ(searcher.search(request).total, 1u);
}

TEST(Segments, CompactionLeavesOneSegment) {
  TempDir dir;
  const std::string index = dir / "index";
  {
    IndexWriter writer(index, WriterOptions{.batch_size = 4});
    for (std::size_t n = 1; n <= 30; ++n) writer.add(numbered(n));
  }
  EXPECT_GT(core::read_manifest(index).segments.size(), 1u);
  compact_index(index);
  EXPECT_EQ(core::read_manifest(index).segments.size(), 1u);
  EXPECT_EQ(all_ids(index).size(), 30u);
}

TEST(Segments, AMalformedManifestIsAnErrorNamingTheLine) {
  TempDir dir;
  const std::string index = dir / "index";
  { IndexWriter writer(index); }
  dir.write("index/XAPIANDB", "glass seg-000001\nremote tcp:host\n");
  try {
    Searcher searcher(index);
    FAIL() << "opened a malformed manifest";
  } catch (const IndexError& error) {
    EXPECT_NE(std::string(error.what()).find("XAPIANDB:2"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace gazette
