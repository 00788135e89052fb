// Date candidates and the one choice made from them (publication_date.h).
#include "indexer/clean/publication_date.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace gazette::indexer::clean {
namespace {

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 80;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "…";
  return "\"" + shown + "\"";
}

bool digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return false;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

int number_at(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

std::optional<UnixSeconds> day_of(int year, int month, int day) {
  if (year < 1990 || year > 2100) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::sys_days{ymd}.time_since_epoch()).count();
}

// The path of a URL: after the host, before "?" or "#".
std::string_view path_of(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const auto slash = url.find('/');
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  return url.substr(0, url.find_first_of("?#"));
}

bool is_separator(char c) { return c == '/' || c == '-' || c == '_' || c == '.'; }

}  // namespace

std::optional<UnixSeconds> date_in_url(std::string_view url) {
  const std::string_view path = path_of(url);
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!is_separator(path[i])) continue;
    const std::size_t at = i + 1;
    // /2015/03/18/ and /2015-03-18: separators of one kind between the parts.
    if (digits_at(path, at, 4) && at + 10 <= path.size() && is_separator(path[at + 4]) && path[at + 7] == path[at + 4] &&
        digits_at(path, at + 5, 2) && digits_at(path, at + 8, 2) &&
        (at + 10 == path.size() || !std::isdigit(static_cast<unsigned char>(path[at + 10])))) {
      if (const auto day = day_of(number_at(path, at, 4), number_at(path, at + 5, 2), number_at(path, at + 8, 2))) {
        return day;
      }
    }
    // /20150318/ or -20150318: eight digits standing alone.
    if (digits_at(path, at, 8) && (at + 8 == path.size() || !std::isalnum(static_cast<unsigned char>(path[at + 8])))) {
      if (const auto day = day_of(number_at(path, at, 4), number_at(path, at + 4, 2), number_at(path, at + 6, 2))) {
        return day;
      }
    }
  }
  return std::nullopt;
}

bool DateEvidence::add(DateCandidate candidate) {
  if (const std::string why = core::implausible_date(candidate.date.seconds); !why.empty()) {
    rejected_ += (rejected_.empty() ? "" : "; ") + candidate.where + " (" + why + ")";
    return false;
  }
  candidates_.push_back(std::move(candidate));
  return true;
}

bool DateEvidence::add_value(std::string_view text, DateRole role, int trust, std::string source, std::string where) {
  if (text.empty()) return false;
  if (const auto date = core::read_loose_date(text, lang_)) {
    return add(DateCandidate{*date, role, trust, std::move(source), where + " " + quoted(text)});
  }
  return false;
}

bool DateEvidence::add_line(std::string_view line, DateRole role, int trust, std::string source, std::string where) {
  if (line.empty()) return false;
  if (const auto date = core::find_date(line, lang_)) {
    return add(DateCandidate{*date, role, trust, std::move(source), where + " " + quoted(line)});
  }
  return false;
}

bool DateEvidence::add_url(std::string_view url, int trust, std::string where) {
  if (const auto day = date_in_url(url)) {
    return add(DateCandidate{core::FoundDate{*day, false, std::nullopt, 0, 0}, DateRole::kPublished, trust, "url",
                      where + " " + quoted(url)});
  }
  return false;
}

bool DateEvidence::has_published() const {
  return std::any_of(candidates_.begin(), candidates_.end(),
                     [](const DateCandidate& candidate) { return candidate.role == DateRole::kPublished; });
}

namespace {

constexpr UnixSeconds kDay = 86400;

UnixSeconds day_number(UnixSeconds seconds) { return seconds / kDay - (seconds % kDay < 0 ? 1 : 0); }

// The day a candidate names, on the clock it was written in.
UnixSeconds written_day(const DateCandidate& candidate) {
  return day_number(candidate.date.seconds + candidate.date.offset.value_or(0) * 60);
}

// The day the publisher filed the article under, in its URL's path. (A date line on
// the page is no such evidence: it may be a clock in the site's navigation.)
bool is_shown_day(const DateCandidate& candidate) {
  return candidate.role == DateRole::kPublished && candidate.source == "url";
}

}  // namespace

const DateCandidate* DateEvidence::most_trusted(DateRole role) const {
  const DateCandidate* chosen = nullptr;
  for (const DateCandidate& candidate : candidates_) {
    if (candidate.role == role && (!chosen || candidate.trust > chosen->trust)) chosen = &candidate;
  }
  return chosen;
}

// Where the publisher's own markup disagrees with itself on the day (JSON-LD and
// <meta> a day apart), the earliest claim is the original publication: a later one is
// a revision, or a time converted to another zone.
const DateCandidate* DateEvidence::original_among_markup(const DateCandidate* chosen) const {
  if (!chosen || chosen->trust < trust::kJsonLdPage) return chosen;
  for (const DateCandidate& candidate : candidates_) {
    if (candidate.role == DateRole::kPublished && candidate.trust >= trust::kJsonLdPage &&
        written_day(candidate) < written_day(*chosen)) {
      chosen = &candidate;
    }
  }
  return chosen;
}

// A time written in UTC ("…T02:18:11Z") gives the instant, not the publisher's day:
// where the page's URL files it under a day one off from it, that day is the
// publisher's.
const DateCandidate* DateEvidence::shown_day_for(const DateCandidate& chosen) const {
  if (chosen.date.offset != 0 || !chosen.date.has_time) return nullptr;
  const DateCandidate* shown = nullptr;
  for (const DateCandidate& candidate : candidates_) {
    if (&candidate == &chosen || !is_shown_day(candidate)) continue;
    const UnixSeconds apart = written_day(candidate) - written_day(chosen);
    if ((apart == 1 || apart == -1) && (!shown || candidate.trust > shown->trust)) shown = &candidate;
  }
  return shown;
}

// A day without a time (a URL's, a date line's) takes the time of a less trusted
// source that names the same day.
const DateCandidate* DateEvidence::time_for(const DateCandidate& chosen) const {
  if (chosen.date.has_time) return nullptr;
  const DateCandidate* timed = nullptr;
  for (const DateCandidate& candidate : candidates_) {
    if (candidate.role == DateRole::kPublished && candidate.date.has_time &&
        written_day(candidate) == written_day(chosen) && (!timed || candidate.trust > timed->trust)) {
      timed = &candidate;
    }
  }
  return timed;
}

ChosenDate DateEvidence::choose() const {
  ChosenDate out;
  out.rejected = rejected_;
  const DateCandidate* published = original_among_markup(most_trusted(DateRole::kPublished));
  // Without a publication date, a bound: the article is no later than its first
  // comment, or than its last change.
  const bool bound = !published;
  if (!published) published = most_trusted(DateRole::kNotAfter);
  if (!published) published = most_trusted(DateRole::kModified);
  if (published) {
    std::string how = published->where;
    if (bound) how += " (a bound: the article is no later than that)";
    if (const DateCandidate* shown = shown_day_for(*published)) {
      how = shown->where + ", the publisher's day for " + how + " (a time in UTC)";
      published = shown;
    }
    if (const DateCandidate* timed = time_for(*published)) {
      how = timed->where + ", on the day of " + how;
      published = timed;
    }
    out.date = published->date.seconds;
    out.offset = published->date.offset;
    out.source = published->role == DateRole::kModified ? "modified" : published->source;
    out.how = std::move(how);
    if (!rejected_.empty()) out.how += ", passing over " + rejected_;
  }
  if (const DateCandidate* modified = most_trusted(DateRole::kModified)) {
    out.modified = modified->date.seconds;
    out.modified_offset = modified->date.offset;
  }
  return out;
}

}  // namespace gazette::indexer::clean
