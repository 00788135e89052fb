// Term builders for the schema in schema.h.
#include "core/schema.h"

#include <chrono>

#include "core/analysis.h"
#include "core/strings.h"

namespace gazette::core::schema {
namespace {

std::string join(std::string_view prefix, std::string_view value) {
  std::string term;
  term.reserve(prefix.size() + value.size());
  term.append(prefix).append(value);
  return term;
}

// As join, bounded to kMaxTermBytes: "<prefix><first bytes>#<16 hex digits of the hash>".
std::string bounded_join(std::string_view prefix, std::string_view value) {
  if (prefix.size() + value.size() <= kMaxTermBytes) return join(prefix, value);
  constexpr std::size_t kHashBytes = 17;
  std::size_t keep = kMaxTermBytes - prefix.size() - kHashBytes;
  while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
  return join(prefix, value.substr(0, keep)) + "#" + hex64(fnv1a(value));
}

// "YYYYMMDD" from "YYYY-MM-DD".
std::string compact_day(UnixSeconds date) {
  std::string day = format_day(date);
  std::erase(day, '-');
  return day;
}

}  // namespace

std::string id_term(std::string_view id) { return join(kId, id); }
std::string outlet_term(std::string_view outlet) { return bounded_join(kOutlet, normalize_value(outlet)); }
std::string tag_term(std::string_view tag) { return bounded_join(kTag, normalize_value(tag)); }
std::string lang_term(std::string_view lang) { return bounded_join(kLang, lang_code(lang)); }
std::string story_term(std::string_view story) { return bounded_join(kStory, story); }
std::string day_key(UnixSeconds date) { return compact_day(date); }
std::string day_term(UnixSeconds date) { return join(kDay, compact_day(date)); }
std::string month_term(UnixSeconds date) { return join(kMonth, compact_day(date).substr(0, 6)); }
std::string year_term(UnixSeconds date) { return join(kYear, compact_day(date).substr(0, 4)); }

std::vector<std::string> calendar_terms(UnixSeconds from, UnixSeconds to) {
  using namespace std::chrono;
  constexpr UnixSeconds kDaySeconds = 86400;
  const auto floor_div = [](UnixSeconds a, UnixSeconds b) { return a / b - (a % b < 0 ? 1 : 0); };
  if (to < from || floor_div(from, kDaySeconds) * kDaySeconds != from ||
      floor_div(to + 1, kDaySeconds) * kDaySeconds != to + 1) {
    return {};
  }
  constexpr std::size_t kMaxTerms = 400;
  const sys_days final_day{days{floor_div(to, kDaySeconds)}};
  std::vector<std::string> terms;
  for (sys_days day{days{floor_div(from, kDaySeconds)}}; day <= final_day;) {
    if (terms.size() == kMaxTerms) return {};
    const year_month_day date{day};
    const auto seconds = static_cast<UnixSeconds>(duration_cast<std::chrono::seconds>(day.time_since_epoch()).count());
    const sys_days year_end{date.year() / December / 31};
    const sys_days month_end{date.year() / date.month() / last};
    if (date.month() == January && date.day() == 1d && year_end <= final_day) {
      terms.push_back(year_term(seconds));
      day = year_end + days{1};
    } else if (date.day() == 1d && month_end <= final_day) {
      terms.push_back(month_term(seconds));
      day = month_end + days{1};
    } else {
      terms.push_back(day_term(seconds));
      day += days{1};
    }
  }
  return terms;
}

std::string lang_code(std::string_view lang) {
  const std::string code = normalize_value(lang);
  return code.empty() ? "en" : code;
}

}  // namespace gazette::core::schema
