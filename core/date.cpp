// ISO 8601 dates to UTC seconds and back, with std::chrono calendar types
// (no time-zone database needed: offsets are explicit or UTC).
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "gazette/article.h"

namespace gazette {
namespace {

// Reads exactly `width` digits at `pos`, advancing it.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

std::chrono::sys_seconds to_sys(UnixSeconds seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

}  // namespace

namespace {

struct Clock {
  int hour = 0, minute = 0, second = 0;
};

// "YYYY-MM-DD" or the basic form "YYYYMMDD", when a time follows it.
std::optional<std::chrono::year_month_day> read_calendar_day(std::string_view text, std::size_t& pos,
                                                             bool& basic) {
  int year = 0, month = 0, day = 0;
  if (!read_digits(text, pos, 4, year)) return std::nullopt;
  basic = pos < text.size() && text[pos] != '-';
  if (!basic) ++pos;
  if (!read_digits(text, pos, 2, month)) return std::nullopt;
  if (!basic && (pos >= text.size() || text[pos++] != '-')) return std::nullopt;
  if (!read_digits(text, pos, 2, day)) return std::nullopt;
  if (basic && (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't'))) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// "HH:MM[:SS[.fff]]", or "HHMM[SS]" in the basic form (colons are accepted there too,
// as pages write "20200316T13:00:00Z").
std::optional<Clock> read_clock(std::string_view text, std::size_t& pos) {
  Clock clock;
  if (!read_digits(text, pos, 2, clock.hour)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (!read_digits(text, pos, 2, clock.minute)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (!read_digits(text, pos, 2, clock.second)) return std::nullopt;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const std::size_t fraction_start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == fraction_start) return std::nullopt;
    }
  }
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 60) return std::nullopt;
  return clock;
}

// "Z", "+HH", "+HHMM" or "+HH:MM" up to the end of the text, in minutes east of UTC.
std::optional<int> read_zone(std::string_view text, std::size_t& pos) {
  const char zone = text[pos++];
  if ((zone == 'Z' || zone == 'z') && pos == text.size()) return 0;
  if (zone != '+' && zone != '-') return std::nullopt;
  int hours = 0, minutes = 0;
  if (!read_digits(text, pos, 2, hours)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !read_digits(text, pos, 2, minutes)) return std::nullopt;
  if (pos != text.size() || hours > 18 || minutes > 59) return std::nullopt;
  return (hours * 60 + minutes) * (zone == '-' ? -1 : 1);
}

}  // namespace

std::optional<UnixSeconds> parse_date(std::string_view text, std::optional<int>* offset_minutes) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (offset_minutes) offset_minutes->reset();

  std::size_t pos = 0;
  bool basic = false;
  const auto ymd = read_calendar_day(text, pos, basic);
  if (!ymd) return std::nullopt;
  Clock clock;
  std::optional<int> offset;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    const auto read = read_clock(text, pos);
    if (!read) return std::nullopt;
    clock = *read;
    if (pos < text.size()) {
      offset = read_zone(text, pos);
      if (!offset) return std::nullopt;
    }
  }
  if (offset_minutes) *offset_minutes = offset;
  const auto days = std::chrono::sys_days{*ymd}.time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() + clock.hour * 3600 +
         clock.minute * 60 + clock.second - offset.value_or(0) * 60;
}

std::optional<std::pair<UnixSeconds, UnixSeconds>> parse_period(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  int year = 0, month = 0;
  if (text.size() == 4 && read_digits(text, pos, 4, year)) {
    const auto first = sys_days{std::chrono::year{year} / January / 1};
    const auto next = sys_days{std::chrono::year{year + 1} / January / 1};
    return std::pair{duration_cast<seconds>(first.time_since_epoch()).count(),
                     duration_cast<seconds>(next.time_since_epoch()).count() - 1};
  }
  if (text.size() == 7 && read_digits(text, pos, 4, year) && text[pos++] == '-' &&
      read_digits(text, pos, 2, month) && month >= 1 && month <= 12) {
    const auto start = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)};
    const auto first = sys_days{start / 1};
    const auto next = sys_days{(start + months{1}) / 1};
    return std::pair{duration_cast<seconds>(first.time_since_epoch()).count(),
                     duration_cast<seconds>(next.time_since_epoch()).count() - 1};
  }
  const auto instant = parse_date(text);
  if (!instant) return std::nullopt;
  if (text.size() == 10) return std::pair{*instant, *instant + 86399};
  return std::pair{*instant, *instant};
}

std::string format_day(UnixSeconds seconds) {
  const auto day = std::chrono::floor<std::chrono::days>(to_sys(seconds));
  const std::chrono::year_month_day ymd{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

std::string format_timestamp(UnixSeconds seconds) {
  const auto time = to_sys(seconds);
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::hh_mm_ss clock{time - day};
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02dZ", format_day(seconds).c_str(),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

std::string format_timestamp(UnixSeconds seconds, std::optional<int> offset_minutes) {
  if (!offset_minutes || *offset_minutes == 0) return format_timestamp(seconds);
  std::string text = format_timestamp(seconds + *offset_minutes * 60);
  text.pop_back();  // The 'Z'.
  const int magnitude = std::abs(*offset_minutes);
  char zone[8];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", *offset_minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return text + zone;
}

UnixSeconds publisher_clock(const Article& article) {
  return *article.date + article.date_offset.value_or(0) * 60;
}

}  // namespace gazette
