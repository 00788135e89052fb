// Several indexes searched as one: the same answers as one index holding all their
// articles — totals, facet counts, analytics, ids, export — and commits to any of
// them seen by refresh().
#include <gtest/gtest.h>

#include <set>

#include "gazette/analytics.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

TEST(SeveralIndexes, AnswerAsOneIndexOfAllTheirArticles) {
  auto read = testing::read_all({std::string(GAZETTE_SHARED_DIR) + "/corpora/reuters21578/reuters21578.jsonl.zst"});
  ASSERT_GE(read.articles.size(), 3100u);
  testing::TempDir dir;
  const std::string whole = (dir.path() / "whole").string(), first = (dir.path() / "first").string(),
                    second = (dir.path() / "second").string();
  WriterOptions options;
  options.deduplicate = false;
  {
    IndexWriter all(whole, options), one(first, options), two(second, options);
    for (std::size_t i = 0; i < 3000; ++i) {
      all.add(read.articles[i]);
      (i % 3 == 0 ? two : one).add(read.articles[i]);
    }
    all.commit();
    one.commit();
    two.commit();
  }
  const Searcher reference(whole);
  Searcher both(std::vector<std::string>{first, second});
  for (const std::string query : {"oil prices", "bank OR trade", "\"trade deficit\"", "-dollar", "wheat*"}) {
    SearchRequest request;
    request.query = query;
    request.limit = 3000;
    request.date_granularity = DateGranularity::kDay;
    const SearchResponse expected = reference.search(request), got = both.search(request);
    EXPECT_EQ(got.total, expected.total) << query;
    EXPECT_EQ(got.outlet_facet.size(), expected.outlet_facet.size()) << query;
    for (std::size_t i = 0; i < std::min(got.outlet_facet.size(), expected.outlet_facet.size()); ++i) {
      EXPECT_EQ(got.outlet_facet[i].value, expected.outlet_facet[i].value) << query;
      EXPECT_EQ(got.outlet_facet[i].count, expected.outlet_facet[i].count) << query;
    }
    ASSERT_EQ(got.date_facet.size(), expected.date_facet.size()) << query;
    for (std::size_t i = 0; i < got.date_facet.size(); ++i) EXPECT_EQ(got.date_facet[i].count, expected.date_facet[i].count);
    std::set<std::string> expected_ids, got_ids;
    for (const Hit& hit : expected.hits) expected_ids.insert(hit.article.id);
    for (const Hit& hit : got.hits) got_ids.insert(hit.article.id);
    EXPECT_EQ(got_ids, expected_ids) << query;
    TimelineRequest timeline;
    timeline.search = request;
    timeline.by = TimeBucket::kWeek;
    EXPECT_EQ(both.timeline(timeline).matches, reference.timeline(timeline).matches) << query;
    std::size_t exported = 0;
    both.export_matches(request, ExportOrder::kDateNewest, [&](const Hit&) { return ++exported > 0; });
    EXPECT_EQ(exported, expected.total) << query;
  }
  EXPECT_EQ(both.stats(0).articles, 3000u);
  // An article of each index, by id; "more like this" across both.
  EXPECT_TRUE(both.get(read.articles[0].id));  // In the second.
  EXPECT_TRUE(both.get(read.articles[1].id));  // In the first.
  SearchRequest similar;
  similar.like_id = read.articles[1].id;
  EXPECT_GT(both.search(similar).total, 0u);

  // A commit to the second index is seen by refresh().
  {
    IndexWriter two(second, options);
    for (std::size_t i = 3000; i < 3100; ++i) two.add(read.articles[i]);
    two.commit();
  }
  EXPECT_TRUE(both.refresh());
  EXPECT_EQ(both.stats(0).articles, 3100u);
  EXPECT_TRUE(both.get(read.articles[3050].id));
  EXPECT_FALSE(both.refresh());
  EXPECT_THROW(Searcher(std::vector<std::string>{first, (dir.path() / "missing").string()}), IndexError);
}

}  // namespace
}  // namespace gazette
