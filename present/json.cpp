// JSON encoders shared by the CLI and the HTTP server (present/json.h).
#include "present/json.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/article_json.h"

namespace gazette::present {
namespace {

Json date_or_null(const std::optional<UnixSeconds>& date) { return date ? Json(format_timestamp(*date)) : Json(nullptr); }

Json facet_json(const std::vector<FacetValue>& values, const char* key) {
  Json out = Json::array();
  for (const FacetValue& value : values) out.push_back({{key, value.value}, {"count", value.count}});
  return out;
}

Json filters_json(const Filters& filters) {
  return {{"outlets", filters.outlets},
          {"tags", filters.tags},
          {"langs", filters.langs},
          {"from", date_or_null(filters.from)},
          {"to", date_or_null(filters.to)},
          {"undated", filters.undated == UndatedFilter::kExclude ? "exclude"
                      : filters.undated == UndatedFilter::kOnly  ? "only"
                                                                 : "include"}};
}

}  // namespace

namespace {

// Each enum's names, in one table read both ways.
template <typename T>
struct Named {
  T value;
  const char* name;
};
constexpr Named<SortOrder> kSorts[] = {{SortOrder::kRelevance, "relevance"},
                                       {SortOrder::kDateNewest, "date"},
                                       {SortOrder::kDateOldest, "date-asc"},
                                       {SortOrder::kHybrid, "hybrid"}};
constexpr Named<TimeBucket> kBuckets[] = {
    {TimeBucket::kDay, "day"}, {TimeBucket::kWeek, "week"}, {TimeBucket::kMonth, "month"}, {TimeBucket::kYear, "year"}};
constexpr Named<DateGranularity> kGranularities[] = {
    {DateGranularity::kDay, "day"}, {DateGranularity::kMonth, "month"}, {DateGranularity::kYear, "year"}};

template <typename T, std::size_t N>
const char* name_of(const Named<T> (&table)[N], T value) {
  for (const Named<T>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return table[0].name;
}
template <typename T, std::size_t N>
std::optional<T> value_of(const Named<T> (&table)[N], std::string_view name) {
  for (const Named<T>& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace

const char* sort_name(SortOrder sort) { return name_of(kSorts, sort); }
std::optional<SortOrder> sort_from_name(std::string_view name) { return value_of(kSorts, name); }
const char* bucket_name(TimeBucket bucket) { return name_of(kBuckets, bucket); }
std::optional<TimeBucket> bucket_from_name(std::string_view name) { return value_of(kBuckets, name); }
const char* granularity_name(DateGranularity granularity) { return name_of(kGranularities, granularity); }
std::optional<DateGranularity> granularity_from_name(std::string_view name) {
  return value_of(kGranularities, name);
}

HitFields HitFields::parse(std::string_view list) {
  HitFields fields;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    if (name == "body") {
      fields.body = true;
    } else if (name == "comments") {
      fields.comments = true;
    } else if (name == "provenance") {
      fields.provenance = true;
    } else if (!name.empty()) {
      throw std::invalid_argument("unknown field '" + std::string(name) + "' (fields: body, comments, provenance)");
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return fields;
}

Json hit_json(const Hit& hit, const HitFields& fields, bool collapsed) {
  Json object = {{"rank", hit.rank}, {"score", hit.score}};
  Json article = core::article_to_json(hit.article);
  for (auto& [key, value] : article.items()) {
    if ((key == "body" && !fields.body) || (key == "comments" && !fields.comments) ||
        (key == "provenance" && !fields.provenance)) {
      continue;
    }
    object[key] = std::move(value);
  }
  object["snippet"] = hit.snippet;
  if (collapsed) {
    object["also_in"] = hit.also_in;
    object["other_copies"] = hit.other_copies;
  }
  return object;
}

std::string notes_message(const QueryNotes& notes) {
  if (notes.ignored.empty() && !notes.nothing_searchable) return {};
  std::string parts;
  for (const std::string& part : notes.ignored) {
    // A part is shown as written, cut short (a 5,000-character word is one problem).
    constexpr std::size_t kShown = 40;
    std::string shown = part.size() > kShown ? part.substr(0, kShown) + "…" : part;
    parts += (parts.empty() ? "'" : ", '") + shown + "'";
  }
  const std::string why = "no word the index has: emoji, punctuation and symbols are not indexed, nor words over 64 bytes";
  if (notes.nothing_searchable) {
    return parts.empty() ? "nothing searchable in the query: it matches nothing"
                         : "nothing searchable in the query, so it matches nothing: " + parts + " " +
                               (notes.ignored.size() == 1 ? "holds " : "hold ") + why;
  }
  return "left out of the query: " + parts + " (" + why + ")";
}

namespace {

// The query notes of an answer, as every answer with a query carries them.
void add_notes(Json& result, const QueryNotes& notes) {
  result["ignored"] = notes.ignored;
  result["nothing_searchable"] = notes.nothing_searchable;
  if (const std::string message = notes_message(notes); !message.empty()) result["note"] = message;
}

}  // namespace

Json search_json(const SearchRequest& request, const SearchResponse& response, const HitFields& fields) {
  Json hits = Json::array();
  for (const Hit& hit : response.hits) hits.push_back(hit_json(hit, fields, request.collapse_stories));
  Json result = Json::object();
  result["query"] = request.query;
  if (!request.like_id.empty()) result["like"] = request.like_id;
  result["filters"] = filters_json(request.filters);
  result["sort"] = sort_name(request.sort);
  result["offset"] = request.offset;
  result["limit"] = request.limit;
  result["total"] = response.total;
  add_notes(result, response.notes);
  if (!response.suggestion.empty()) {
    result["suggestion"] = {{"query", response.suggestion}, {"total", response.suggestion_total}};
  }
  result["hits"] = std::move(hits);
  result["facets"] = {{"outlet", facet_json(response.outlet_facet, "value")},
                      {"date", facet_json(response.date_facet, "bucket")},
                      {"undated", response.undated}};
  return result;
}

Json timeline_json(const TimelineRequest& request, const Timeline& timeline) {
  Json series = Json::array();
  for (const TimelineSeries& line : timeline.series) {
    Json points = Json::array();
    for (const TimelinePoint& point : line.points) {
      points.push_back({{"bucket", point.label},
                        {"start", format_day(point.start)},
                        {"matches", point.matches},
                        {"in_scope", point.in_scope},
                        {"ratio", point.gap() ? Json(nullptr) : Json(point.ratio())}});
    }
    series.push_back({{"name", line.name}, {"matches", line.matches}, {"in_scope", line.in_scope}, {"points", points}});
  }
  Json result = {{"query", request.search.query},
                 {"by", bucket_name(request.by)},
                 {"matches", timeline.matches},
                 {"in_scope", timeline.in_scope},
                 {"undated", {{"matches", timeline.undated_matches}, {"in_scope", timeline.undated_in_scope}}}};
  add_notes(result, timeline.notes);
  result["series"] = std::move(series);
  return result;
}

Json outlets_json(const OutletsRequest& request, const OutletsReport& report) {
  Json rows = Json::array();
  for (const OutletCoverage& row : report.outlets) {
    rows.push_back({{"name", row.name},
                    {"matches", row.matches},
                    {"articles", row.articles},
                    {"share_of_matches", row.share_of_matches},
                    {"share_of_output", row.share_of_output}});
  }
  Json result = {{"query", request.search.query},
                 {"by", request.by_collection ? "collection" : "outlet"},
                 {"matches", report.matches},
                 {"count", report.outlet_count}};
  add_notes(result, report.notes);
  result["rows"] = std::move(rows);
  return result;
}

Json stats_json(const IndexStats& stats) {
  const auto day_or_null = [](const std::optional<UnixSeconds>& date) {
    return date ? Json(format_day(*date)) : Json(nullptr);
  };
  return {{"articles", stats.articles},
          {"first_date", day_or_null(stats.first_date)},
          {"last_date", day_or_null(stats.last_date)},
          {"undated", stats.undated},
          {"outlets", stats.outlet_count},
          {"top_outlets", facet_json(stats.top_outlets, "value")},
          {"size_bytes", stats.size_bytes}};
}

Json article_json(const Article& article) { return core::article_to_json(article); }

const std::vector<std::string>& export_fields() {
  static const std::vector<std::string> fields = {"id",   "url",   "title",   "outlet", "date", "date_source",
                                                  "score", "rank", "authors", "tags",   "lang", "story", "body"};
  return fields;
}

void check_export_fields(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (std::find(export_fields().begin(), export_fields().end(), field) == export_fields().end()) {
      std::string known;
      for (const std::string& name : export_fields()) known += (known.empty() ? "" : ",") + name;
      throw std::invalid_argument("unknown field '" + field + "' (fields: " + known + ")");
    }
  }
}

Json export_field_json(const Hit& hit, const std::string& field) {
  const Article& article = hit.article;
  if (field == "id") return article.id;
  if (field == "url") return article.url;
  if (field == "title") return article.title;
  if (field == "outlet") return article.outlet;
  if (field == "date") return article.date ? Json(format_timestamp(*article.date, article.date_offset)) : Json(nullptr);
  if (field == "date_source") return article.date ? Json(article.date_source) : Json(nullptr);
  if (field == "score") return hit.score;
  if (field == "rank") return hit.rank;
  if (field == "authors") return article.authors;
  if (field == "tags") return article.tags;
  if (field == "lang") return article.lang;
  if (field == "story") return article.story;
  return article.body;
}

std::string export_field_text(const Hit& hit, const std::string& field) {
  const Json value = export_field_json(hit, field);
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value) joined += (joined.empty() ? "" : "; ") + item.get<std::string>();
    return joined;
  }
  if (field == "score") return number(hit.score);
  return value.dump();
}

std::string json_text(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace gazette::present
