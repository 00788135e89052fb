// Coverage analytics over the matches of a query: attention over time (timeline), who
// covered it (outlets), and every match (export). They take the same SearchRequest as
// Searcher::search (query, filters, language, default operator) and count from value
// columns without fetching documents. docs/analytics.md shows them at work.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gazette/search.h"

namespace gazette {

// Bucket sizes of a timeline. Weeks are ISO 8601: they start on Monday and are
// labelled with the ISO week-numbering year ("2020-W53", "2021-W01").
enum class TimeBucket { kDay, kWeek, kMonth, kYear };

struct TimelineRequest {
  SearchRequest search;  // Query, filters, language; paging, sort and facets are ignored.
  TimeBucket by = TimeBucket::kMonth;
  // Split the series by outlet: the `per_outlet` outlets with most matches, then
  // "other" for the rest. 0: one series, "all".
  std::size_t per_outlet = 0;
};

struct TimelinePoint {
  std::string label;       // "1987-03-02", "1987-W10", "1987-03", "1987".
  UnixSeconds start = 0;   // First second of the bucket (on the publisher's clock, as days are).
  std::size_t matches = 0;   // Articles matching the query.
  std::size_t in_scope = 0;  // Articles under the same filters, query or not.
  // No article in scope at all: no data, which is not 0 % (the index holds nothing
  // of those weeks). Shown as a gap, never as a zero.
  bool gap() const { return in_scope == 0; }
  double ratio() const { return in_scope == 0 ? 0.0 : static_cast<double>(matches) / static_cast<double>(in_scope); }
};

// One line of the chart: every bucket from the first to the last dated article in
// scope (leading and trailing empty stretches left out), or over the --from/--to range
// when the filters give one; buckets inside with no article in scope are gaps.
struct TimelineSeries {
  std::string name;  // "all", an outlet, or "other".
  std::size_t matches = 0;
  std::size_t in_scope = 0;
  std::vector<TimelinePoint> points;
};

// A timeline of more buckets than this is refused (Error): a corpus spanning
// 0001..9999 by day would be 3.6 million rows. So is one of more points (buckets times
// series, with per_outlet) than kMaxTimelinePoints: the size of an answer is bounded
// before any of it is built.
inline constexpr std::size_t kMaxTimelineBuckets = 100000;
inline constexpr std::size_t kMaxTimelinePoints = 200000;

struct Timeline {
  std::vector<TimelineSeries> series;  // "all" first when not split; else by matches.
  std::size_t matches = 0;             // Every match, dated or not.
  std::size_t in_scope = 0;
  std::size_t undated_matches = 0;  // Matches without a date: in no bucket, never dropped silently.
  std::size_t undated_in_scope = 0;
  QueryNotes notes;  // Parts of the query left out (gazette/search.h).
};

// One outlet's part in the coverage of a query.
struct OutletCoverage {
  std::string name;          // Outlet (or collection, when grouped).
  std::size_t matches = 0;   // Its articles matching the query.
  std::size_t articles = 0;  // Its articles in scope (same filters, no query).
  double share_of_matches = 0;  // matches / all matches.
  double share_of_output = 0;   // matches / articles: how much of its own output matched.
};

struct OutletsRequest {
  SearchRequest search;
  std::size_t limit = 20;  // Outlets listed (0: all); totals always count every one.
  // Group outlets by collection (name → outlets), each outlet counted in every
  // collection naming it; outlets in none are left out.
  std::map<std::string, std::vector<std::string>> collections;
  bool by_collection = false;
};

struct OutletsReport {
  std::vector<OutletCoverage> outlets;  // Most matches first; ties by name.
  std::size_t matches = 0;
  std::size_t outlet_count = 0;  // Outlets (or collections) with at least one match.
  QueryNotes notes;  // Parts of the query left out (gazette/search.h).
};

// Outlet collections ("US national", "Greek press"): named groups of outlets, from a
// plain text file (docs/analytics.md):
//
//   # comment
//   [US national]
//   New York Times
//   Washington Post
//
// Outlet names match as --outlet does (case and accents ignored). Throws InputError
// naming the file and line for a malformed line.
std::map<std::string, std::vector<std::string>> read_collections(const std::string& path);

}  // namespace gazette
