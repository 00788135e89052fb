// Tests for the analytics stage: timelines (buckets, ISO weeks around New Year, empty
// buckets, undated articles, filters, per-outlet series), outlet coverage, collections
// files, and the export of every match in each order.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "gazette/analytics.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

Article make(std::string id, std::string body, std::string outlet, const char* date) {
  Article article;
  article.id = std::move(id);
  article.title = "";
  article.body = std::move(body);
  article.outlet = std::move(outlet);
  if (date) article.date = parse_date(date);
  article.lang = "en";
  return article;
}

// Articles around New Year 2021, when ISO week 53 of 2020 runs into January.
class TimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriterOptions options;
    options.deduplicate = false;
    IndexWriter writer(dir_.path().string(), options);
    writer.add(make("a", "flood warning issued", "Herald", "2019-12-30T09:00:00Z"));  // Monday, 2020-W01.
    writer.add(make("b", "market report", "Herald", "2020-12-27T23:59:59Z"));         // Sunday, 2020-W52.
    writer.add(make("c", "flood waters rise", "Courier", "2020-12-31T12:00:00Z"));    // Thursday, 2020-W53.
    writer.add(make("d", "flood relief", "Courier", "2021-01-03T22:00:00Z"));         // Sunday, 2020-W53.
    writer.add(make("e", "sports round-up", "Courier", "2021-01-04T00:00:00Z"));      // Monday, 2021-W01.
    writer.add(make("f", "flood defences", "Herald", "2021-01-19T08:00:00Z"));        // 2021-W03.
    writer.add(make("g", "flood archive note", "Gazette", nullptr));                  // Undated.
    writer.add(make("h", "weather", "Gazette", nullptr));                             // Undated.
    writer.commit();
  }

  Timeline timeline(const std::string& query, TimeBucket by, std::size_t per_outlet = 0, Filters filters = {}) const {
    TimelineRequest request;
    request.search.query = query;
    request.search.filters = std::move(filters);
    request.by = by;
    request.per_outlet = per_outlet;
    return Searcher(dir_.path().string()).timeline(request);
  }

  TempDir dir_;
};

std::vector<std::string> labels(const TimelineSeries& series) {
  std::vector<std::string> out;
  for (const TimelinePoint& point : series.points) out.push_back(point.label);
  return out;
}
std::vector<std::size_t> matches(const TimelineSeries& series) {
  std::vector<std::size_t> out;
  for (const TimelinePoint& point : series.points) out.push_back(point.matches);
  return out;
}
std::vector<std::size_t> in_scope(const TimelineSeries& series) {
  std::vector<std::size_t> out;
  for (const TimelinePoint& point : series.points) out.push_back(point.in_scope);
  return out;
}

TEST_F(TimelineTest, IsoWeeksAroundNewYearWithEmptyWeeksAsZeros) {
  const Timeline weekly = timeline("flood", TimeBucket::kWeek);
  ASSERT_EQ(weekly.series.size(), 1u);
  const TimelineSeries& all = weekly.series.front();
  EXPECT_EQ(all.name, "all");
  // 2020-W01 (starting Monday 2019-12-30) to 2021-W03, every week there.
  ASSERT_EQ(all.points.size(), 56u);
  EXPECT_EQ(all.points.front().label, "2020-W01");
  EXPECT_EQ(format_timestamp(all.points.front().start), "2019-12-30T00:00:00Z");
  EXPECT_EQ(all.points[51].label, "2020-W52");
  EXPECT_EQ(all.points[52].label, "2020-W53");
  EXPECT_EQ(format_timestamp(all.points[52].start), "2020-12-28T00:00:00Z");
  EXPECT_EQ(all.points[53].label, "2021-W01");
  EXPECT_EQ(all.points.back().label, "2021-W03");
  EXPECT_EQ(all.points[0].matches, 1u);
  EXPECT_EQ(all.points[51].matches, 0u);   // "market report" is in scope, not a match.
  EXPECT_EQ(all.points[51].in_scope, 1u);
  EXPECT_EQ(all.points[52].matches, 2u);   // Thursday 31 Dec and Sunday 3 Jan: one ISO week.
  EXPECT_EQ(all.points[53].matches, 0u);
  EXPECT_EQ(all.points[53].in_scope, 1u);
  EXPECT_EQ(all.points[10].in_scope, 0u);  // An empty week in the middle.
  EXPECT_TRUE(all.points[10].gap()) << "no article in scope: no data, not zero";
  EXPECT_FALSE(all.points[51].gap()) << "an article in scope that does not match: a real zero";
  EXPECT_FALSE(all.points[53].gap());
  EXPECT_DOUBLE_EQ(all.points[52].ratio(), 1.0);
  // Undated articles are in no bucket and reported apart.
  EXPECT_EQ(weekly.matches, 5u);
  EXPECT_EQ(weekly.undated_matches, 1u);
  EXPECT_EQ(weekly.in_scope, 8u);
  EXPECT_EQ(weekly.undated_in_scope, 2u);
}

TEST_F(TimelineTest, DaysMonthsAndYears) {
  const Timeline yearly = timeline("flood", TimeBucket::kYear);
  EXPECT_EQ(labels(yearly.series[0]), (std::vector<std::string>{"2019", "2020", "2021"}));
  EXPECT_EQ(matches(yearly.series[0]), (std::vector<std::size_t>{1, 1, 2}));
  EXPECT_EQ(in_scope(yearly.series[0]), (std::vector<std::size_t>{1, 2, 3}));
  const Timeline monthly = timeline("flood", TimeBucket::kMonth);
  ASSERT_EQ(monthly.series[0].points.size(), 14u);  // 2019-12 .. 2021-01.
  EXPECT_EQ(monthly.series[0].points[12].label, "2020-12");
  EXPECT_EQ(monthly.series[0].points[12].matches, 1u);
  EXPECT_EQ(monthly.series[0].points[13].matches, 2u);
  const Timeline daily = timeline("flood", TimeBucket::kDay);
  ASSERT_EQ(daily.series[0].points.size(), 387u);  // 2019-12-30 .. 2021-01-19.
  EXPECT_EQ(daily.series[0].points.front().label, "2019-12-30");
  EXPECT_EQ(daily.series[0].points.back().label, "2021-01-19");
  std::size_t sum = 0;
  for (const TimelinePoint& point : daily.series[0].points) sum += point.matches;
  EXPECT_EQ(sum + daily.undated_matches, daily.matches);
}

TEST_F(TimelineTest, EmptyEndsAreLeftOutUnlessTheRangeAsksForThem) {
  const Timeline plain = timeline("flood", TimeBucket::kMonth);
  EXPECT_EQ(plain.series[0].points.front().label, "2019-12") << "starts at the first dated article in scope";
  Filters range;
  range.from = parse_period("2019-10")->first;
  range.to = parse_period("2021-03")->second;
  const Timeline asked = timeline("flood", TimeBucket::kMonth, 0, range);
  ASSERT_EQ(asked.series[0].points.size(), 18u);  // 2019-10 .. 2021-03.
  EXPECT_EQ(asked.series[0].points.front().label, "2019-10");
  EXPECT_TRUE(asked.series[0].points.front().gap());
  EXPECT_EQ(asked.series[0].points.back().label, "2021-03");
  EXPECT_TRUE(asked.series[0].points.back().gap());
  // A range that would be millions of buckets is refused, not built.
  Filters huge;
  huge.from = parse_period("1990")->first;
  huge.to = parse_period("2400")->second;
  EXPECT_THROW(timeline("flood", TimeBucket::kDay, 0, huge), Error);
  // Under the bucket cap, but split by outlet it would be over the cap on points.
  Filters long_range;
  long_range.from = parse_period("1990")->first;
  long_range.to = parse_period("2200")->second;
  EXPECT_EQ(timeline("flood", TimeBucket::kDay, 0, long_range).series.at(0).points.size(), 77066u);
  EXPECT_THROW(timeline("flood", TimeBucket::kDay, 3, long_range), Error);
}

TEST_F(TimelineTest, FiltersSetTheScopeAndOutletsSplitTheSeries) {
  Filters herald;
  herald.outlets = {"herald"};
  const Timeline filtered = timeline("flood", TimeBucket::kYear, 0, herald);
  EXPECT_EQ(filtered.in_scope, 3u);
  EXPECT_EQ(filtered.matches, 2u);
  EXPECT_EQ(in_scope(filtered.series[0]), (std::vector<std::size_t>{1, 1, 1}));
  Filters from_2021;
  from_2021.from = parse_date("2021-01-01");
  const Timeline later = timeline("", TimeBucket::kYear, 0, from_2021);
  EXPECT_EQ(labels(later.series[0]), std::vector<std::string>{"2021"});
  EXPECT_EQ(later.matches, 3u);

  const Timeline split = timeline("flood", TimeBucket::kYear, 1);
  ASSERT_EQ(split.series.size(), 3u);
  EXPECT_EQ(split.series[0].name, "all");
  EXPECT_EQ(split.series[1].name, "Courier");  // 2 dated matches; Herald's 2 tie, Courier sorts first.
  EXPECT_EQ(split.series[2].name, "other");
  EXPECT_EQ(matches(split.series[1]), (std::vector<std::size_t>{0, 1, 1}));
  EXPECT_EQ(in_scope(split.series[1]), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(matches(split.series[2]), (std::vector<std::size_t>{1, 0, 1}));
  EXPECT_EQ(split.series[2].matches, 3u);  // Herald's two, and the Gazette's undated one.
}

TEST_F(TimelineTest, EmptyIndexAndNoMatches) {
  const Timeline none = timeline("zebra", TimeBucket::kWeek);
  EXPECT_EQ(none.matches, 0u);
  EXPECT_EQ(none.series[0].points.size(), 56u);
  TempDir empty;
  { IndexWriter writer(empty.path().string()); }
  TimelineRequest request;
  const Timeline nothing = Searcher(empty.path().string()).timeline(request);
  EXPECT_EQ(nothing.matches, 0u);
  EXPECT_TRUE(nothing.series[0].points.empty());
}

TEST_F(TimelineTest, OutletCoverageAndCollections) {
  const Searcher searcher(dir_.path().string());
  OutletsRequest request;
  request.search.query = "flood";
  const OutletsReport report = searcher.outlets(request);
  EXPECT_EQ(report.matches, 5u);
  ASSERT_EQ(report.outlets.size(), 3u);
  EXPECT_EQ(report.outlets[0].name, "Courier");
  EXPECT_EQ(report.outlets[0].matches, 2u);
  EXPECT_EQ(report.outlets[0].articles, 3u);
  EXPECT_DOUBLE_EQ(report.outlets[0].share_of_matches, 0.4);
  EXPECT_DOUBLE_EQ(report.outlets[0].share_of_output, 2.0 / 3.0);
  EXPECT_EQ(report.outlets[1].name, "Herald");
  EXPECT_EQ(report.outlets[2].name, "Gazette");
  EXPECT_DOUBLE_EQ(report.outlets[2].share_of_output, 0.5);
  request.limit = 1;
  EXPECT_EQ(searcher.outlets(request).outlets.size(), 1u);
  EXPECT_EQ(searcher.outlets(request).outlet_count, 3u);

  std::ofstream(dir_.path() / "groups.txt") << "# regional press\n[Dailies]\nherald\n  COURIER \n\n[Weeklies]\nGazette\n";
  request.collections = read_collections((dir_.path() / "groups.txt").string());
  ASSERT_EQ(request.collections.size(), 2u);
  EXPECT_EQ(request.collections["Dailies"], (std::vector<std::string>{"herald", "COURIER"}));
  request.by_collection = true;
  request.limit = 0;
  const OutletsReport grouped = searcher.outlets(request);
  ASSERT_EQ(grouped.outlets.size(), 2u);
  EXPECT_EQ(grouped.outlets[0].name, "Dailies");
  EXPECT_EQ(grouped.outlets[0].matches, 4u);
  EXPECT_EQ(grouped.outlets[0].articles, 6u);
}

TEST(OutletCollections, MalformedFilesNameTheLine) {
  TempDir dir;
  const auto path = (dir.path() / "c.txt").string();
  const auto error_for = [&](const std::string& text) -> std::string {
    std::ofstream(path) << text;
    try {
      read_collections(path);
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_NE(error_for("Reuters\n").find(":1"), std::string::npos);
  EXPECT_NE(error_for("[A]\nX\n[B\n").find(":3"), std::string::npos);
  EXPECT_NE(error_for("[A]\nX\n[A]\n").find("named twice"), std::string::npos);
  EXPECT_NE(error_for("# only\n\n[ ]\n").find(":3"), std::string::npos);
  EXPECT_THROW(read_collections((dir.path() / "missing.txt").string()), InputError);
}

TEST(Export, EveryMatchOnceInEachOrderAcrossPagesAndTies) {
  TempDir dir;
  {
    WriterOptions options;
    options.deduplicate = false;
    IndexWriter writer(dir.path().string(), options);
    // 2,600 articles over three pages of 1,000: 1,500 share one timestamp, 900 spread
    // over January to April, 100 on 1 June, 100 undated.
    for (int i = 0; i < 2600; ++i) {
      char date[32] = "2024-05-01T12:00:00Z";
      if (i >= 1500 && i < 2400) std::snprintf(date, sizeof date, "2024-%02d-%02dT00:00:00Z", 1 + i % 4, 1 + i % 28);
      if (i >= 2400) std::snprintf(date, sizeof date, "2024-06-01T00:00:00Z");
      writer.add(make("n" + std::to_string(i), i % 2 ? "storm news" : "storm update extra words here", "Wire",
                      i >= 2500 ? nullptr : date));
    }
    writer.commit();
  }
  const Searcher searcher(dir.path().string());
  SearchRequest request;
  request.query = "storm";
  for (const ExportOrder order : {ExportOrder::kRelevance, ExportOrder::kDateNewest, ExportOrder::kDateOldest, ExportOrder::kIndex}) {
    std::set<std::string> ids;
    std::vector<Hit> hits;
    const std::size_t passed = searcher.export_matches(request, order, [&](const Hit& hit) {
      ids.insert(hit.article.id);
      hits.push_back(hit);
      return true;
    });
    EXPECT_EQ(passed, 2600u);
    EXPECT_EQ(ids.size(), 2600u);
    for (std::size_t i = 1; i < hits.size(); ++i) {
      const Article& before = hits[i - 1].article;
      const Article& after = hits[i].article;
      if (order == ExportOrder::kRelevance) {
        EXPECT_GE(hits[i - 1].score, hits[i].score);
      }
      if (order == ExportOrder::kDateNewest && after.date) {
        ASSERT_TRUE(before.date && *before.date >= *after.date) << i;
      }
      if (order == ExportOrder::kDateOldest && after.date) {
        ASSERT_TRUE(before.date && *before.date <= *after.date) << i;
      }
      if (order != ExportOrder::kRelevance && order != ExportOrder::kIndex && !before.date) {
        ASSERT_FALSE(after.date) << i;
      }
      EXPECT_EQ(hits[i].rank, i + 1);
    }
    EXPECT_TRUE(hits.back().article.body.empty());  // Bodies only on request.
  }
  // The sink can stop early.
  std::size_t seen = 0;
  EXPECT_EQ(searcher.export_matches(request, ExportOrder::kIndex, [&](const Hit&) { return ++seen < 5; }), 5u);
  // Filters apply; bodies on request.
  request.filters.from = parse_date("2024-06-01");
  request.include_body = true;
  std::size_t june = 0;
  searcher.export_matches(request, ExportOrder::kDateOldest, [&](const Hit& hit) {
    ++june;
    EXPECT_FALSE(hit.article.body.empty());
    return true;
  });
  EXPECT_EQ(june, 100u);
}

}  // namespace
}  // namespace gazette
