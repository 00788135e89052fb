// The article model: what Gazette stores for one article and shows back.
// Plain value type shared by readers, the index writer and search results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gazette {

// Seconds since 1970-01-01T00:00:00Z. Dates without a time of day are midnight UTC.
using UnixSeconds = std::int64_t;

struct Article {
  std::string id;     // Required, unique within an index; re-adding an id replaces the article.
  std::string url;    // Empty when unknown.
  std::string title;  // Plain text.
  std::string body;   // Plain text.
  std::optional<UnixSeconds> date;  // Publication time in UTC, when known; never guessed.
  // Minutes east of UTC of the clock the source wrote the date in ("+05:30" is 330);
  // unset when it named no zone (the date then reads as UTC). The article's day, in
  // facets, timelines and day filters, is the day on that clock: the publisher's day.
  std::optional<int> date_offset;
  // Where the date came from, one word (docs/formats.md): "jsonld", "meta", "time",
  // "itemprop", "url", "dateline", "byline", "comments", "text", "record", "option",
  // "file-time"; empty when undated. Provenance "date" says it in a sentence.
  std::string date_source;
  std::string outlet;               // Publisher name as shown to users ("Reuters").
  std::vector<std::string> authors;
  std::vector<std::string> tags;
  std::string lang;  // ISO 639-1 code ("en"); empty means unknown (detected when indexed).
  // Reader comments cut from a scraped page: stored and shown, searched only when a
  // query asks (comments: field, SearchRequest::include_comments).
  std::string comments;
  // Where each extracted field came from, for articles cleaned from pages and scraped
  // text: (field, how), e.g. ("outlet", "footer \"The post … appeared first on X.\"").
  std::vector<std::pair<std::string, std::string>> provenance;
  // Story id shared by the near-duplicate copies of one story (syndicated wire copies);
  // assigned by the index writer, empty until then.
  std::string story;
  // Fields Gazette has no column for, kept verbatim and shown back:
  // (name, value as JSON text), e.g. ("places", "[\"usa\"]").
  std::vector<std::pair<std::string, std::string>> extra;

  friend bool operator==(const Article&, const Article&) = default;
};

// Parses an ISO 8601 date or date-time ("2024-12-07", "2024-12-07T13:03:00",
// "2024-12-07 13:03", "2024-12-07T13:03:00.5+02:00", "...Z", the basic form
// "20241207T130300Z") into UTC seconds. Without an offset the time is taken as UTC.
// `offset_minutes`, when given, receives the offset written ("Z" is 0), or is reset
// when none was. Returns nullopt when the text is not such a date or names an
// impossible day (2024-02-30).
std::optional<UnixSeconds> parse_date(std::string_view text, std::optional<int>* offset_minutes = nullptr);

// A day, month or year ("2024-12-07", "2024-12", "2024"), or an exact date-time, as the
// inclusive range of seconds it covers. Returns nullopt when the text is none of these.
std::optional<std::pair<UnixSeconds, UnixSeconds>> parse_period(std::string_view text);

// Formats as "YYYY-MM-DD" (day) or "YYYY-MM-DDTHH:MM:SSZ" (full); with an offset, the
// time on that clock: "2020-04-16T01:00:03+05:30" (its day is the day shown).
std::string format_day(UnixSeconds seconds);
std::string format_timestamp(UnixSeconds seconds);
std::string format_timestamp(UnixSeconds seconds, std::optional<int> offset_minutes);

// The article's date on its publisher's clock, read as UTC: what its day, month and
// year are taken from. Requires article.date.
UnixSeconds publisher_clock(const Article& article);

}  // namespace gazette
