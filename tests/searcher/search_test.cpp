// Tests for writing and searching an index: replacement, deletion, batches, locking,
// query syntax, filters, disjunctive facets, sorting, paging and snippets.
#include <gtest/gtest.h>

#include <set>

#include <algorithm>
#include <filesystem>

#include "gazette/analytics.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

Article make(std::string id, std::string title, std::string body, std::string outlet, const char* date,
             std::vector<std::string> tags = {}, std::string lang = "en") {
  Article article;
  article.id = std::move(id);
  article.title = std::move(title);
  article.body = std::move(body);
  article.outlet = std::move(outlet);
  if (date) article.date = parse_date(date);
  article.tags = std::move(tags);
  article.lang = std::move(lang);
  return article;
}

// A small newsroom: three outlets over two years, one undated article. Every test runs
// on one segment (batch 2000), on segments of 3 articles, and on a segment per article,
// so queries, facets, paging and writes are checked across segments too.
class SearchTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override {
    IndexWriter writer(dir_.path().string(), WriterOptions{.batch_size = GetParam()});
    writer.add(make("a1", "Oil prices rise", "Crude oil prices rose sharply as OPEC cut output.", "Reuters",
                    "2024-12-01", {"energy"}));
    writer.add(make("a2", "Markets calm", "Stocks were flat; oil was little changed.", "Reuters", "2024-12-15",
                    {"markets"}));
    writer.add(make("a3", "OPEC meeting", "Ministers met in Vienna to discuss oil output and prices.",
                    "Associated Press", "2024-11-20", {"energy"}));
    writer.add(make("a4", "Rebels near Damascus", "Rebel forces advanced on Damascus as Assad's army fell back.",
                    "ProtoThema English", "2024-12-07", {"syria"}));
    writer.add(make("a5", "Bashar al-Assad flees", "Bashar al-Assad left Syria, officials in Déraa said.",
                    "Associated Press", "2024-12-08", {"syria"}));
    writer.add(make("a6", "Old oil story", "Oil prices in 1987 were lower.", "Reuters", "1987-03-02", {"energy"}));
    writer.add(make("a7", "Undated note", "A note about oil with no date.", "Blog", nullptr));
    writer.add(make("a8", "Η Αθήνα σήμερα", "Ειδήσεις από την Αθήνα.", "Kathimerini", "2024-12-09", {}, "el"));
    writer.commit();
  }

  SearchResponse search(std::string query, SearchRequest request = {}) const {
    request.query = std::move(query);
    return Searcher(dir_.path().string()).search(request);
  }

  static std::vector<std::string> ids(const SearchResponse& response) {
    std::vector<std::string> out;
    for (const Hit& hit : response.hits) out.push_back(hit.article.id);
    return out;
  }
  static std::size_t count(const std::vector<FacetValue>& facet, const std::string& value) {
    for (const FacetValue& entry : facet) {
      if (entry.value == value) return entry.count;
    }
    return 0;
  }

  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Segments, SearchTest, ::testing::Values(2000, 3, 1),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return "batch" + std::to_string(info.param);
                         });

TEST_P(SearchTest, WordsMatchStemmedAndAllAreRequiredByDefault) {
  EXPECT_EQ(search("oil").total, 5u);
  EXPECT_EQ(search("price").total, 3u);  // "prices" stems to "price".
  const auto both = search("oil prices");
  EXPECT_EQ(both.total, 3u);
  EXPECT_EQ(both.hits.front().article.id, "a1");  // Title match ranks first.
  SearchRequest any;
  any.default_operator = DefaultOperator::kAny;
  EXPECT_EQ(search("damascus vienna", any).total, 2u);
  EXPECT_EQ(search("damascus vienna").total, 0u);
}

TEST_P(SearchTest, DidYouMeanRespellsFromTheIndexVocabulary) {
  SearchResponse response = search("damascas");
  EXPECT_EQ(response.total, 0u);
  EXPECT_EQ(response.suggestion, "damascus");
  EXPECT_EQ(response.suggestion_total, 1u);
  response = search("+rebel -damascas");  // Decoration stays, the word is respelt.
  EXPECT_EQ(response.suggestion, "");      // ... but it would find fewer, so no offer.
  response = search("crude oil prises");
  EXPECT_EQ(response.suggestion, "crude oil prices");
  EXPECT_EQ(search("damascus").suggestion, "") << "a query that finds enough gets none";
  SearchRequest off;
  off.suggest_below = 0;
  EXPECT_EQ(search("damascas", off).suggestion, "");
}

TEST_P(SearchTest, MoreLikeThisFindsArticlesOnTheSameSubject) {
  SearchRequest request;
  request.like_id = "a1";  // Oil prices, OPEC output.
  const SearchResponse response = search("", request);
  const std::vector<std::string> found = ids(response);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(std::count(found.begin(), found.end(), "a1"), 0) << "not itself";
  EXPECT_EQ(found.front(), "a3") << "OPEC, oil, output and prices";
  EXPECT_EQ(std::count(found.begin(), found.end(), "a4"), 0) << "Syria shares no telling word";
  EXPECT_EQ(std::count(found.begin(), found.end(), "a8"), 0);
  request.like_id = "nope";
  EXPECT_THROW(search("", request), Error);
}

TEST_P(SearchTest, HybridSortBlendsRelevanceWithRecency) {
  SearchRequest relevance;
  const std::vector<std::string> by_relevance = ids(search("oil", relevance));
  ASSERT_EQ(by_relevance.size(), 5u);  // a1 a2 a3 a6 a7
  ASSERT_NE(by_relevance.front(), "a2");

  SearchRequest hybrid;
  hybrid.sort = SortOrder::kHybrid;
  hybrid.recency_half_life_days = 1e9;  // Recency too slow to matter: BM25's order.
  EXPECT_EQ(ids(search("oil", hybrid)), by_relevance);

  hybrid.recency_half_life_days = 0.01;  // Only the newest article (a2, 2024-12-15) keeps a score.
  EXPECT_EQ(ids(search("oil", hybrid)).front(), "a2");

  hybrid.recency_half_life_days = 30;
  const SearchResponse month = search("oil", hybrid);
  ASSERT_EQ(month.hits.size(), 5u);
  // The 1987 story decays to nothing, and so does undated a7, as old as the oldest.
  const std::set<std::string> last_two{month.hits[3].article.id, month.hits[4].article.id};
  EXPECT_EQ(last_two, (std::set<std::string>{"a6", "a7"}));
  EXPECT_LT(month.hits[4].score, 1e-100);
  for (std::size_t i = 1; i < month.hits.size(); ++i) EXPECT_GE(month.hits[i - 1].score, month.hits[i].score);
  // Paging cuts the reordered list.
  hybrid.offset = 1;
  hybrid.limit = 2;
  const SearchResponse page = search("oil", hybrid);
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].article.id, month.hits[1].article.id);
  EXPECT_EQ(page.hits[0].rank, 2u);
}

TEST_P(SearchTest, PhrasesAndNear) {
  EXPECT_EQ(ids(search("\"crude oil\"")), std::vector<std::string>{"a1"});
  EXPECT_EQ(search("\"oil crude\"").total, 0u);
  EXPECT_EQ(ids(search("al-Assad")), std::vector<std::string>{"a5"});
  EXPECT_EQ(ids(search("ministers NEAR/6 output")), std::vector<std::string>{"a3"});  // 6 words between.
  EXPECT_EQ(search("ministers NEAR/5 output").total, 0u);
  EXPECT_EQ(search("ministers NEAR output").total, 1u);
  // Phrases and wildcards under NEAR: the words between them count, not their own.
  EXPECT_EQ(ids(search("\"ministers met\" NEAR/5 output")), std::vector<std::string>{"a3"});
  EXPECT_EQ(search("\"ministers met\" NEAR/4 output").total, 0u);
  EXPECT_EQ(ids(search("minist* NEAR/5 \"oil output\"")), std::vector<std::string>{"a3"});
  EXPECT_EQ(search("minist* NEAR/4 \"oil output\"").total, 0u);
  EXPECT_EQ(search("\"output oil\" NEAR ministers").total, 0u);
}

TEST_P(SearchTest, BooleanOperators) {
  EXPECT_EQ(search("oil NOT reuters").total, 5u);  // "reuters" is not in any text.
  EXPECT_EQ(search("oil -opec").total, 3u);
  EXPECT_EQ(search("damascus OR vienna").total, 2u);
  EXPECT_EQ(search("(damascus OR vienna) AND ministers").total, 1u);
  EXPECT_EQ(search("-oil").total, 3u);
}

TEST_P(SearchTest, WildcardAndDiacriticsAndGreek) {
  EXPECT_EQ(ids(search("dama*")), std::vector<std::string>{"a4"});
  EXPECT_EQ(ids(search("pric*", SearchRequest{.sort = SortOrder::kDateOldest})),
            (std::vector<std::string>{"a6", "a3", "a1"}));
  EXPECT_EQ(ids(search("deraa")), std::vector<std::string>{"a5"});
  EXPECT_EQ(ids(search("ΑΘΗΝΑ")), std::vector<std::string>{"a8"});  // Not stemmed, still found.
}

TEST_P(SearchTest, FieldPrefixes) {
  EXPECT_EQ(search("title:oil").total, 2u);
  EXPECT_EQ(search("outlet:associated").total, 2u);
  EXPECT_EQ(search("tag:syria").total, 2u);
  EXPECT_EQ(search("title:(rebels OR opec)").total, 2u);
  EXPECT_EQ(search("title:\"oil prices\"").total, 1u);
  EXPECT_EQ(search("lang:el").total, 1u);
  EXPECT_EQ(ids(search("id:a3")), std::vector<std::string>{"a3"});
}

TEST_P(SearchTest, DateQueries) {
  EXPECT_EQ(search("date:2024-12").total, 5u);
  EXPECT_EQ(search("date:2024-12-07").total, 1u);
  EXPECT_EQ(search("date:1987").total, 1u);
  EXPECT_EQ(search("date:2024-12-01..2024-12-08").total, 3u);
  EXPECT_EQ(search("oil date:..2024-11").total, 2u);
  EXPECT_EQ(search("date:2024-12-09..").total, 2u);
}

TEST_P(SearchTest, SyntaxErrorsNameThePosition) {
  const auto position_of = [&](const std::string& query) -> std::size_t {
    try {
      search(query);
    } catch (const QuerySyntaxError& error) {
      return error.position();
    }
    return 0;
  };
  EXPECT_EQ(position_of("oil AND (prices"), 9u);
  EXPECT_EQ(position_of("oil \"prices"), 5u);
  EXPECT_EQ(position_of("oil)"), 4u);
  EXPECT_EQ(position_of("oil AND"), 5u);
  EXPECT_EQ(position_of("OR oil"), 1u);
  EXPECT_EQ(position_of("date:yesterday"), 6u);
  EXPECT_EQ(position_of("colour:red"), 1u);
  EXPECT_EQ(position_of("oil NEAR"), 5u);
}

TEST_P(SearchTest, EmptyQueryListsEverythingNewestFirst) {
  const auto all = search("", SearchRequest{.limit = 100});
  EXPECT_EQ(all.total, 8u);
  EXPECT_EQ(all.hits.front().article.id, "a2");  // 2024-12-15
  EXPECT_EQ(all.hits.back().article.id, "a7");   // Undated last.
}

TEST_P(SearchTest, AQueryOfNothingSearchableFindsNothingAndSaysWhy) {
  // Emoji, punctuation, symbols and words too long to be terms: nothing analysis keeps.
  for (const std::string& query : std::vector<std::string>{"💥", "!!!", "$$$", "🛢️", std::string(5000, 'x'), "\"!!!\"", "-💥", "title:💥"}) {
    const SearchResponse response = search(query);
    EXPECT_EQ(response.total, 0u) << query;
    EXPECT_TRUE(response.notes.nothing_searchable) << query;
    EXPECT_TRUE(response.hits.empty()) << query;
    EXPECT_EQ(response.suggestion, "") << query;
  }
  EXPECT_EQ(search("💥").notes.ignored, std::vector<std::string>{"💥"});
  // Beside real words such a part is left out and named; the rest searches as usual.
  const SearchResponse mixed = search("oil 💥 !!!");
  EXPECT_EQ(mixed.total, search("oil").total);
  EXPECT_FALSE(mixed.notes.nothing_searchable);
  EXPECT_EQ(mixed.notes.ignored, (std::vector<std::string>{"💥", "!!!"}));
  // An empty query still lists everything, and asks for nothing to be left out.
  EXPECT_EQ(search("").total, 8u);
  EXPECT_FALSE(search("").notes.nothing_searchable);
  EXPECT_EQ(search("   ").total, 8u);
  // The analytics and exports find nothing too.
  const Searcher searcher(dir_.path().string());
  SearchRequest request;
  request.query = "💥";
  EXPECT_TRUE(searcher.query_notes(request).nothing_searchable);
  EXPECT_EQ(searcher.export_matches(request, ExportOrder::kIndex, [](const Hit&) { return true; }), 0u);
  TimelineRequest timeline;
  timeline.search = request;
  const Timeline line = searcher.timeline(timeline);
  EXPECT_EQ(line.matches, 0u);
  EXPECT_EQ(line.in_scope, 8u);
  EXPECT_TRUE(line.notes.nothing_searchable);
  OutletsRequest outlets;
  outlets.search = request;
  EXPECT_EQ(searcher.outlets(outlets).matches, 0u);
  // Plain-words queries (test-collection topics) alike.
  SearchRequest plain;
  plain.plain_words = true;
  EXPECT_EQ(search("!!! ???", plain).total, 0u);
}

TEST(Snippets, AMatchInTheCommentsShowsTheComment) {
  TempDir dir;
  {
    IndexWriter writer(dir.path().string());
    Article article = make("c1", "Rebels advance", "Rebel forces advanced on the capital on Saturday.", "Outlet", "2024-12-07");
    article.comments = "Reader one: nice weather.\n\nReader two: they will find the chemical stockpiles soon.";
    writer.add(article);
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  SearchRequest request;
  request.query = "comments:stockpiles";
  SearchResponse response = searcher.search(request);
  ASSERT_EQ(response.total, 1u);
  EXPECT_NE(response.hits[0].snippet.find("Comments: "), std::string::npos) << response.hits[0].snippet;
  EXPECT_NE(response.hits[0].snippet.find("<mark>stockpiles</mark>"), std::string::npos) << response.hits[0].snippet;
  EXPECT_TRUE(response.hits[0].article.comments.empty()) << "comments stay out of hits unless asked";
  // A match in the body shows the body.
  request.query = "rebel";
  request.include_comments = true;
  response = searcher.search(request);
  ASSERT_EQ(response.total, 1u);
  EXPECT_EQ(response.hits[0].snippet.rfind("<mark>Rebel</mark> forces", 0), 0u) << response.hits[0].snippet;
}

TEST_P(SearchTest, FiltersOrWithinAndAcrossFacets) {
  SearchRequest request;
  request.filters.outlets = {"reuters", "ASSOCIATED PRESS"};
  EXPECT_EQ(search("oil", request).total, 4u);
  request.filters.tags = {"energy"};
  EXPECT_EQ(search("oil", request).total, 3u);
  request.filters.from = parse_period("2024")->first;
  EXPECT_EQ(search("oil", request).total, 2u);
  request.filters.to = parse_period("2024-11")->second;
  EXPECT_EQ(ids(search("oil", request)), std::vector<std::string>{"a3"});
  SearchRequest greek;
  greek.filters.langs = {"el"};
  EXPECT_EQ(search("", greek).total, 1u);
}

TEST_P(SearchTest, FacetCountsAreDisjunctive) {
  SearchRequest request;
  request.filters.outlets = {"Reuters"};
  request.date_granularity = DateGranularity::kYear;
  const auto response = search("oil", request);
  EXPECT_EQ(response.total, 3u);
  // The outlet facet ignores the outlet filter: it shows what the others would add.
  EXPECT_EQ(count(response.outlet_facet, "Reuters"), 3u);
  EXPECT_EQ(count(response.outlet_facet, "Associated Press"), 1u);
  EXPECT_EQ(count(response.outlet_facet, "Blog"), 1u);
  // The date facet honours the outlet filter.
  EXPECT_EQ(count(response.date_facet, "2024"), 2u);
  EXPECT_EQ(count(response.date_facet, "1987"), 1u);
  EXPECT_EQ(response.undated, 0u);

  SearchRequest dated;
  dated.filters.from = parse_period("2024-12")->first;
  dated.date_granularity = DateGranularity::kMonth;
  const auto by_month = search("oil", dated);
  EXPECT_EQ(by_month.total, 2u);
  EXPECT_EQ(count(by_month.date_facet, "2024-11"), 1u);  // Ignores its own filter.
  EXPECT_EQ(count(by_month.date_facet, "2024-12"), 2u);
  EXPECT_EQ(by_month.undated, 1u);
  EXPECT_EQ(count(by_month.outlet_facet, "Reuters"), 2u);  // Honours the date filter.
}

TEST_P(SearchTest, UndatedArticlesAreSelectedOrLeftOut) {
  SearchRequest request;
  EXPECT_EQ(search("oil", request).total, 5u) << "undated articles are searched as any";
  request.filters.undated = UndatedFilter::kOnly;
  const auto only = search("oil", request);
  EXPECT_EQ(ids(only), std::vector<std::string>{"a7"});
  EXPECT_EQ(only.undated, 1u);
  request.filters.undated = UndatedFilter::kExclude;
  const auto dated = search("oil", request);
  EXPECT_EQ(dated.total, 4u);
  for (const Hit& hit : dated.hits) EXPECT_TRUE(hit.article.date) << hit.article.id;
  EXPECT_EQ(dated.undated, 1u) << "the date facet leaves the date filters out: it still counts them";
  request.filters.undated = UndatedFilter::kOnly;
  EXPECT_EQ(search("", request).total, 1u);
}

TEST_P(SearchTest, FacetColumnsCountLikeTheMatchSpies) {
  // A long-lived Searcher switches to in-memory facet columns from its second faceted
  // search; every facet must come out as a fresh Searcher (match spies) counts it.
  std::vector<SearchRequest> requests(4);
  requests[0].query = "oil";
  requests[1].query = "";
  requests[1].date_granularity = DateGranularity::kDay;
  requests[2].query = "oil";
  requests[2].filters.outlets = {"Reuters"};
  requests[2].date_granularity = DateGranularity::kYear;
  requests[3].query = "syria OR oil";
  requests[3].filters.from = parse_period("2024-12")->first;
  const Searcher reused(dir_.path().string());
  for (int round = 0; round < 3; ++round) {
    for (SearchRequest request : requests) {
      const std::string query = request.query;
      const SearchResponse columns = reused.search(request);
      const SearchResponse spies = search(query, request);
      EXPECT_EQ(columns.total, spies.total) << query;
      ASSERT_EQ(columns.outlet_facet.size(), spies.outlet_facet.size()) << query;
      for (std::size_t i = 0; i < spies.outlet_facet.size(); ++i) {
        EXPECT_EQ(columns.outlet_facet[i].value, spies.outlet_facet[i].value) << query;
        EXPECT_EQ(columns.outlet_facet[i].count, spies.outlet_facet[i].count) << query;
      }
      ASSERT_EQ(columns.date_facet.size(), spies.date_facet.size()) << query;
      for (std::size_t i = 0; i < spies.date_facet.size(); ++i) {
        EXPECT_EQ(columns.date_facet[i].value, spies.date_facet[i].value) << query;
        EXPECT_EQ(columns.date_facet[i].count, spies.date_facet[i].count) << query;
      }
      EXPECT_EQ(columns.undated, spies.undated) << query;
    }
  }
  // After a writer adds an article, reopen() rebuilds the columns from the new revision.
  Searcher long_lived(dir_.path().string());
  long_lived.search(requests[0]);
  EXPECT_EQ(count(long_lived.search(requests[0]).outlet_facet, "New Outlet"), 0u);  // Columns built.
  {
    IndexWriter writer(dir_.path().string());
    writer.add(make("a10", "More oil", "Oil again.", "New Outlet", "2024-12-20"));
  }
  long_lived.reopen();
  const SearchResponse after = long_lived.search(requests[0]);
  EXPECT_EQ(count(after.outlet_facet, "New Outlet"), 1u);
}

TEST_P(SearchTest, FacetCountsSumToTotal) {
  const auto response = search("", SearchRequest{.outlet_facet_size = 100, .date_granularity = DateGranularity::kDay});
  std::size_t outlets = 0, dates = 0;
  for (const auto& value : response.outlet_facet) outlets += value.count;
  for (const auto& value : response.date_facet) dates += value.count;
  EXPECT_EQ(outlets, response.total);
  EXPECT_EQ(dates + response.undated, response.total);
  EXPECT_EQ(response.outlet_facet.front().value, "Reuters");  // Most frequent first.
}

TEST_P(SearchTest, SortingAndPaging) {
  SearchRequest request;
  request.sort = SortOrder::kDateOldest;
  request.limit = 2;
  EXPECT_EQ(ids(search("oil", request)), (std::vector<std::string>{"a7", "a6"}));
  request.offset = 2;
  const auto page = search("oil", request);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a3", "a1"}));
  EXPECT_EQ(page.hits.front().rank, 3u);
  EXPECT_EQ(page.total, 5u);
  request.sort = SortOrder::kDateNewest;
  request.offset = 0;
  EXPECT_EQ(ids(search("oil", request)), (std::vector<std::string>{"a2", "a1"}));
  request.offset = 10;
  EXPECT_TRUE(search("oil", request).hits.empty());
}

TEST_P(SearchTest, SnippetsHighlightMatchesAndBodiesStayOut) {
  const auto response = search("crude prices");
  ASSERT_EQ(response.hits.size(), 1u);
  EXPECT_EQ(response.hits[0].snippet,
            "<mark>Crude</mark> oil <mark>prices</mark> rose sharply as OPEC cut output.");
  EXPECT_TRUE(response.hits[0].article.body.empty());
  SearchRequest with_body;
  with_body.include_body = true;
  EXPECT_FALSE(search("crude", with_body).hits[0].article.body.empty());
}

TEST_P(SearchTest, ReplacingAndDeleting) {
  {
    IndexWriter writer(dir_.path().string());
    EXPECT_EQ(writer.add(make("a1", "Oil prices fall", "Now they fall.", "Reuters", "2024-12-02")),
              AddOutcome::kReplaced);
    EXPECT_TRUE(writer.remove("a2"));
    EXPECT_FALSE(writer.remove("no-such-id"));
    writer.commit();
    EXPECT_EQ(writer.article_count(), 7u);
  }
  const Searcher searcher(dir_.path().string());
  EXPECT_EQ(searcher.get("a1")->title, "Oil prices fall");
  EXPECT_FALSE(searcher.get("a2"));
  EXPECT_EQ(search("crude").total, 0u);
}

TEST_P(SearchTest, StatsDescribeTheIndex) {
  const IndexStats stats = Searcher(dir_.path().string()).stats(2);
  EXPECT_EQ(stats.articles, 8u);
  EXPECT_EQ(stats.undated, 1u);
  EXPECT_EQ(format_day(*stats.first_date), "1987-03-02");
  EXPECT_EQ(format_day(*stats.last_date), "2024-12-15");
  EXPECT_EQ(stats.outlet_count, 5u);
  ASSERT_EQ(stats.top_outlets.size(), 2u);
  EXPECT_EQ(stats.top_outlets[0].value, "Reuters");
  EXPECT_GT(stats.size_bytes, 0u);
}

TEST_P(SearchTest, CompactionKeepsEveryArticleAndResult) {
  const auto before = search("oil", SearchRequest{.limit = 100});
  const CompactResult result = compact_index(dir_.path().string());
  EXPECT_GT(result.bytes_before, 0u);
  EXPECT_LE(result.bytes_after, result.bytes_before);
  const auto after = search("oil", SearchRequest{.limit = 100});
  EXPECT_EQ(ids(after), ids(before));
  EXPECT_EQ(after.outlet_facet.size(), before.outlet_facet.size());
  EXPECT_EQ(Searcher(dir_.path().string()).stats().articles, 8u);
  // The compacted index is still writable.
  IndexWriter writer(dir_.path().string());
  EXPECT_EQ(writer.add(make("a9", "New after compaction", "", "Blog", nullptr)), AddOutcome::kAdded);
}

TEST(IndexWriter, CompactionWaitsForNoWriter) {
  TempDir dir;
  IndexWriter writer(dir.path().string());
  EXPECT_THROW(compact_index(dir.path().string()), IndexLockedError);
}

TEST(IndexWriter, UncommittedBatchIsNotVisibleAndRollbackDropsIt) {
  TempDir dir;
  IndexWriter writer(dir.path().string(), WriterOptions{.batch_size = 3});
  writer.add(make("1", "one", "", "X", nullptr));
  writer.add(make("2", "two", "", "X", nullptr));
  EXPECT_EQ(Searcher(dir.path().string()).stats().articles, 0u);
  writer.add(make("3", "three", "", "X", nullptr));  // Fills the batch: committed.
  EXPECT_EQ(Searcher(dir.path().string()).stats().articles, 3u);
  writer.add(make("4", "four", "", "X", nullptr));
  writer.rollback();
  writer.commit();
  EXPECT_EQ(Searcher(dir.path().string()).stats().articles, 3u);
}

TEST(IndexWriter, SameIdTwiceInOneBatchCountsAsReplaced) {
  TempDir dir;
  IndexWriter writer(dir.path().string());
  EXPECT_EQ(writer.add(make("1", "one", "", "X", nullptr)), AddOutcome::kAdded);
  EXPECT_EQ(writer.add(make("1", "one again", "", "X", nullptr)), AddOutcome::kReplaced);
  writer.commit();
  EXPECT_EQ(writer.article_count(), 1u);
}

// One writing lane or several, the bulk pipeline must behave like add().
class AsyncAdds : public ::testing::TestWithParam<unsigned> {};
INSTANTIATE_TEST_SUITE_P(WritingLanes, AsyncAdds, ::testing::Values(1u, 3u));

TEST_P(AsyncAdds, KeepInputOrderAndReplaceRepeatedIds) {
  TempDir dir;
  IndexWriter writer(dir.path().string(),
                     WriterOptions{.batch_size = 7, .analysis_threads = 3, .writers = GetParam()});
  std::vector<std::pair<int, AddOutcome>> outcomes;
  for (int i = 0; i < 300; ++i) {
    // Every tenth article repeats an earlier id: replaced, whichever thread analyses it.
    const std::string id = i % 10 == 9 ? std::to_string(i - 9) : std::to_string(i);
    writer.add_async(make(id, "Title " + std::to_string(i), "Body words for article " + std::to_string(i),
                          "Outlet", "2024-01-01"),
                     [&outcomes, i](AddOutcome outcome) { outcomes.emplace_back(i, outcome); });
  }
  writer.commit();
  ASSERT_EQ(outcomes.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(outcomes[i].first, i);
    EXPECT_EQ(outcomes[i].second, i % 10 == 9 ? AddOutcome::kReplaced : AddOutcome::kAdded) << i;
  }
  EXPECT_EQ(writer.article_count(), 270u);
  // The later version of a repeated id wins, as in a sequential run.
  EXPECT_EQ(Searcher(dir.path().string()).get("0")->title, "Title 9");
  EXPECT_THROW(writer.add_async(Article{}, [](AddOutcome) {}), Error);
  writer.add_async(make("0", "Title again", "", "Outlet", nullptr), [](AddOutcome outcome) {
    EXPECT_EQ(outcome, AddOutcome::kReplaced);
  });
  writer.commit();
  EXPECT_EQ(writer.article_count(), 270u);
}

TEST(IndexWriter, SeveralLanesAreCommittedByTheDestructor) {
  // The destructor writes every queued article but runs none of their callbacks: it
  // may run while the caller unwinds, past the scope of what a callback captured (the
  // CLI's counters were read after their scope when a full disk threw, under ASan).
  TempDir dir;
  int reported = 0;
  int reported_before_destruction = 0;
  {
    IndexWriter writer(dir.path().string(), WriterOptions{.writers = 2});
    for (int i = 0; i < 50; ++i) {
      writer.add_async(make(std::to_string(i), "Title " + std::to_string(i), "Body", "Outlet", nullptr),
                       [&reported](AddOutcome) { ++reported; });
    }
    reported_before_destruction = reported;
  }
  EXPECT_EQ(reported, reported_before_destruction);
  EXPECT_LT(reported, 50);  // The last article's callback can only run in a later call.
  EXPECT_EQ(Searcher(dir.path().string()).stats().articles, 50u);
}

TEST(IndexWriter, DuplicatesAreFoundAcrossLanesWithinABatch) {
  // The same text from the same outlet under 40 ids, routed to different lanes before
  // anything is committed: the first is stored, every later one is a duplicate.
  TempDir dir;
  std::vector<AddOutcome> outcomes;
  {
    IndexWriter writer(dir.path().string(), WriterOptions{.writers = 3});
    for (int i = 0; i < 40; ++i) {
      writer.add_async(make(std::to_string(i), "Same title", "The same body every time.", "Outlet", nullptr),
                       [&outcomes](AddOutcome outcome) { outcomes.push_back(outcome); });
    }
    writer.commit();
  }
  ASSERT_EQ(outcomes.size(), 40u);
  EXPECT_EQ(outcomes[0], AddOutcome::kAdded);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), AddOutcome::kDuplicate), 39);
  EXPECT_EQ(Searcher(dir.path().string()).stats().articles, 1u);
}

TEST(IndexWriter, SecondWriterGetsALockError) {
  TempDir dir;
  IndexWriter first(dir.path().string());
  try {
    IndexWriter second(dir.path().string());
    FAIL() << "second writer opened";
  } catch (const IndexLockedError& error) {
    EXPECT_NE(std::string(error.what()).find("index is locked by another writer"), std::string::npos);
  }
}

TEST(Searcher, MissingIndexIsAClearError) {
  try {
    Searcher searcher("/no/such/index");
    FAIL() << "opened a missing index";
  } catch (const IndexError& error) {
    EXPECT_NE(std::string(error.what()).find("no index at /no/such/index"), std::string::npos);
  }
}

}  // namespace
}  // namespace gazette

namespace gazette {
namespace {

// Exact duplicates are not stored again; near-duplicate copies share a story, which
// --collapse story folds into one hit listing the other outlets.
TEST(Duplicates, ExactSkippedNearGroupedAndCollapsed) {
  TempDir dir;
  const std::string wire =
      "The central bank raised its main interest rate by a quarter point on Thursday, the third increase this "
      "year, saying inflation remained well above its target. The governor told reporters that further "
      "increases could not be ruled out if energy prices kept rising through the winter months. Markets had "
      "expected the move, and the currency rose slightly against the dollar after the announcement.";
  const std::string edited =
      "The central bank raised its main interest rate by a quarter point on Thursday, the third increase this "
      "year, saying inflation remained well above its target. Markets had expected the move, and the currency "
      "rose slightly against the dollar after the announcement. Reporting by our correspondent.";
  const std::string unrelated =
      "Volunteers at the wetland reserve counted fourteen thousand common cranes on Sunday morning, the highest "
      "number since the count began, as mild weather kept the birds from flying further south this autumn.";
  {
    IndexWriter writer(dir.path().string());
    EXPECT_EQ(writer.add(make("w1", "Bank raises rates", wire, "Wire One", "2024-12-05")), AddOutcome::kAdded);
    EXPECT_EQ(writer.add(make("w2", "Bank raises rates", wire, "Wire One", "2024-12-05")), AddOutcome::kDuplicate);
    EXPECT_EQ(writer.add(make("w1", "Bank raises rates", wire, "Wire One", "2024-12-05")), AddOutcome::kReplaced)
        << "re-adding the same id is a replacement, not a duplicate";
    // The same text from another outlet: a syndicated copy, kept in the same story, as
    // are identical headlines too short for near-duplicate signatures.
    EXPECT_EQ(writer.add(make("w4", "Bank raises rates", wire, "Syndicating Daily", "2024-12-06")), AddOutcome::kAdded);
    EXPECT_EQ(writer.add(make("h1", "Bank raises rates again", "", "Headline Wire", "2024-12-06")), AddOutcome::kAdded);
    EXPECT_EQ(writer.add(make("h2", "Bank raises rates again", "", "Other Wire", "2024-12-06")), AddOutcome::kAdded);
    EXPECT_EQ(writer.add(make("w3", "Central bank lifts rate again", edited, "Paper Three", "2024-12-05")),
              AddOutcome::kAdded);
    EXPECT_EQ(writer.add(make("c1", "Record crane count", unrelated, "Nature Desk", "2024-12-05")), AddOutcome::kAdded);
    Article same_url = make("u1", "Different words entirely", "Short.", "Wire Four", "2024-12-05");
    same_url.url = "https://example.com/a";
    Article same_url_again = same_url;
    same_url_again.id = "u2";
    EXPECT_EQ(writer.add(same_url), AddOutcome::kAdded);
    EXPECT_EQ(writer.add(same_url_again), AddOutcome::kDuplicate);
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  EXPECT_EQ(searcher.get("w3")->story, "w1");
  EXPECT_EQ(searcher.get("w4")->story, "w1");
  EXPECT_EQ(searcher.get("h2")->story, "h1");
  EXPECT_EQ(searcher.get("w1")->story, "w1");
  EXPECT_EQ(searcher.get("c1")->story, "c1");
  EXPECT_FALSE(searcher.get("w2"));

  SearchRequest request;
  SearchRequest like;
  like.like_id = "w1";
  for (const Hit& hit : searcher.search(like).hits) {
    EXPECT_NE(hit.article.story, "w1") << hit.article.id << ": copies of the story itself are left out";
  }
  request.query = "central bank";
  EXPECT_EQ(searcher.search(request).total, 3u);
  request.collapse_stories = true;
  const SearchResponse collapsed = searcher.search(request);
  ASSERT_EQ(collapsed.total, 1u);
  EXPECT_EQ(collapsed.hits[0].other_copies, 2u);
  ASSERT_EQ(collapsed.hits[0].also_in.size(), 2u);
  EXPECT_EQ(std::count(collapsed.hits[0].also_in.begin(), collapsed.hits[0].also_in.end(),
                       collapsed.hits[0].article.outlet), 0);
}

// A dated series of one outlet's near-identical reports (daily Fed operations) is one
// story a day; copies from other outlets join within a week; a story id the input
// carries is the story, duplicates looked for or not.
TEST(Duplicates, StoriesAreOneEventsCopiesAndTheInputsOwnIds) {
  TempDir dir;
  const auto report = [](const std::string& amount) {
    return "The Federal Reserve entered the government securities market to arrange " + amount +
           " billion dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said Federal funds were "
           "trading at six pct when the Fed began its temporary and indirect supply of reserves to the banking "
           "system, and the market expected the move.";
  };
  {
    IndexWriter writer(dir.path().string());
    writer.add(make("fed1", "FED ADDS RESERVES", report("1.5"), "Reuters", "1987-03-20"));
    writer.add(make("fed2", "FED ADDS RESERVES", report("2.0"), "Reuters", "1987-03-23"));
    writer.add(make("fed3", "FED ADDS RESERVES", report("1.0"), "Reuters", "1987-03-23"));  // Same day: an update.
    writer.add(make("copy", "Fed adds reserves", report("1.5"), "Daily Paper", "1987-03-21"));
    writer.add(make("late", "Fed adds reserves", report("1.5"), "Monthly Review", "1987-05-02"));
    Article carried = make("s1", "Plane missing", "", "Outlet A", "2014-03-11");
    carried.story = "ddUyU0VZz0B";
    writer.add(carried);
    Article carried_too = make("s2", "Search for the jet widens", "", "Outlet B", "2014-03-12");
    carried_too.story = "ddUyU0VZz0B";
    writer.add(carried_too);
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  EXPECT_EQ(searcher.get("fed1")->story, "fed1");
  EXPECT_EQ(searcher.get("fed2")->story, "fed2") << "the next day's report is a story of its own";
  EXPECT_EQ(searcher.get("fed3")->story, "fed2");
  EXPECT_EQ(searcher.get("copy")->story, "fed1") << "another outlet's copy the next day";
  EXPECT_EQ(searcher.get("late")->story, "late") << "six weeks later: another story";
  EXPECT_EQ(searcher.get("s1")->story, "ddUyU0VZz0B");
  EXPECT_EQ(searcher.get("s2")->story, "ddUyU0VZz0B");
  SearchRequest request;
  request.query = "plane OR jet";
  request.collapse_stories = true;
  const SearchResponse collapsed = searcher.search(request);
  ASSERT_EQ(collapsed.total, 1u);
  EXPECT_EQ(collapsed.hits[0].other_copies, 1u);

  // Without duplicate detection the input's story still holds.
  TempDir kept;
  {
    IndexWriter writer(kept.path().string(), WriterOptions{.deduplicate = false});
    Article carried = make("s1", "Plane missing", "", "Outlet A", "2014-03-11");
    carried.story = "cluster-7";
    writer.add(carried);
    writer.commit();
  }
  EXPECT_EQ(Searcher(kept.path().string()).get("s1")->story, "cluster-7");
}

}  // namespace
}  // namespace gazette

namespace gazette {
namespace {

// A query word also matches its stem in each language of the index: an English query
// finds the French article whose stemmer made "habitu" of "habitués", and phrases
// keep to the query language.
TEST(Multilingual, QueryWordsMatchTheStemsOfEveryIndexedLanguage) {
  TempDir dir;
  {
    IndexWriter writer(dir.path().string());
    writer.add(make("fr1", "Le café du port rouvre", "Les habitués ont retrouvé leurs tables près des fenêtres.",
                    "Le Monde", "2024-12-06", {}, "fr"));
    writer.add(make("en1", "Harbour cafe reopens", "Regulars found their tables by the windows again.", "Courier",
                    "2024-12-06", {}, "en"));
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  auto ids_for = [&](const std::string& query, const std::string& lang = "en") {
    SearchRequest request;
    request.query = query;
    request.lang = lang;
    std::vector<std::string> out;
    for (const Hit& hit : searcher.search(request).hits) out.push_back(hit.article.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  // English stems "habitués" to "habitué", French to "habitu": only the French one is indexed.
  EXPECT_EQ(ids_for("habitués"), std::vector<std::string>{"fr1"});
  EXPECT_EQ(ids_for("fenêtres"), std::vector<std::string>{"fr1"});
  EXPECT_EQ(ids_for("tables"), (std::vector<std::string>{"en1", "fr1"}));
  EXPECT_EQ(ids_for("windows"), std::vector<std::string>{"en1"});
  EXPECT_EQ(ids_for("\"retrouvé leurs tables\"", "fr"), std::vector<std::string>{"fr1"});
}

TEST(Ranking, ProximityBoostsArticlesWhereQueryWordsStandTogether) {
  TempDir dir;
  {
    IndexWriter writer(dir.path().string());
    // Same words, same lengths, so the same BM25 score: only the distance differs.
    writer.add(make("apart", "", "Oil fell in many markets across the whole region on Monday, traders said, as prices did.",
                    "Wire", "2024-12-01"));
    writer.add(make("together", "", "Oil prices fell in many markets across the whole region on Monday, traders said, as did.",
                    "Wire", "2024-12-01"));
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  const auto run = [&](double weight, unsigned window) {
    SearchRequest request;
    request.query = "oil prices";
    request.proximity_weight = weight;
    request.proximity_window = window;
    return searcher.search(request);
  };
  const SearchResponse plain = run(0, 8);
  ASSERT_EQ(plain.hits.size(), 2u);
  EXPECT_DOUBLE_EQ(plain.hits[0].score, plain.hits[1].score);
  const SearchResponse near = run(0.5, 8);
  ASSERT_EQ(near.hits.size(), 2u);
  EXPECT_EQ(near.hits[0].article.id, "together");
  // The boost is the pair's own weight scaled: half again of the plain score.
  EXPECT_NEAR(near.hits[0].score, 1.5 * plain.hits[0].score, 1e-9);
  EXPECT_DOUBLE_EQ(near.hits[1].score, plain.hits[1].score);
  // A window wide enough for both articles boosts both.
  const SearchResponse wide = run(0.5, 20);
  EXPECT_DOUBLE_EQ(wide.hits[0].score, wide.hits[1].score);
  // The boost never adds matches: still both, and no more.
  EXPECT_EQ(near.total, plain.total);
}

TEST(Ranking, StopwordsLeaveTheRankedPartOfAQuery) {
  TempDir dir;
  {
    IndexWriter writer(dir.path().string());
    writer.add(make("s1", "The state of the union", "The speech of the president.", "Wire", "2024-12-01"));
    writer.add(make("s2", "Union talks", "Union leaders met.", "Wire", "2024-12-02"));
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  const auto total = [&](const std::string& query, const std::string& stopwords) {
    SearchRequest request;
    request.query = query;
    request.stopwords = stopwords;
    return searcher.search(request).total;
  };
  // Every word is required by default: "the" would rule out s2.
  EXPECT_EQ(total("the union", "auto"), 2u);
  EXPECT_EQ(total("the union", "none"), 1u);
  EXPECT_EQ(total("\"state of the union\"", "auto"), 1u);
  EXPECT_EQ(total("the of", "auto"), 1u);  // Only stopwords: searched as they are.
}

}  // namespace
}  // namespace gazette
