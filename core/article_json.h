// The article model as JSON: the JSON Lines input shape, the stored document data and
// the CLI's JSON output are one mapping, so what goes in comes back out unchanged.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gazette/article.h"

namespace gazette::core {

// Arrays and objects nested deeper than this are refused before parsing: nlohmann's
// parser is iterative, but copying, printing and walking a value recurse once per level,
// and 50,000 levels overflow the stack. No article needs more than a few.
inline constexpr std::size_t kMaxJsonDepth = 100;

// True when JSON text nests arrays and objects deeper than `limit` (brackets inside
// strings do not count). One pass, no allocation.
bool json_deeper_than(std::string_view text, std::size_t limit = kMaxJsonDepth);

// How an input record's `date` is read (JSON Lines, HTTP posts): ISO 8601 (offsets kept),
// RFC 2822 and other written forms, epoch seconds or milliseconds (numbers or digit
// strings), and, first, `format` (strptime's: "%d/%m/%Y") for a column in a form of
// its own. A date that cannot be read leaves the article undated and says why in
// `problem`, rather than costing the record.
struct RecordDates {
  std::string format;
  std::string problem;  // Set by article_from_json; empty when the date was read or absent.
};

// Builds an article from a JSON object in the common JSON Lines shape
// (docs/formats.md). Throws std::invalid_argument naming the offending field. Without
// `record_dates` (stored data), a date must be ISO 8601 or integer seconds.
Article article_from_json(const nlohmann::json& object, RecordDates* record_dates = nullptr);

// An input record's date value read as RecordDates says; nullopt when unreadable.
std::optional<std::pair<UnixSeconds, std::optional<int>>> read_record_date(const nlohmann::json& value,
                                                                           const std::string& format = {});

// The article as a JSON object in the same shape, keys in the model's order;
// `date` as ISO 8601 UTC or null.
nlohmann::ordered_json article_to_json(const Article& article);

// Document data stored in the index: the article as one JSON line without its body,
// then a newline, then the body as is. A result page that shows no body (or a
// snippet) decodes only the small JSON part.
std::string encode_stored(const Article& article);
Article decode_stored(std::string_view data, bool with_body = true);

}  // namespace gazette::core
