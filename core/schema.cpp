// Term builders for the schema in schema.h.
#include "core/schema.h"

#include "core/analysis.h"

namespace gazette::core::schema {
namespace {

std::string join(std::string_view prefix, std::string_view value) {
  std::string term;
  term.reserve(prefix.size() + value.size());
  term.append(prefix).append(value);
  return term;
}

// "YYYYMMDD" from "YYYY-MM-DD".
std::string compact_day(UnixSeconds date) {
  std::string day = format_day(date);
  std::erase(day, '-');
  return day;
}

}  // namespace

std::string id_term(std::string_view id) { return join(kId, id); }
std::string outlet_term(std::string_view outlet) { return join(kOutlet, normalize_value(outlet)); }
std::string tag_term(std::string_view tag) { return join(kTag, normalize_value(tag)); }
std::string lang_term(std::string_view lang) { return join(kLang, lang_code(lang)); }
std::string day_key(UnixSeconds date) { return compact_day(date); }
std::string day_term(UnixSeconds date) { return join(kDay, compact_day(date)); }
std::string month_term(UnixSeconds date) { return join(kMonth, compact_day(date).substr(0, 6)); }
std::string year_term(UnixSeconds date) { return join(kYear, compact_day(date).substr(0, 4)); }

std::string lang_code(std::string_view lang) {
  const std::string code = normalize_value(lang);
  return code.empty() ? "en" : code;
}

}  // namespace gazette::core::schema
