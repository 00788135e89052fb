// The "clean" stage for web pages: parses HTML with Gumbo (an HTML5-conformant parser,
// so broken markup parses as browsers parse it), reads the page's metadata in order of
// trust (JSON-LD, OpenGraph and meta tags, <time>, the canonical URL's host), and keeps
// the article's main text, leaving navigation, share bars, related lists, cookie
// notices, banners and the comment section out of the body (comments kept apart).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gazette/article.h"

namespace gazette::indexer::clean {

struct CleanedPage {
  std::string url;  // Canonical URL when the page names one.
  std::string title;
  std::string body;
  std::string comments;
  std::string outlet;
  std::vector<std::string> authors;
  std::optional<UnixSeconds> date;      // UTC; on the publisher's clock with date_offset.
  std::optional<int> date_offset;       // Minutes east of UTC, as the source wrote it.
  std::string date_source;              // Article::date_source.
  std::optional<UnixSeconds> modified;  // The last change, when the page gives one.
  std::optional<int> modified_offset;
  std::string lang;  // Declared language, ISO 639-1 ("en"), empty when undeclared.
  std::vector<std::pair<std::string, std::string>> provenance;
};

// `html` must be UTF-8 (see to_utf8). Never fails; a page with no text gives empty
// title and body.
CleanedPage clean_html_page(std::string_view html);

// The page as UTF-8: valid UTF-8 as is, else converted from the charset the page
// declares (<meta charset>, http-equiv) or, failing that, from Windows-1252.
std::string html_to_utf8(std::string_view bytes);

}  // namespace gazette::indexer::clean
