// ISO 8601 dates to UTC seconds and back, with std::chrono calendar types
// (no time-zone database needed: offsets are explicit or UTC).
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>

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

std::optional<UnixSeconds> parse_date(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);

  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;

  int offset_seconds = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !read_digits(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const std::size_t fraction_start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
        if (pos == fraction_start) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < text.size()) {
      const char zone = text[pos++];
      if ((zone == 'Z' || zone == 'z') && pos == text.size()) {
        // UTC.
      } else if (zone == '+' || zone == '-') {
        int offset_hours = 0, offset_minutes = 0;
        if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (pos < text.size() && !read_digits(text, pos, 2, offset_minutes)) return std::nullopt;
        if (pos != text.size() || offset_hours > 18 || offset_minutes > 59) return std::nullopt;
        offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (zone == '-' ? -1 : 1);
      } else {
        return std::nullopt;
      }
    }
  }
  const auto days = std::chrono::sys_days{ymd}.time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() + hour * 3600 +
         minute * 60 + second - offset_seconds;
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

}  // namespace gazette
