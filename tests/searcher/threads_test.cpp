// Searchers on several threads of one process while a writer commits small batches:
// every operation answers, every total is one of the committed counts (no search sees
// half a batch), and nothing the threads share behind the library's back (Xapian's
// static queries, whose reference counts are not atomic) is torn.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "gazette/analytics.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

TEST(SearcherThreads, EachThreadsSearcherSeesWholeCommitsOnly) {
  auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
  constexpr std::size_t kFirst = 1000, kBatch = 100, kBatches = 12;
  ASSERT_GE(read.articles.size(), kFirst + kBatch * kBatches);
  testing::TempDir dir;
  WriterOptions options;
  options.deduplicate = false;  // Each batch adds exactly kBatch articles.
  options.batch_size = kBatch;
  IndexWriter writer(dir.path().string(), options);
  for (std::size_t i = 0; i < kFirst; ++i) writer.add(read.articles[i]);
  writer.commit();

  std::set<std::size_t> committed{kFirst};
  for (std::size_t b = 1; b <= kBatches; ++b) committed.insert(kFirst + b * kBatch);
  std::atomic<bool> writing = true;
  std::atomic<std::size_t> operations = 0;
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  const auto fail = [&](const std::string& what) {
    std::lock_guard lock(failures_mutex);
    failures.push_back(what);
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Searcher searcher(dir.path().string());
      for (std::size_t i = t; writing || i < static_cast<std::size_t>(t) + 8; ++i) {
        try {
          searcher.refresh();
          SearchRequest everything;  // No query: every article (built on "match all").
          everything.limit = 3;
          everything.outlet_facet_size = i % 2 == 0 ? 10 : 0;
          everything.date_facet = i % 2 == 0;
          const std::size_t all = searcher.search(everything).total;
          if (!committed.count(all)) fail("search saw " + std::to_string(all) + " articles");
          SearchRequest negative;
          negative.query = "-oil";  // Purely negative: everything but.
          negative.filters.outlets = {"reuters"};
          if (searcher.search(negative).total > all) fail("'-oil' matched more than every article");
          OutletsRequest outlets;
          outlets.search.query = i % 3 == 0 ? "" : "bank OR trade";
          searcher.outlets(outlets);
          TimelineRequest timeline;
          timeline.search.query = "-dollar";
          searcher.timeline(timeline);
          const std::size_t stats = searcher.stats(0).articles;
          if (!committed.count(stats)) fail("stats saw " + std::to_string(stats) + " articles");
          operations += 5;
        } catch (const std::exception& error) {
          fail(error.what());
        }
      }
    });
  }
  for (std::size_t b = 0; b < kBatches; ++b) {
    for (std::size_t i = 0; i < kBatch; ++i) writer.add(read.articles[kFirst + b * kBatch + i]);
    writer.commit();
  }
  writing = false;
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, the first: " << failures.front();
  EXPECT_GE(operations, 4u * 8u * 5u);
  Searcher searcher(dir.path().string());
  EXPECT_EQ(searcher.stats(0).articles, kFirst + kBatches * kBatch);
}

}  // namespace
}  // namespace gazette
