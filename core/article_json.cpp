// JSON mapping of the article model, with field-level validation for input records.
#include "core/article_json.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "core/date_text.h"
#include "core/schema.h"
#include "gazette/errors.h"

namespace gazette::core {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 14> kKnownFields = {
    "id", "url", "title", "body", "date", "date_source", "date_offset", "outlet", "authors",
    "tags", "lang", "comments", "provenance", "story_id"};

// Stored data only: where the body ends and the comments begin.
constexpr std::string_view kCommentsAt = "comments_at";

[[noreturn]] void fail(std::string_view field, std::string_view problem) {
  throw std::invalid_argument("field '" + std::string(field) + "' " + std::string(problem));
}

// A string field; null or absent reads as empty.
std::string string_field(const json& object, std::string_view field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) fail(field, "must be a string, not " + std::string(it->type_name()));
  return it->get<std::string>();
}

// The story id of a record: `story_id`, or `story` as news aggregators name it (the
// UCI sample's STORY cluster) when it is a string.
std::string story_field(const json& object) {
  if (std::string story = string_field(object, "story_id"); !story.empty()) return story;
  const auto story = object.find("story");
  if (story != object.end() && story->is_string()) return story->get<std::string>();
  return {};
}

// A list of strings; a lone string is a list of one, null or absent an empty list.
std::vector<std::string> string_list_field(const json& object, std::string_view field) {
  const auto it = object.find(field);
  std::vector<std::string> values;
  if (it == object.end() || it->is_null()) return values;
  if (it->is_string()) {
    if (!it->get_ref<const std::string&>().empty()) values.push_back(it->get<std::string>());
    return values;
  }
  if (!it->is_array()) fail(field, "must be a list of strings, not " + std::string(it->type_name()));
  for (const json& value : *it) {
    if (value.is_null()) continue;  // Gaps in real data: [null] means nothing known.
    if (!value.is_string()) fail(field, "must hold only strings, found " + std::string(value.type_name()));
    if (!value.get_ref<const std::string&>().empty()) values.push_back(value.get<std::string>());
  }
  return values;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trim_blank(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}


// Epoch seconds, or milliseconds where the number is too large to be seconds (1e11
// seconds is the year 5138).
UnixSeconds from_epoch(double value) {
  constexpr double kMillisecondsFrom = 1e11;
  return static_cast<UnixSeconds>(std::fabs(value) >= kMillisecondsFrom ? value / 1000 : value);
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `text` in strptime's `format`; %z gives the offset.
std::optional<std::pair<UnixSeconds, std::optional<int>>> read_formatted(const std::string& text,
                                                                        const std::string& format) {
  std::tm tm{};
  tm.tm_mday = 1;
  const char* end = strptime(text.c_str(), format.c_str(), &tm);
  if (!end || *end != '\0') return std::nullopt;
  std::optional<int> offset;
  if (format.find("%z") != std::string::npos) offset = static_cast<int>(tm.tm_gmtoff / 60);
  const UnixSeconds written = timegm(&tm);
  return std::pair{written - offset.value_or(0) * 60, offset};
}

void read_input_date(const json& value, RecordDates& dates, Article& article) {
  if (value.is_string() && is_blank(value.get_ref<const std::string&>())) return;
  if (const auto date = read_record_date(value, dates.format)) {
    article.date = date->first;
    article.date_offset = date->second;
    return;
  }
  const std::string shown = value.is_string() ? "\"" + value.get<std::string>() + "\"" : value.dump();
  dates.problem = "field 'date' cannot be read as a date: " + shown.substr(0, 100) +
                  (dates.format.empty() ? "; indexed undated (--date-format names an ambiguous form, e.g. %d/%m/%Y)"
                                        : "; indexed undated (not in --date-format " + dates.format + " either)");
}

}  // namespace

std::optional<std::pair<UnixSeconds, std::optional<int>>> read_record_date(const json& value,
                                                                           const std::string& format) {
  using Date = std::pair<UnixSeconds, std::optional<int>>;
  if (value.is_number()) return Date{from_epoch(value.get<double>()), std::nullopt};
  if (!value.is_string()) return std::nullopt;
  const std::string text(trim_blank(value.get_ref<const std::string&>()));
  if (!format.empty()) {
    if (auto date = read_formatted(text, format)) return date;
  }
  if (all_digits(text) && (text.size() == 10 || text.size() == 13)) return Date{from_epoch(std::stod(text)), std::nullopt};
  std::optional<int> offset;
  if (const auto iso = parse_date(text, &offset)) return Date{*iso, offset};
  if (const auto written = read_loose_date(text)) return Date{written->seconds, written->offset};
  return std::nullopt;
}

Article article_from_json(const json& object, RecordDates* record_dates) {
  if (!object.is_object()) {
    throw std::invalid_argument("record must be a JSON object, not " +
                                std::string(object.type_name()));
  }
  Article article;
  const auto id = object.find("id");
  if (id == object.end() || id->is_null()) fail("id", "is missing");
  if (id->is_number_integer()) {
    article.id = id->dump();
  } else if (id->is_string()) {
    article.id = id->get<std::string>();
  } else {
    fail("id", "must be a string, not " + std::string(id->type_name()));
  }
  if (is_blank(article.id)) fail("id", "is empty");
  if (article.id.size() > core::schema::kMaxIdBytes) {
    fail("id", "is " + std::to_string(article.id.size()) + " bytes long, at most " + std::to_string(core::schema::kMaxIdBytes));
  }

  article.url = string_field(object, "url");
  article.title = string_field(object, "title");
  article.body = string_field(object, "body");
  article.outlet = string_field(object, "outlet");
  article.lang = string_field(object, "lang");
  article.authors = string_list_field(object, "authors");
  article.tags = string_list_field(object, "tags");
  article.comments = string_field(object, "comments");
  article.story = story_field(object);
  if (const auto provenance = object.find("provenance"); provenance != object.end() && !provenance->is_null()) {
    if (!provenance->is_object()) fail("provenance", "must be an object of strings");
    for (const auto& [field, how] : provenance->items()) {
      if (!how.is_string()) fail("provenance", "must be an object of strings");
      article.provenance.emplace_back(field, how.get<std::string>());
    }
  }

  if (const auto date = object.find("date"); date != object.end() && !date->is_null()) {
    if (record_dates) {
      read_input_date(*date, *record_dates, article);
    } else if (date->is_number_integer()) {
      article.date = date->get<UnixSeconds>();
    } else if (date->is_string()) {
      const auto& text = date->get_ref<const std::string&>();
      if (!is_blank(text)) {
        article.date = parse_date(text, &article.date_offset);
        if (!article.date) fail("date", "cannot be parsed as a date: \"" + text + "\"");
      }
    } else {
      fail("date", "must be an ISO 8601 string, not " + std::string(date->type_name()));
    }
  }
  if (article.date) {
    article.date_source = string_field(object, "date_source");
    if (article.date_source.empty() && record_dates) article.date_source = "record";
    // Stored data keeps the offset beside exact seconds.
    if (const auto offset = object.find("date_offset"); offset != object.end() && offset->is_number_integer()) {
      article.date_offset = offset->get<int>();
    }
  }

  for (const auto& [name, value] : object.items()) {
    if (std::find(kKnownFields.begin(), kKnownFields.end(), name) != kKnownFields.end()) continue;
    article.extra.emplace_back(name, value.dump());
  }
  return article;
}

nlohmann::ordered_json article_to_json(const Article& article) {
  using nlohmann::ordered_json;
  ordered_json object = ordered_json::object();
  object["id"] = article.id;
  object["url"] = article.url.empty() ? ordered_json(nullptr) : ordered_json(article.url);
  object["title"] = article.title;
  object["body"] = article.body;
  object["date"] = article.date ? ordered_json(format_timestamp(*article.date, article.date_offset))
                                : ordered_json(nullptr);
  if (article.date && !article.date_source.empty()) object["date_source"] = article.date_source;
  object["outlet"] = article.outlet;
  object["authors"] = article.authors;
  object["tags"] = article.tags;
  object["lang"] = article.lang;
  if (!article.comments.empty()) object["comments"] = article.comments;
  if (!article.story.empty()) object["story_id"] = article.story;
  if (!article.provenance.empty()) {
    ordered_json provenance = ordered_json::object();
    for (const auto& [field, how] : article.provenance) provenance[field] = how;
    object["provenance"] = std::move(provenance);
  }
  for (const auto& [name, value] : article.extra) {
    object[name] = ordered_json::parse(value, nullptr, /*allow_exceptions=*/false);
  }
  return object;
}

std::string encode_stored(const Article& article) {
  nlohmann::ordered_json object = article_to_json(article);
  object.erase("body");
  object.erase("comments");
  if (!article.comments.empty()) object[std::string(kCommentsAt)] = article.body.size();
  // Exact seconds survive the round trip even where ISO text would be ambiguous.
  if (article.date) object["date"] = *article.date;
  if (article.date && article.date_offset) object["date_offset"] = *article.date_offset;
  // JSON text never holds a raw newline, so the first one ends the header.
  std::string data = object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  data += '\n';
  data += article.body;
  data += article.comments;
  return data;
}

Article decode_stored(std::string_view data, bool with_body) {
  const std::size_t header_end = std::min(data.find('\n'), data.size());
  json header = json::parse(data.substr(0, header_end), nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    throw IndexError("an article's stored data cannot be read (the index is damaged: re-index, or restore it)");
  }
  std::size_t comments_at = std::string_view::npos;
  if (const auto it = header.find(kCommentsAt); it != header.end()) {
    comments_at = it->get<std::size_t>();
    header.erase(it);
  }
  Article article = article_from_json(header);
  if (with_body && header_end < data.size()) {
    const std::string_view rest = data.substr(header_end + 1);
    article.body.assign(rest.substr(0, comments_at));
    if (comments_at < rest.size()) article.comments.assign(rest.substr(comments_at));
  }
  return article;
}

bool json_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace gazette::core
