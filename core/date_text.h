// Dates as pages and scraped text write them: ISO 8601, RFC 2822, "December 7, 2024 at
// 1:03 pm", "7 Dec 2024", "Sat, 07 Dec 2024 13:03:00 GMT". Shared by the HTML and the
// plain-text cleaners; all results are UTC seconds.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gazette/article.h"

namespace gazette::core {

struct FoundDate {
  UnixSeconds seconds = 0;
  bool has_time = false;   // False: midnight UTC of the day written.
  std::size_t begin = 0;   // Byte range of the date in the text searched.
  std::size_t end = 0;
};

// The first complete date (day, month and year) written anywhere in `text`, with its
// time of day and zone when they follow it. Numeric day/month orders other than
// year-first (07/12/2024) are ambiguous and never read.
std::optional<FoundDate> find_date(std::string_view text);

// `text` read as one date, allowing only light decoration around it ("Published:",
// "Updated", a trailing "|"). For metadata values such as <meta name="date">.
std::optional<UnixSeconds> parse_loose_date(std::string_view text);

// A publication date read from a page or a text is taken only between 1990-01-01 and a
// day after now: outside that it is almost always a misreading (0001-01-01 from an
// empty field, a year-2099 placeholder, a founding year in a footer), and the cleaners
// go on to their next source. Empty when plausible, else why not.
std::string implausible_date(UnixSeconds seconds);

}  // namespace gazette::core
