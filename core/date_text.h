// Dates as pages and scraped text write them: ISO 8601, RFC 2822, "December 7, 2024 at
// 1:03 pm", "7 Dec 2024", "Sat, 07 Dec 2024 13:03:00 GMT", "06 dicembre 2020",
// "17/03/2020" where the page's language says which number is the day. Month names
// come from ICU's locale data for many languages. Shared by the HTML and the
// plain-text cleaners; results are UTC seconds with the offset the text wrote.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gazette/article.h"

namespace gazette::core {

struct FoundDate {
  UnixSeconds seconds = 0;
  bool has_time = false;   // False: midnight of the day written.
  std::optional<int> offset;  // Minutes east of UTC, when the text named a zone.
  std::size_t begin = 0;   // Byte range of the date in the text searched.
  std::size_t end = 0;
};

// The first complete date (day, month and year) written anywhere in `text`, with its
// time of day and zone when they follow it. `lang` (ISO 639-1, may be empty) is the
// text's language: its month names come first, and numeric dates are read in its
// order ("17/03/2020" in French); without it, or in English (whose order differs by
// country), a numeric date is read only where one number cannot be a month.
std::optional<FoundDate> find_date(std::string_view text, std::string_view lang = {});

// `text` read as one date, allowing only light decoration around it ("Published:",
// "Updated", a weekday, a trailing "|", a time before the date). For metadata values
// such as <meta name="date">.
std::optional<FoundDate> read_loose_date(std::string_view text, std::string_view lang = {});
std::optional<UnixSeconds> parse_loose_date(std::string_view text);

// The month a word names (1-12), 0 when none: full and abbreviated names in the
// format and stand-alone forms of ICU's locale data ("dicembre", "déc", "декабря"),
// lower-case. A word that names different months in two languages is read only in
// `lang`.
int month_number(std::string_view word, std::string_view lang = {});

// A publication date read from a page or a text is taken only between 1990-01-01 and a
// day after now: outside that it is almost always a misreading (0001-01-01 from an
// empty field, a year-2099 placeholder, a founding year in a footer), and the cleaners
// go on to their next source. Empty when plausible, else why not.
std::string implausible_date(UnixSeconds seconds);

}  // namespace gazette::core
