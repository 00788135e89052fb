// The "analytics" stage: coverage over time and by outlet, counted from in-memory value
// columns (day, outlet) by match spies, never by fetching documents; and the export of
// every match in pages of bounded size.
#include "gazette/analytics.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "core/analysis.h"
#include "core/article_json.h"
#include "core/schema.h"
#include "core/strings.h"
#include "core/xapian_error.h"
#include "searcher/searcher_impl.h"

namespace gazette {
namespace {

namespace schema = core::schema;
using std::chrono::days;
using std::chrono::sys_days;

// Per (outlet ordinal, day ordinal): how many documents a match visited.
using PairCounts = std::unordered_map<std::uint64_t, std::size_t>;

std::uint64_t pair_key(std::uint32_t outlet, std::uint32_t day) { return (std::uint64_t{outlet} << 32) | day; }

// Counts the matches of a query by day, and by outlet too when given its column.
class DayOutletSpy : public searcher::SegmentSpy {
 public:
  DayOutletSpy(const searcher::FacetColumn& days, const searcher::FacetColumn* outlets)
      : days_(days), outlets_(outlets), by_day_(days.value_count(), 0) {}
  void add(Xapian::docid id) override {
    count(outlets_ ? outlets_->ordinal(segment_, id) : 0, days_.ordinal(segment_, id), 1);
  }
  // Every article, as a match of everything would: straight from the columns. Returns
  // how many articles that is.
  std::size_t count_all(const Xapian::Database& database) {
    std::size_t counted = 0;
    for (std::size_t segment = 0; segment < days_.segment_count(); ++segment) {
      const std::size_t size = std::max(days_.size(segment), outlets_ ? outlets_->size(segment) : 0);
      for (Xapian::docid id = 1; id < size; ++id) {
        const std::uint32_t day = days_.ordinal(segment, id);
        const std::uint32_t outlet = outlets_ ? outlets_->ordinal(segment, id) : 0;
        if (day == 0 && outlet == 0) continue;  // Deleted, or holding neither: counted below.
        count(outlet, day, 1);
        ++counted;
      }
    }
    const std::size_t articles = database.get_doccount();
    count(0, 0, articles - counted);  // Live articles with no date and no outlet.
    return articles;
  }
  PairCounts pairs() const {
    if (outlets_) return pairs_;
    PairCounts out;
    for (std::uint32_t day = 0; day < by_day_.size(); ++day) {
      if (by_day_[day] > 0) out[pair_key(0, day)] = by_day_[day];
    }
    return out;
  }

 private:
  void count(std::uint32_t outlet, std::uint32_t day, std::size_t n) {
    if (n == 0) return;
    if (outlets_) {
      pairs_[pair_key(outlet, day)] += n;
    } else {
      by_day_[day] += n;
    }
  }

  const searcher::FacetColumn& days_;
  const searcher::FacetColumn* outlets_;
  std::vector<std::size_t> by_day_;  // Without an outlet column: counts by day ordinal.
  PairCounts pairs_;
};

// --- Calendar buckets, with C++20 chrono calendar types (UTC, proleptic Gregorian).

std::optional<sys_days> day_of_key(const std::string& key) {  // "YYYYMMDD"
  if (key.size() != 8) return std::nullopt;
  const int year = std::stoi(key.substr(0, 4));
  const unsigned month = static_cast<unsigned>(std::stoi(key.substr(4, 2)));
  const unsigned day = static_cast<unsigned>(std::stoi(key.substr(6, 2)));
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

// The Monday starting the ISO week that holds `day`.
sys_days iso_week_start(sys_days day) {
  return day - days{std::chrono::weekday{day}.iso_encoding() - 1};
}

sys_days bucket_start(sys_days day, TimeBucket by) {
  const std::chrono::year_month_day ymd{day};
  switch (by) {
    case TimeBucket::kDay: return day;
    case TimeBucket::kWeek: return iso_week_start(day);
    case TimeBucket::kMonth: return sys_days{ymd.year() / ymd.month() / 1};
    case TimeBucket::kYear: return sys_days{ymd.year() / std::chrono::January / 1};
  }
  return day;
}

sys_days next_bucket(sys_days start, TimeBucket by) {
  const std::chrono::year_month_day ymd{start};
  switch (by) {
    case TimeBucket::kDay: return start + days{1};
    case TimeBucket::kWeek: return start + days{7};
    case TimeBucket::kMonth: return sys_days{(ymd.year() / ymd.month() + std::chrono::months{1}) / 1};
    case TimeBucket::kYear: return sys_days{(ymd.year() + std::chrono::years{1}) / std::chrono::January / 1};
  }
  return start + days{1};
}

UnixSeconds to_unix(sys_days day) {
  return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
}

std::string bucket_label(sys_days start, TimeBucket by) {
  const std::string day = format_day(to_unix(start));  // "YYYY-MM-DD"
  switch (by) {
    case TimeBucket::kDay: return day;
    case TimeBucket::kMonth: return day.substr(0, 7);
    case TimeBucket::kYear: return day.substr(0, 4);
    case TimeBucket::kWeek: break;
  }
  // The ISO year is the year of the week's Thursday; week 1 holds 4 January.
  const std::chrono::year iso_year = std::chrono::year_month_day{start + days{3}}.year();
  const sys_days week_one = iso_week_start(sys_days{iso_year / std::chrono::January / 4});
  char label[32];
  std::snprintf(label, sizeof label, "%04d-W%02d", static_cast<int>(iso_year),
                static_cast<int>((start - week_one).count() / 7 + 1));
  return label;
}

}  // namespace

Timeline Searcher::timeline(const TimelineRequest& request) const {
  return impl_->retrying([&]() -> Timeline {
    const Impl::Scope scope_queries = impl_->scope(request.search);
    const Xapian::Database& database = impl_->database;
    Timeline timeline;
    timeline.notes = scope_queries.notes;
    try {
      const searcher::FacetColumn& day_column = impl_->full_column(schema::kDaySlot);
      const searcher::FacetColumn* outlet_column =
          request.per_outlet > 0 ? &impl_->full_column(schema::kOutletSlot) : nullptr;

      DayOutletSpy matched(day_column, outlet_column), scope(day_column, outlet_column);
      timeline.matches = searcher::count_matches(impl_->segments, scope_queries.matching, {&matched});
      if (scope_queries.filtered) {
        timeline.in_scope = searcher::count_matches(impl_->segments, scope_queries.everything, {&scope});
      } else {
        timeline.in_scope = scope.count_all(database);
      }

      // Bucket of every day ordinal; the range runs over the days in scope.
      std::vector<std::optional<sys_days>> bucket_of(day_column.value_count());
      for (std::uint32_t ordinal = 1; ordinal < day_column.value_count(); ++ordinal) {
        if (const auto day = day_of_key(day_column.value(ordinal))) bucket_of[ordinal] = bucket_start(*day, request.by);
      }
      const PairCounts scope_pairs = scope.pairs(), match_pairs = matched.pairs();
      std::optional<sys_days> first, last;
      for (const auto& [key, count] : scope_pairs) {
        const auto& bucket = bucket_of[key & 0xffffffffu];
        if (!bucket) continue;
        if (!first || *bucket < *first) first = bucket;
        if (!last || *bucket > *last) last = bucket;
      }
      // The range asked for, where the filters give one: its empty ends are shown.
      const auto day_of_bound = [](UnixSeconds seconds) {
        return sys_days{std::chrono::floor<days>(std::chrono::sys_seconds{std::chrono::seconds{seconds}})};
      };
      if (first && request.search.filters.from) first = bucket_start(day_of_bound(*request.search.filters.from), request.by);
      if (last && request.search.filters.to) last = bucket_start(day_of_bound(*request.search.filters.to), request.by);
      if (first && last) {
        const auto span = std::chrono::duration_cast<days>(*last - *first).count();
        const long long per_bucket = request.by == TimeBucket::kDay ? 1 : request.by == TimeBucket::kWeek ? 7
                                   : request.by == TimeBucket::kMonth ? 28 : 365;
        if (span / per_bucket + 1 > static_cast<long long>(kMaxTimelineBuckets)) {
          throw Error("the timeline would have over " + std::to_string(kMaxTimelineBuckets) + " buckets (" +
                      bucket_label(*first, request.by) + " to " + bucket_label(*last, request.by) +
                      "): ask for larger buckets or a shorter --from/--to range");
        }
      }
      std::vector<sys_days> starts;
      if (first && first <= last) {
        for (sys_days start = *first; start <= *last; start = next_bucket(start, request.by)) starts.push_back(start);
      }
      const auto index_of = [&](sys_days start) {
        return static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), start) - starts.begin());
      };

      // Series: "all", then the top outlets by matches, then "other".
      std::vector<std::size_t> outlet_matches(outlet_column ? outlet_column->value_count() : 1, 0);
      for (const auto& [key, count] : match_pairs) outlet_matches[key >> 32] += count;
      std::vector<std::uint32_t> top;
      if (outlet_column) {
        for (std::uint32_t ordinal = 0; ordinal < outlet_matches.size(); ++ordinal) {
          if (outlet_matches[ordinal] > 0) top.push_back(ordinal);
        }
        std::sort(top.begin(), top.end(), [&](std::uint32_t a, std::uint32_t b) {
          return outlet_matches[a] != outlet_matches[b] ? outlet_matches[a] > outlet_matches[b]
                                                        : outlet_column->value(a) < outlet_column->value(b);
        });
        if (top.size() > request.per_outlet) top.resize(request.per_outlet);
      }
      std::unordered_map<std::uint32_t, std::size_t> series_of;  // Outlet ordinal → series index.
      timeline.series.push_back(TimelineSeries{"all", 0, 0, {}});
      for (const std::uint32_t ordinal : top) {
        series_of[ordinal] = timeline.series.size();
        const std::string& name = outlet_column->value(ordinal);
        timeline.series.push_back(TimelineSeries{name.empty() ? "(no outlet)" : name, 0, 0, {}});
      }
      const std::size_t other = outlet_column ? timeline.series.size() : 0;
      if (outlet_column) timeline.series.push_back(TimelineSeries{"other", 0, 0, {}});
      if (starts.size() * timeline.series.size() > kMaxTimelinePoints) {
        throw Error("the timeline would have " + std::to_string(starts.size()) + " buckets in " +
                    std::to_string(timeline.series.size()) + " series, over " + std::to_string(kMaxTimelinePoints) +
                    " points: ask for fewer outlets, larger buckets or a shorter --from/--to range");
      }
      for (TimelineSeries& series : timeline.series) {
        series.points.resize(starts.size());
        for (std::size_t i = 0; i < starts.size(); ++i) {
          series.points[i].start = to_unix(starts[i]);
          series.points[i].label = bucket_label(starts[i], request.by);
        }
      }
      const auto add = [&](const PairCounts& pairs, bool matches) {
        for (const auto& [key, count] : pairs) {
          const auto outlet = static_cast<std::uint32_t>(key >> 32);
          const auto& bucket = bucket_of[key & 0xffffffffu];
          std::vector<std::size_t> targets{0};
          if (outlet_column) {
            const auto found = series_of.find(outlet);
            targets.push_back(found != series_of.end() ? found->second : other);
          }
          for (const std::size_t target : targets) {
            TimelineSeries& series = timeline.series[target];
            (matches ? series.matches : series.in_scope) += count;
            if (!bucket) continue;
            TimelinePoint& point = series.points[index_of(*bucket)];
            (matches ? point.matches : point.in_scope) += count;
          }
        }
      };
      add(match_pairs, true);
      add(scope_pairs, false);
      timeline.series[0].matches = timeline.matches;
      timeline.series[0].in_scope = timeline.in_scope;
      std::size_t dated_matches = 0, dated_scope = 0;
      for (const TimelinePoint& point : timeline.series[0].points) dated_matches += point.matches, dated_scope += point.in_scope;
      timeline.undated_matches = timeline.matches - dated_matches;
      timeline.undated_in_scope = timeline.in_scope - dated_scope;
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": timeline failed: " + core::xapian_message(error));
    }
    return timeline;
  });
}

OutletsReport Searcher::outlets(const OutletsRequest& request) const {
  return impl_->retrying([&]() -> OutletsReport {
    const Impl::Scope scope_queries = impl_->scope(request.search);
    OutletsReport report;
    report.notes = scope_queries.notes;
    try {
      const searcher::FacetColumn& column = impl_->full_column(schema::kOutletSlot);
      searcher::ColumnSpy matched(column), scope(column);
      report.matches = searcher::count_matches(impl_->segments, scope_queries.matching, {&matched});
      if (scope_queries.filtered) {
        searcher::count_matches(impl_->segments, scope_queries.everything, {&scope});
      } else {
        scope.count_all();
      }
      std::vector<OutletCoverage> rows;
      if (request.by_collection) {
        std::unordered_map<std::string, std::uint32_t> ordinal_of;  // Normalised outlet → ordinal.
        for (std::uint32_t ordinal = 1; ordinal < column.value_count(); ++ordinal) {
          ordinal_of.emplace(core::normalize_value(column.value(ordinal)), ordinal);
        }
        for (const auto& [name, members] : request.collections) {
          OutletCoverage row{name, 0, 0, 0, 0};
          std::vector<std::uint32_t> seen;
          for (const std::string& member : members) {
            const auto found = ordinal_of.find(core::normalize_value(member));
            if (found == ordinal_of.end() || std::find(seen.begin(), seen.end(), found->second) != seen.end()) continue;
            seen.push_back(found->second);
            row.matches += matched.counts()[found->second];
            row.articles += scope.counts()[found->second];
          }
          rows.push_back(row);
        }
      } else {
        for (std::uint32_t ordinal = 0; ordinal < column.value_count(); ++ordinal) {
          const std::string& name = column.value(ordinal);
          rows.push_back(OutletCoverage{name.empty() ? "(no outlet)" : name, matched.counts()[ordinal],
                                        scope.counts()[ordinal], 0, 0});
        }
      }
      std::erase_if(rows, [](const OutletCoverage& row) { return row.matches == 0; });
      for (OutletCoverage& row : rows) {
        row.share_of_matches = report.matches == 0 ? 0 : static_cast<double>(row.matches) / static_cast<double>(report.matches);
        row.share_of_output = row.articles == 0 ? 0 : static_cast<double>(row.matches) / static_cast<double>(row.articles);
      }
      std::sort(rows.begin(), rows.end(), [](const OutletCoverage& a, const OutletCoverage& b) {
        return a.matches != b.matches ? a.matches > b.matches : a.name < b.name;
      });
      report.outlet_count = rows.size();
      if (request.limit > 0 && rows.size() > request.limit) rows.resize(request.limit);
      report.outlets = std::move(rows);
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": outlets failed: " + core::xapian_message(error));
    }
    return report;
  });
}

namespace {

// The documents from a given id on: the keyset of index-order pages (Xapian has no
// document-id range query). `first` is an id of the whole index; with several segments
// Xapian hands each clone one segment and its own ids, so a clone finds which segment
// it has (by UUID) to translate: Xapian numbers document d of segment s (of n, from 0)
// as (d - 1) * n + s + 1.
class DocidsFrom : public Xapian::PostingSource {
 public:
  DocidsFrom(Xapian::docid first, std::vector<std::string> segment_uuids)
      : first_(first), segment_uuids_(std::move(segment_uuids)) {}
  void init(const Xapian::Database& database) override {
    last_ = database.get_lastdocid();
    current_ = 0;
    local_first_ = first_;
    const auto n = static_cast<Xapian::docid>(segment_uuids_.size());
    if (n > 1) {
      const auto found = std::find(segment_uuids_.begin(), segment_uuids_.end(), database.get_uuid());
      const auto s = static_cast<Xapian::docid>(found - segment_uuids_.begin());
      // The smallest local d with (d - 1) * n + s + 1 >= first.
      local_first_ = first_ <= s + 1 ? 1 : (first_ - s - 1 + n - 1) / n + 1;
    }
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return last_ >= local_first_ ? last_ - local_first_ + 1 : 0;
  }
  Xapian::doccount get_termfreq_max() const override { return get_termfreq_est(); }
  void next(double) override { current_ = current_ == 0 ? local_first_ : current_ + 1; }
  void skip_to(Xapian::docid id, double) override {
    if (current_ == 0 || id > current_) current_ = std::max(id, local_first_);
  }
  bool at_end() const override { return current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }
  DocidsFrom* clone() const override { return new DocidsFrom(first_, segment_uuids_); }

 private:
  Xapian::docid first_;
  std::vector<std::string> segment_uuids_;
  Xapian::docid local_first_ = 1;
  Xapian::docid current_ = 0;
  Xapian::docid last_ = 0;
};

// The UUIDs of the index's segments, in Xapian's order (its UUID joins them with ':').
std::vector<std::string> segment_uuids(const Xapian::Database& database) {
  std::vector<std::string> uuids;
  const std::string joined = database.get_uuid();
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t end = std::min(joined.find(':', start), joined.size());
    uuids.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return uuids;
}

constexpr Xapian::doccount kExportPage = 1000;

// Documents with a date. (A lower bound of "" would match every document: Xapian reads
// a missing value as "".)
Xapian::Query dated() { return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, std::string(1, '\0')); }

}  // namespace

std::size_t Searcher::export_matches(const SearchRequest& request, ExportOrder order,
                                     const std::function<bool(const Hit&)>& sink) const {
  // The index may change under a long export: it starts again on a fresh view only
  // while nothing has been handed to the sink.
  std::size_t passed = 0;
  return impl_->retrying([&]() -> std::size_t {
    const searcher::ParsedQuery parsed = impl_->parse(request);
    const Xapian::Query query = searcher::FilterQueries(request.filters).apply(parsed.query, nullptr);
    const Xapian::Database& database = impl_->database;
    const std::vector<std::string> uuids = segment_uuids(database);
    bool stopped = false;
    // Hands one match to the sink; false once the sink has had enough.
    const auto emit = [&](const Xapian::Document& document, double score) {
      Hit hit;
      hit.article = searcher::stored_article(document, request.include_body);
      hit.score = score;
      hit.rank = ++passed;
      stopped = !sink(hit);
      return !stopped;
    };
    // Every match of `subquery`, in document-id order, a page at a time.
    const auto by_index = [&](const Xapian::Query& subquery) {
      Xapian::docid next = 1;
      while (!stopped) {
        DocidsFrom from(next, uuids);
        Xapian::Enquire enquire(database);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, subquery, Xapian::Query(&from)));
        const Xapian::MSet page = enquire.get_mset(0, kExportPage);
        for (auto it = page.begin(); it != page.end() && emit(it.get_document(), 0); ++it) next = *it + 1;
        if (page.size() < kExportPage) return;
      }
    };
    // Every dated match by date (ties by document id), a page at a time: each page
    // starts strictly after the last one's (date, id), the keyset of the order.
    const auto by_date = [&](bool newest_first) {
      std::string bound;     // Date of the last document passed; empty before the first page.
      Xapian::docid last = 0;  // Its id.
      while (!stopped) {
        Xapian::Enquire enquire(database);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        enquire.set_sort_by_value(schema::kDateSlot, newest_first);
        DocidsFrom after_last(last + 1, uuids);
        Xapian::Query range = dated();
        if (!bound.empty()) {
          const Xapian::Query same(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, bound, bound);
          const Xapian::Query beyond(Xapian::Query::OP_AND_NOT,
                                     newest_first ? Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, bound)
                                                  : Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, bound),
                                     same);
          range = Xapian::Query(Xapian::Query::OP_OR, beyond,
                                Xapian::Query(Xapian::Query::OP_FILTER, same, Xapian::Query(&after_last)));
        }
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, range));
        const Xapian::MSet page = enquire.get_mset(0, kExportPage);
        for (auto it = page.begin(); it != page.end() && !stopped; ++it) {
          const Xapian::Document document = it.get_document();
          bound = document.get_value(schema::kDateSlot);
          last = *it;
          emit(document, 0);
        }
        if (page.size() < kExportPage) return;
      }
    };

    try {
      switch (order) {
        case ExportOrder::kRelevance:
          if (parsed.scores) {
            Xapian::Enquire enquire(database);
            enquire.set_weighting_scheme(searcher::bm25(request.bm25_k1, request.bm25_b));
            enquire.set_query(query);
            const Xapian::MSet all = enquire.get_mset(0, database.get_doccount());
            for (auto it = all.begin(); it != all.end() && emit(it.get_document(), it.get_weight()); ++it) {
            }
            break;
          }
          [[fallthrough]];  // Nothing to rank by: newest first.
        case ExportOrder::kDateNewest:
        case ExportOrder::kDateOldest:
          by_date(order != ExportOrder::kDateOldest);
          by_index(Xapian::Query(Xapian::Query::OP_AND_NOT, query, dated()));  // Undated, last.
          break;
        case ExportOrder::kIndex:
          by_index(query);
          break;
      }
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": export failed: " + core::xapian_message(error));
    }
    return passed;
  }, [&] { return passed == 0; });
}

std::map<std::string, std::vector<std::string>> read_collections(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) throw InputError(path, 0, "cannot open the collections file");
  std::map<std::string, std::vector<std::string>> collections;
  std::string current;
  std::size_t number = 0;
  for (std::string line; std::getline(input, line);) {
    ++number;
    const std::string_view text = core::trim(line);
    if (text.empty() || text.front() == '#') continue;
    if (text.front() == '[') {
      if (text.back() != ']' || core::trim(text.substr(1, text.size() - 2)).empty()) {
        throw InputError(path, number, "a collection heading is [Name], got '" + std::string(text) + "'");
      }
      current = core::fold_space(text.substr(1, text.size() - 2));
      if (collections.count(current) > 0) throw InputError(path, number, "collection '" + current + "' named twice");
      collections[current];
      continue;
    }
    if (current.empty()) {
      throw InputError(path, number, "outlet '" + std::string(text) + "' before any [collection] heading");
    }
    collections[current].push_back(core::fold_space(text));
  }
  return collections;
}

}  // namespace gazette
