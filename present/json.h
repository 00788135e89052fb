// The "present" stage's shared encoders: every answer of the searcher as JSON (and the
// export's columns as JSON or CSV text), one definition for every front end. `gazette
// search --json`, `gazette timeline --json`, ... print these; `gazette serve` answers
// with them (docs/cli.md, docs/http.md). A field added here appears in both.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gazette/analytics.h"
#include "gazette/search.h"

namespace gazette::present {

using Json = nlohmann::ordered_json;

// Names used on the command line and in URLs, and back.
const char* sort_name(SortOrder sort);
std::optional<SortOrder> sort_from_name(std::string_view name);  // relevance, date, date-asc, hybrid
const char* bucket_name(TimeBucket bucket);
std::optional<TimeBucket> bucket_from_name(std::string_view name);  // day, week, month, year
const char* granularity_name(DateGranularity granularity);
std::optional<DateGranularity> granularity_from_name(std::string_view name);  // day, month, year

// What a hit carries beyond its id, url, title, date, outlet, authors, tags, language
// and story: the body, the reader comments and the provenance are left out unless
// asked for (a scraped page's comments alone can be many kilobytes).
struct HitFields {
  bool body = false;
  bool comments = false;
  bool provenance = false;
  // From a comma-separated list of those names ("body,comments"); throws
  // std::invalid_argument naming an unknown one.
  static HitFields parse(std::string_view list);
};

// What the query left out, in a sentence for people ("nothing searchable in the query:
// '💥' holds no word the index has ..."); empty when nothing was.
std::string notes_message(const QueryNotes& notes);

Json hit_json(const Hit& hit, const HitFields& fields, bool collapsed);
Json search_json(const SearchRequest& request, const SearchResponse& response, const HitFields& fields);
Json timeline_json(const TimelineRequest& request, const Timeline& timeline);
Json outlets_json(const OutletsRequest& request, const OutletsReport& report);
Json stats_json(const IndexStats& stats);
// A stored article, every field (body, comments, provenance included).
Json article_json(const Article& article);

// The columns an export offers (id, url, title, outlet, date, score, rank, authors,
// tags, lang, story, body) and one of them for a hit, as JSON or as CSV cell text
// (lists joined by "; ").
const std::vector<std::string>& export_fields();
// Throws std::invalid_argument naming an unknown field and listing the known ones.
void check_export_fields(const std::vector<std::string>& fields);
Json export_field_json(const Hit& hit, const std::string& field);
std::string export_field_text(const Hit& hit, const std::string& field);

// `value` as compact JSON on one line, bytes that are not UTF-8 replaced by U+FFFD (an
// answer never fails half-written on a bad byte): what the server sends and what
// JSON Lines output prints.
std::string json_text(const Json& value);

// A number as CSV and terminal tables print it (6 significant digits).
std::string number(double value);

}  // namespace gazette::present
