// By-lines: the names in "By Jane Roe and John Doe | Updated 3 May 2019", "Par Sébastien
// Farcis", "Written by Rob Ewaschuk". Shared by the page cleaner (visible by-line
// elements, <meta name="byl">) and usable by any reader that meets one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gazette::indexer::clean {

// The people a by-line names, in order: the "By"-like prefix (English, French, German,
// Spanish, Italian, Dutch, Scandinavian) dropped, cut before a date, a bar, a dash, a
// parenthesis or an "Updated"/"Published" note, split on "and", commas, "&" and their
// translations. Agencies ("Reuters", "AP") and what cannot be a name (a URL, an e-mail
// address, digits, more than six words) are left out. Empty when it names nobody.
std::vector<std::string> names_from_byline(std::string_view text);

}  // namespace gazette::indexer::clean
