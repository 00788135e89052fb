// The "clean" stage for plain text scraped from the web: finds the title, outlet and
// date the text itself states, and separates the article from what the scraper caught
// around it (image placeholders, a repeated title, donation and newsletter banners,
// share lines, footers, the reader comment thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gazette/article.h"

namespace gazette::indexer::clean {

struct CleanedText {
  std::string title;
  std::string body;
  std::string comments;  // The comment thread, one comment per paragraph, repeats dropped.
  std::string outlet;
  std::vector<std::string> authors;
  std::optional<UnixSeconds> date;  // UTC; on the publisher's clock with date_offset.
  std::optional<int> date_offset;
  std::string date_source;          // Article::date_source.
  // (field, how it was found or what was removed), in the order of Article::provenance.
  std::vector<std::pair<std::string, std::string>> provenance;
};

// Cleans one scraped article. Never fails: text with nothing to recognise comes back
// as title = first non-empty line, body = the rest.
CleanedText clean_scraped_text(std::string_view text);

// Rules shared with the HTML cleaner: a line that is only an image placeholder
// ("Image 01 Image 03", "Advertisement"), a banner line ("DONATE", "Subscribe to our
// newsletter"), the start of a comment section ("Comments", "12 Responses", "Leave a
// Reply"), and the outlet named by a syndication footer ("The post X appeared first on
// Outlet.").
bool is_placeholder_line(std::string_view line);
bool is_banner_line(std::string_view line);
bool is_comment_heading(std::string_view line);
// A heading that starts the teasers of other articles after a page's own ("Related",
// "You may also like", "Lire aussi"): in a page dump the article does not run on past it.
bool is_related_heading(std::string_view line);
std::optional<std::string> outlet_from_footer(std::string_view line);
// Comment furniture ("Reply", vote counts, "NAME says:") and reply headers ("NAME in
// reply to NAME. | December 7, 2024 at 1:03 pm").
bool is_comment_furniture(std::string_view line);
bool is_reply_header(std::string_view line);
// A commenter's by-line: one to four words and a date, 80 characters at most
// ("Rarst · March 10, 2017 at 1:26 AM").
bool is_comment_byline(std::string_view line);

}  // namespace gazette::indexer::clean
