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

// Builds an article from a JSON object in the common JSON Lines shape
// (docs/formats.md). Throws std::invalid_argument naming the offending field.
Article article_from_json(const nlohmann::json& object);

// The article as a JSON object in the same shape, keys in the model's order;
// `date` as ISO 8601 UTC or null.
nlohmann::ordered_json article_to_json(const Article& article);

// Document data stored in the index: the article as one JSON line without its body,
// then a newline, then the body as is. A result page that shows no body (or a
// snippet) decodes only the small JSON part.
std::string encode_stored(const Article& article);
Article decode_stored(std::string_view data, bool with_body = true);

}  // namespace gazette::core
