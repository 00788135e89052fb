// The "date" stage: every source a page or a text offers says what it knows of the
// article's date as a candidate (a date, the zone it was written in, what it dates:
// the publication, the last change, or a day the article cannot be later than), with
// a source and a trust; one choice is made from them all. The HTML, plain-text and
// JSON Lines readers share it, so that a date is found, checked and explained one way.
//
// Nothing is guessed: with no candidate, the article is undated.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date_text.h"
#include "gazette/article.h"

namespace gazette::indexer::clean {

// What a candidate dates.
enum class DateRole {
  kPublished,  // The publication: what the article's date is.
  kModified,   // The last change: kept apart, never the publication date.
  kNotAfter,   // A day the article cannot be later than (its first comment).
};

// How far each source is trusted (docs/extraction.md says what each bought on the
// development pages). The most trusted plausible publication candidate is the date.
namespace trust {
inline constexpr int kJsonLdArticle = 100;  // JSON-LD datePublished of the article's node.
inline constexpr int kMetaPublished = 95;   // article:published_time and kin.
inline constexpr int kItemprop = 90;        // An element marked itemprop="datePublished".
inline constexpr int kJsonLdPage = 85;      // JSON-LD datePublished of the page's node.
inline constexpr int kUrl = 80;             // A full day in the page's own URL.
inline constexpr int kMetaDate = 75;        // <meta name="date"> and other generic keys.
inline constexpr int kTimeElement = 70;     // <time datetime> in the article's header.
inline constexpr int kDateLine = 60;        // A visible date line by the title or by-line.
inline constexpr int kFirstDateInText = 40; // Plain text: the first dated line near the top.
inline constexpr int kComments = 10;        // Plain text: before the first comment.
}  // namespace trust

struct DateCandidate {
  core::FoundDate date;
  DateRole role = DateRole::kPublished;
  int trust = 0;
  std::string source;  // One word (Article::date_source): "jsonld", "meta", "url", ...
  std::string where;   // For provenance: "JSON-LD datePublished \"2020-03-16T13:00:00Z\"".
};

struct ChosenDate {
  std::optional<UnixSeconds> date;
  std::optional<int> offset;
  std::string source;
  std::string how;  // Provenance "date".
  std::optional<UnixSeconds> modified;
  std::optional<int> modified_offset;
  std::string rejected;  // Dates read and not believed, for provenance "date_rejected".
};

class DateEvidence {
 public:
  // `lang` is the page's language (ISO 639-1, may be empty): its month names and
  // numeric order read the dates it writes.
  explicit DateEvidence(std::string lang = {}) : lang_(std::move(lang)) {}

  const std::string& lang() const { return lang_; }

  // A metadata value read as one date (ISO 8601 or a lightly decorated date).
  // Unreadable text is no candidate; an implausible date is noted as rejected. Each
  // add returns whether a candidate was added.
  bool add_value(std::string_view text, DateRole role, int trust, std::string source, std::string where);

  // A line of visible text holding a date somewhere in it.
  bool add_line(std::string_view line, DateRole role, int trust, std::string source, std::string where);

  // The date path of a URL: /2015/03/18/, /2015-03-18/, /20150318/ or a slug's
  // "-20150318". Query strings and fragments are not read.
  bool add_url(std::string_view url, int trust, std::string where);

  bool add(DateCandidate candidate);

  bool has_published() const;

  // The most trusted publication candidate, with two corrections: where the markup
  // disagrees with itself on the day, its earliest claim; where a time in UTC is a
  // day off from the day the page's URL files it under, the URL's day. Without a
  // publication candidate, a kNotAfter bound; the modified date apart. A day without
  // a time takes the time of a source naming the same day.
  ChosenDate choose() const;

 private:
  const DateCandidate* most_trusted(DateRole role) const;
  const DateCandidate* original_among_markup(const DateCandidate* chosen) const;
  const DateCandidate* shown_day_for(const DateCandidate& chosen) const;
  const DateCandidate* time_for(const DateCandidate& chosen) const;

  std::string lang_;
  std::vector<DateCandidate> candidates_;
  std::string rejected_;
};

// The day written in a URL's path, as midnight UTC of that day.
std::optional<UnixSeconds> date_in_url(std::string_view url);

}  // namespace gazette::indexer::clean
