// A Searcher reading an index that a writer keeps changing: every operation answers,
// reopening the index when a commit discarded what it was reading (Xapian's
// DatabaseModifiedError), and refresh() picks up commits only when there are some.
#include <gtest/gtest.h>

#include "gazette/analytics.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

TEST(SearcherReopen, AnswersWhileAWriterReplacesWhatItReads) {
  auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
  ASSERT_GE(read.articles.size(), 4100u);
  testing::TempDir dir;
  WriterOptions options;
  options.deduplicate = false;
  options.batch_size = 4000;
  {
    IndexWriter writer(dir.path().string(), options);
    for (std::size_t i = 0; i < 4000; ++i) writer.add(read.articles[i]);
    writer.commit();
  }
  Searcher searcher(dir.path().string());
  EXPECT_FALSE(searcher.refresh()) << "nothing committed since opening";
  SearchRequest request;
  request.query = "oil OR bank OR trade";
  const std::size_t total = searcher.search(request).total;
  ASSERT_GT(total, 500u);

  // Each commit replaces articles of the first segment, which the writer then deletes
  // there in place: after a few commits the revision the searcher opened is gone.
  options.batch_size = 300;
  std::size_t answered = 0;
  for (std::size_t round = 0; round < 6; ++round) {
    {
      IndexWriter writer(dir.path().string(), options);
      for (std::size_t i = round * 600; i < round * 600 + 600; ++i) writer.add(read.articles[i]);
      writer.commit();
    }
    // The same searcher, never reopened by the test: each call must still answer, with
    // the totals of some committed state (replacements keep the count).
    request.offset = round * 37 % 200;
    request.limit = 50;
    request.include_body = true;
    const SearchResponse response = searcher.search(request);
    EXPECT_EQ(response.total, total);
    EXPECT_EQ(response.hits.size(), 50u);
    TimelineRequest timeline;
    timeline.search = request;
    EXPECT_EQ(searcher.timeline(timeline).matches, total);
    std::size_t exported = 0;
    searcher.export_matches(request, ExportOrder::kIndex, [&](const Hit&) { return ++exported < 3000; });
    EXPECT_EQ(exported, std::min<std::size_t>(total, 3000));
    EXPECT_TRUE(searcher.get(read.articles[round * 600].id));
    ++answered;
  }
  EXPECT_EQ(answered, 6);
  // (Without the retry, the first round already fails with "The revision being read has
  // been discarded".) refresh() sees a new commit once, then nothing new.
  {
    IndexWriter writer(dir.path().string(), options);
    for (std::size_t i = 4000; i < 4100; ++i) writer.add(read.articles[i]);
    writer.commit();
  }
  EXPECT_EQ(searcher.stats(0).articles, 4000u) << "the view stays put until refreshed";
  EXPECT_TRUE(searcher.refresh()) << "a commit landed since the last view";
  EXPECT_FALSE(searcher.refresh());
  EXPECT_EQ(searcher.stats(0).articles, 4100u);
}

}  // namespace
}  // namespace gazette
