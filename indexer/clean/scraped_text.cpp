// Scraped-text cleaning, line by line. The order matters: placeholders and the title
// first, then footers (they name the outlet), then the comment section and the banner
// block before it (they end the body), then dates (the comment thread dates the
// article when nothing else does).
#include "indexer/clean/scraped_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/date_text.h"
#include "indexer/clean/publication_date.h"
#include "indexer/clean/outlets.h"
#include "indexer/clean/prose.h"
#include "core/strings.h"

namespace gazette::indexer::clean {

using core::lower;
using core::trim;
namespace {

// Lower-cased, trimmed, without trailing punctuation or a trailing arrow: the form
// the line rules compare.
std::string key_of(std::string_view line) {
  std::string key = lower(trim(line));
  while (!key.empty() && (key.back() == '.' || key.back() == ':' || key.back() == '!' || key.back() == ' ')) {
    key.pop_back();
  }
  for (std::string_view arrow : {"\xE2\x86\x93", "\xE2\x86\x92", "\xC2\xBB"}) {  // ↓ → »
    if (key.ends_with(arrow)) key = std::string(trim(std::string_view(key).substr(0, key.size() - arrow.size())));
  }
  return key;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// The first and last code points of UTF-8 text (0 when empty or malformed).
char32_t first_code_point(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || length > text.size()) return 0;
  if (length == 1) return lead;
  char32_t code = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) code = (code << 6) | (byte(i) & 0x3F);
  return code;
}

char32_t last_code_point(std::string_view text) {
  std::size_t start = text.size();
  while (start > 0 && text.size() - start < 4) {
    --start;
    if ((static_cast<unsigned char>(text[start]) & 0xC0) != 0x80) break;
  }
  return first_code_point(text.substr(start));
}

// Scripts written without spaces between words: CJK ideographs and punctuation, kana,
// full-width forms. (Korean puts spaces between words.)
bool is_cjk(char32_t c) {
  return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF);
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool starts_with_number_then(std::string_view key, std::initializer_list<std::string_view> nouns) {
  const auto words = words_of(key);
  if (words.size() < 2 || !all_digits(words[0])) return false;
  return std::find(nouns.begin(), nouns.end(), words[1]) != nouns.end();
}

}  // namespace

// Comment-thread furniture: "Reply", "Log in to Reply", vote counts, "NAME says:".
bool is_comment_furniture(std::string_view line) {
  // Nothing but punctuation ("." ,"/sarc" is kept: it has letters).
  if (std::none_of(line.begin(), line.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }))
    return true;
  std::string key = key_of(line);
  // A bullet before it, as a text browser draws a list of actions: "• Reply".
  for (std::string_view bullet : {"\xE2\x80\xA2 ", "* ", "- "}) {
    if (key.starts_with(bullet)) key = std::string(trim(std::string_view(key).substr(bullet.size())));
  }
  static const std::set<std::string, std::less<>> kExact = {
      "reply", "log in to reply", "login to reply", "like", "likes", "report", "upvote", "downvote",
      "share", "flag", "report comment", "reply to this comment", "load more comments", "show more replies"};
  if (kExact.count(key)) return true;
  std::string_view signless = key;
  if (!signless.empty() && (signless.front() == '+' || signless.front() == '-')) signless.remove_prefix(1);
  if (all_digits(signless)) return true;
  if (starts_with_number_then(key, {"like", "likes", "vote", "votes", "point", "points", "upvotes", "replies"}))
    return true;
  const std::string_view trimmed = trim(line);
  return trimmed.size() <= 60 && (trimmed.ends_with(" says:") || trimmed.ends_with(" said:"));
}

// "geronl in reply to TargaGTS. | December 7, 2024 at 1:03 pm": the header of a reply.
bool is_comment_byline(std::string_view line) {
  line = trim(line);
  if (line.size() > 80) return false;
  const auto date = core::find_date(line);
  if (!date) return false;
  const std::string_view name = trim(line.substr(0, date->begin));
  const std::size_t words = words_of(name).size();
  return words >= 1 && words <= 4;
}

bool is_reply_header(std::string_view line) {
  const std::string key = lower(trim(line));
  return key.size() <= 200 && key.find(" in reply to ") != std::string::npos &&
         core::find_date(line).has_value();
}

namespace {

std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 160;
  std::string shown(trim(text));
  if (shown.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary.
    shown = shown.substr(0, cut) + "\xE2\x80\xA6";
  }
  return "\"" + shown + "\"";
}


// A run of non-blank kept lines (a paragraph as text dumps and scrapers write them, or
// one item of a list), and how much it reads like prose: jusText's measures, its length
// and the share of function words among its words.
struct TextBlock {
  std::size_t first = 0, last = 0;  // Line indexes, inclusive.
  std::size_t chars = 0;
  double density = 0;  // ProseMeasure::density of its text.
  bool list_item = false;   // Starts with a bullet or a number.
  bool introduced = false;  // A list item after a line ending in ':' ("were as follows:").
  bool form = false;        // Holds a form field as a text browser draws it.
  std::size_t symbols = 0;  // Characters of code and drawn tables: {}();=<>\\, box drawing.
  std::size_t visible = 0;  // Characters other than spaces (a multi-byte character counts once).
  // A code listing or a table drawn with lines: one in eighteen visible characters is
  // a bracket, an operator or a box-drawing line (prose has one in a hundred or fewer:
  // a parenthesis now and then; the [ ] and | of a text browser's links, images and
  // menus do not count). Between two prose blocks of an article it is content.
  bool code() const { return visible >= 20 && symbols * 18 >= visible; }
  // Three or more lines under 30 characters on average: one item per line (a menu, a
  // footer's links), whatever its words.
  bool short_lines() const { return last - first >= 2 && chars < 30 * (last - first + 1); }
  bool prose() const { return chars >= 150 && density >= 0.30 && !short_lines(); }
  bool near_prose() const { return chars >= 40 && density >= 0.25 && !short_lines(); }
};

// A line that starts an item of a list as text browsers draw them: a bullet ("•", "*",
// "-", "□", "☆", "○", "◦", "■", "▪") or a number ("12.") and a space. Where the
// article is sought, each item is a block of its own (a teaser's summary can read as
// prose, its headline and links do not); inside the article a list is one block, kept
// or dropped whole.
bool starts_list_item(std::string_view line) {
  line = trim(line);
  for (std::string_view bullet : {"\xE2\x80\xA2", "*", "-", "+", "\xE2\x96\xA1", "\xE2\x98\x86", "\xE2\x97\x8B",
                                  "\xE2\x97\xA6", "\xE2\x96\xA0", "\xE2\x96\xAA"}) {
    if (line.starts_with(bullet) && (line.size() == bullet.size() || line[bullet.size()] == ' ')) return true;
  }
  std::size_t digits = 0;
  while (digits < line.size() && digits < 3 && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  return digits > 0 && line.substr(digits).starts_with(". ");
}

// A form field as text browsers draw one: w3m's "[          ]" text box, lynx's
// "(BUTTON)" or a run of underscores beside a label ("Your e-mail * ________").
bool is_form_line(std::string_view line) {
  line = trim(line);
  if (line.find("(BUTTON)") != std::string_view::npos) return true;
  for (std::size_t open = line.find('['); open != std::string_view::npos; open = line.find('[', open + 1)) {
    std::size_t spaces = 0;
    while (open + 1 + spaces < line.size() && line[open + 1 + spaces] == ' ') ++spaces;
    if (spaces >= 6 && open + 1 + spaces < line.size() && line[open + 1 + spaces] == ']') return true;
  }
  const std::size_t underscores = line.find("________");
  return underscores != std::string_view::npos && line.find_first_not_of('_') != std::string_view::npos;
}

std::vector<TextBlock> text_blocks(const std::vector<std::string_view>& lines, const std::vector<bool>& keep,
                                   std::size_t from, std::size_t to, const ProseMeasure& measure,
                                   bool split_lists) {
  std::vector<TextBlock> blocks;
  std::string text;
  const auto close = [&] {
    if (!blocks.empty() && !text.empty()) blocks.back().density = measure.density(text);
    text.clear();
  };
  bool open = false;
  bool colon = false;  // The last line before the current list ended in ':'.
  for (std::size_t i = from; i < to; ++i) {
    const std::string_view line = trim(lines[i]);
    if (!keep[i] || line.empty()) {
      if (open) close();
      open = false;
      continue;
    }
    if (open && split_lists && starts_list_item(line)) close(), open = false;
    if (!open) {
      const bool item = starts_list_item(line);
      if (!item) colon = false;
      blocks.push_back(TextBlock{i, i, 0, 0, item, item && colon});
    }
    if (!blocks.back().list_item) colon = line.ends_with(':');
    open = true;
    blocks.back().last = i;
    blocks.back().chars += line.size();
    blocks.back().form = blocks.back().form || is_form_line(line);
    // A line drawn only of box-drawing characters is a rule (<hr>), not a table.
    const bool rule = std::all_of(line.begin(), line.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte == ' ' || byte >= 0x80;
    }) && line.starts_with("\xE2\x94");
    for (std::size_t c = 0; !rule && c < line.size(); ++c) {
      const auto byte = static_cast<unsigned char>(line[c]);
      if ((byte & 0xC0) == 0x80 || byte == ' ') continue;
      ++blocks.back().visible;
      // U+2500..U+257F, box drawing, is E2 94 80 .. E2 95 BF.
      const bool box = byte == 0xE2 && c + 1 < line.size() &&
                       (static_cast<unsigned char>(line[c + 1]) == 0x94 || static_cast<unsigned char>(line[c + 1]) == 0x95);
      blocks.back().symbols += box || std::string_view("{}();=<>\\").find(static_cast<char>(byte)) != std::string_view::npos;
    }
    if (!text.empty()) text += ' ';
    text += line;
  }
  if (open) close();
  return blocks;
}

}  // namespace

bool is_placeholder_line(std::string_view line) {
  const std::string key = key_of(line);
  static const std::set<std::string, std::less<>> kExact = {
      "advertisement", "advertisements", "sponsored", "sponsored content", "[image]", "[photo]",
      "(photo)", "image", "photo", "play video", "loading", "loading..."};
  if (kExact.count(key)) return true;
  const auto words = words_of(key);
  if (words.empty() || words.size() % 2 != 0) return false;
  static const std::set<std::string, std::less<>> kMedia = {"image", "photo", "picture", "video",
                                                            "figure", "gallery", "img"};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    if (!kMedia.count(words[i]) || !all_digits(words[i + 1])) return false;
  }
  return true;
}

bool is_banner_line(std::string_view line) {
  const std::string key = key_of(line);
  if (key.empty() || key.size() > 100) return false;
  static const std::set<std::string, std::less<>> kExact = {
      "donate", "donate now", "donate today", "make a donation", "support us", "support our work",
      "support our journalism", "support independent journalism", "subscribe", "subscribe now",
      "subscribe to our newsletter", "sign up for our newsletter", "sign up for our free newsletter",
      "join our newsletter", "get our newsletter", "newsletter", "become a member", "become a patron",
      "share this", "share this article", "share this story", "share on facebook", "share on twitter",
      "tweet", "follow us", "related", "related posts", "related articles", "related stories",
      "you may also like", "read more", "recommended", "recommended for you", "most popular",
      "trending", "more from this author", "tags", "filed under"};
  if (kExact.count(key)) return true;
  // Longer lines are sentences that may merely start the same way.
  if (key.size() > 60) return false;
  for (std::string_view start : {"donations ", "your donation", "subscribe to ", "sign up for ", "click here to ",
                                 "support us ", "please consider donating", "become a member "}) {
    if (key.starts_with(start)) return true;
  }
  return false;
}

bool is_comment_heading(std::string_view line) {
  const std::string key = key_of(line);
  if (key.empty() || key.size() > 120) return false;
  static const std::set<std::string, std::less<>> kExact = {
      "comments", "comment", "reader comments", "readers' comments", "leave a reply", "leave a comment",
      "post a comment", "add a comment", "join the conversation", "join the discussion", "discussion",
      "show comments", "view comments", "what do you think"};
  if (kExact.count(key)) return true;
  // "12 Comments", "There are 13 comments", "There is 1 response".
  std::string_view counted = key;
  for (std::string_view lead : {"there are ", "there is "}) {
    if (counted.starts_with(lead)) counted.remove_prefix(lead.size());
  }
  if (starts_with_number_then(counted, {"comments", "comment", "responses", "response", "replies", "thoughts"}))
    return true;
  return key.starts_with("comments (") || key.starts_with("comments on ");
}

bool is_related_heading(std::string_view line) {
  const std::string key = key_of(line);
  if (key.empty() || key.size() > 40) return false;
  static const std::set<std::string, std::less<>> kExact = {
      "related", "related posts", "related articles", "related stories", "related content", "related coverage",
      "related reading", "related news", "related links", "you may also like", "you might also like",
      "you may be interested in", "you might be interested in", "recommended", "recommended for you",
      "recommended stories", "recommended articles", "more stories", "more news", "more articles",
      "most popular", "most read", "most viewed", "trending", "trending now", "read next", "up next",
      "what to read next", "more on this story", "more like this", "further reading on this site",
      "around the web", "from around the web", "read more stories about", "more stories about",
      "you may have missed", "don't miss", "editor's picks", "editors' picks",
      // French, German, Spanish, Portuguese, Italian, Dutch, Czech.
      "lire aussi", "à lire aussi", "sur le même sujet", "articles similaires", "dans la même rubrique",
      "mehr zum thema", "das könnte sie auch interessieren", "ähnliche artikel", "weitere artikel",
      "te puede interesar", "también te puede interesar", "noticias relacionadas", "artículos relacionados",
      "relacionados", "leia também", "veja também", "notícias relacionadas", "leggi anche",
      "potrebbe interessarti anche", "ti potrebbe interessare", "articoli correlati", "lees ook", "meer nieuws",
      "gerelateerde artikelen", "související", "související články", "mohlo by vás zajímat"};
  return kExact.count(key) > 0;
}

namespace {

// A block that is a related-articles heading alone on its line ("Related").
bool is_related_block(const TextBlock& block, const std::vector<std::string_view>& lines) {
  return block.first == block.last && is_related_heading(lines[block.first]);
}
}  // namespace

std::optional<std::string> outlet_from_footer(std::string_view line) {
  const std::string_view text = trim(line);
  const std::string key = lower(text);
  auto name_after = [&](std::size_t at) {
    std::string_view name = trim(text.substr(at));
    while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
    // A URL or an over-long tail is not a name.
    if (name.find("://") != std::string_view::npos || name.size() > 60) return std::string();
    return std::string(name);
  };
  if (key.starts_with("the post ")) {
    constexpr std::string_view kMarker = " appeared first on ";
    if (const auto at = key.rfind(kMarker); at != std::string::npos) return name_after(at + kMarker.size());
  }
  for (std::string_view marker : {"this article originally appeared on ", "this article originally appeared in ",
                                  "this article first appeared on ", "this article first appeared in ",
                                  "this article was originally published on ", "this article was originally published by ",
                                  "this story originally appeared on ", "originally published on ",
                                  "originally published by ", "originally published at ", "originally published in "}) {
    if (key.starts_with(marker)) return name_after(marker.size());
  }
  for (std::string_view marker : {"continue reading on:", "continue reading on ", "read more on:", "read the full article on:"}) {
    if (key.starts_with(marker)) return name_after(marker.size());
  }
  return std::nullopt;
}

namespace {

// The passes of clean_scraped_text over one text's lines: each marks lines kept or
// not, and records what it removed and where it found a field.
class TextCleaner {
 public:
  explicit TextCleaner(std::string_view text);
  CleanedText run();

 private:
  bool blank(std::size_t i) const { return trim(lines[i]).empty(); }
  static std::string line_no(std::size_t i) { return std::to_string(i + 1); }

  void drop_placeholders();
  bool find_title();
  void read_title_suffix();
  void drop_title_repeats();
  void read_footers();
  bool thread_follows(std::size_t heading) const;
  void find_comment_section();
  void locate_article();
  void cut_banners();
  void read_comments();
  void read_byline_and_date_line();
  void choose_outlet();
  void choose_date();
  void clean_page_dump();
  void keep_wrapped_first_line();
  void join_body();

  CleanedText out;
  std::vector<std::string_view> lines;
  std::size_t count = 0;
  std::vector<bool> keep;
  std::vector<std::string> removed;
  const ProseMeasure measure;
  std::size_t title_line = 0;
  // Lower-trust outlet sources, used when no footer names one: a by-line, the title's
  // " | Site" suffix, a site-name line above the title.
  std::string byline_outlet, suffix_outlet, site_outlet, byline_how, suffix_how, site_how;
  std::size_t comments_start = 0;
  std::size_t body_start = 0;
  std::size_t prose_end = 0;  // The last prose block's end, when the text has prose.
  std::size_t body_end = 0;
  bool page_dump = false;     // Furniture was found around the article.
  std::optional<UnixSeconds> first_comment_date;
  std::size_t first_comment_date_line = 0;
  DateEvidence dates;
};

std::string_view without_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

TextCleaner::TextCleaner(std::string_view text) : measure(ProseMeasure::for_text(without_bom(text))) {
  text = without_bom(text);
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  count = lines.size();
  keep.assign(count, true);
}

CleanedText TextCleaner::run() {
  drop_placeholders();
  if (!find_title()) return out;
  read_title_suffix();
  drop_title_repeats();
  read_footers();
  find_comment_section();
  body_start = title_line + 1;
  prose_end = count;
  locate_article();
  cut_banners();
  read_comments();
  read_byline_and_date_line();
  choose_outlet();
  choose_date();
  clean_page_dump();
  keep_wrapped_first_line();
  join_body();
  return std::move(out);
}

void TextCleaner::drop_placeholders() {
  for (std::size_t i = 0; i < count; ++i) {
    if (!blank(i) && is_placeholder_line(lines[i])) {
      keep[i] = false;
      removed.push_back("image placeholder " + quote(lines[i]) + " (line " + line_no(i) + ")");
    }
  }

}

// The first remaining non-empty line, or the line below a known outlet's name alone on
// the first line; false when the text has none.
bool TextCleaner::find_title() {
  title_line = count;
  for (std::size_t i = 0; i < count; ++i) {
    if (keep[i] && !blank(i)) { title_line = i; break; }
  }
  if (title_line == count) return false;
  // A site-name line: a known outlet's name alone on the first line, the title below.
  if (const std::string site = known_outlet(trim(lines[title_line])); !site.empty()) {
    for (std::size_t i = title_line + 1; i < count; ++i) {
      if (!keep[i] || blank(i)) continue;
      site_outlet = site;
      site_how = "site name line " + quote(lines[title_line]) + " (line " + line_no(title_line) + ")";
      keep[title_line] = false;
      title_line = i;
      break;
    }
  }
  out.title = std::string(trim(lines[title_line]));
  keep[title_line] = false;
  out.provenance.emplace_back("title", "first line of the text (line " + line_no(title_line) + ")");
  return true;
}

// "Headline | Site": any short name after a bar; after a dash only a known outlet,
// since dashes also join the parts of headlines.
void TextCleaner::read_title_suffix() {
  for (std::string_view separator : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
    const auto at = out.title.rfind(separator);
    if (at == std::string::npos || at == 0) continue;
    const std::string tail(trim(std::string_view(out.title).substr(at + separator.size())));
    std::string name = known_outlet(tail);
    if (name.empty() && separator == " | " && words_of(tail).size() <= 5 && !tail.empty() &&
        std::isupper(static_cast<unsigned char>(tail.front()))) {
      name = tail;
    }
    if (name.empty()) continue;
    suffix_outlet = name;
    suffix_how = "title suffix " + quote(out.title);
    out.title.resize(at);
    break;
  }
}

// The title's repeats near the top.
void TextCleaner::drop_title_repeats() {
  const std::string title_key = key_of(out.title);
  for (std::size_t i = title_line + 1, seen = 0; i < count && seen < 5; ++i) {
    if (!keep[i] || blank(i)) continue;
    ++seen;
    if (key_of(lines[i]) == title_key) {
      keep[i] = false;
      removed.push_back("repeated title (line " + line_no(i) + ")");
    }
  }

}

// Syndication footers name the outlet; the first one naming it wins ("The post …
// appeared first on X" comes before a "Continue reading on: Y" link line).
void TextCleaner::read_footers() {
  for (std::size_t i = title_line + 1; i < count; ++i) {
    if (!keep[i] || blank(i)) continue;
    if (auto outlet = outlet_from_footer(lines[i])) {
      keep[i] = false;
      removed.push_back("footer " + quote(lines[i]) + " (line " + line_no(i) + ")");
      if (!outlet->empty() && out.outlet.empty()) {
        out.outlet = *outlet;
        out.provenance.emplace_back("outlet", "footer " + quote(lines[i]) + " (line " + line_no(i) + ")");
      }
    }
  }

}

// A heading starts the thread only when a thread follows it (a reply header, comment
// furniture or a date line within its next 15 lines): a "Comments" button or link
// above the article is not one.
bool TextCleaner::thread_follows(std::size_t heading) const {
    std::size_t seen = 0;
    for (std::size_t j = heading + 1; j < count && seen < 15; ++j) {
      if (!keep[j] || blank(j)) continue;
      ++seen;
      const std::string_view line = trim(lines[j]);
      if (is_reply_header(line) || is_comment_furniture(line)) return true;
      if (const auto date = core::find_date(line); date && line.size() <= 60) return true;
    }
    return false;
}

// The comment section: from a comment heading, or failing that from the first reply
// header, to the end.
void TextCleaner::find_comment_section() {
  comments_start = count;
  for (std::size_t i = title_line + 1; i < count; ++i) {
    if (keep[i] && is_comment_heading(lines[i]) && thread_follows(i)) { comments_start = i; break; }
  }
  if (comments_start == count) {
    for (std::size_t i = title_line + 1; i < count; ++i) {
      if (keep[i] && is_reply_header(lines[i])) { comments_start = i; break; }
    }
  }
  // A thread shown without a heading, or above its "Leave a comment" form: two or more
  // comments, each a dated by-line ("Rarst · March 10, 2017 at 1:26 AM") with a "Reply"
  // within the next 15 lines, start it at the first.
  {
    const auto reply_follows = [&](std::size_t header) {
      std::size_t seen = 0;
      for (std::size_t j = header + 1; j < count && seen < 15; ++j) {
        if (!keep[j] || blank(j)) continue;
        ++seen;
        if (is_comment_furniture(lines[j]) && key_of(lines[j]).find("reply") != std::string::npos) return true;
      }
      return false;
    };
    std::size_t first = count, comments = 0;
    for (std::size_t i = title_line + 1; i < comments_start && comments < 2; ++i) {
      if (keep[i] && is_comment_byline(lines[i]) && reply_follows(i)) {
        if (comments++ == 0) first = i;
      }
    }
    if (comments == 2) comments_start = first;
  }
}

// A whole page dumped to text (a text browser's rendering: menus, link lists, share
// bars and footers around the article) is read as blocks of lines, and the article is
// where the prose is: paragraphs of 150 characters or more, 30% of their words
// function words of the text's language, as jusText classifies them. The article is
// the stretch of blocks where prose most outweighs the rest (below), which a cookie
// notice or a "JavaScript is off" paragraph above the menus is not. A comment thread
// is a stretch of its own and is passed over when an article of its own (worth 500,
// or a quarter of the thread) comes before it. A "Comments" button or label above the
// article is not the comment section; five or more non-blank lines of non-prose
// before the article or after it are page furniture.
void TextCleaner::locate_article() {
  if (measure.known()) {
    const std::vector<TextBlock> blocks = text_blocks(lines, keep, title_line + 1, count, measure, true);
    // The stretch is the span of blocks with the largest sum of values, Finn's
    // body-text extraction over blocks. Prose, and a paragraph of 70 characters or more
    // as dense in function words (news sites write one-sentence paragraphs), counts its
    // length; other near-prose half of it. A list item (a menu entry, a related link)
    // counts minus its length, and a short one (under 30 characters) minus 50, so that
    // a menu of one-word entries outweighs a cookie notice above it, unless a line
    // ending in ':' introduces its list ("The rankings were as follows:"). Any other
    // block counts minus its length up to 100 characters, so that a code listing or a
    // table inside an article does not split it as a menu does. A form (a search box,
    // a newsletter sign-up) counts minus 300: articles hold none. A confirmed comment
    // heading ends every span.
    struct Span {
      std::size_t first = 0, last = 0;  // Block indexes of its first and last block of positive value.
      double value = 0;
    };
    const auto value_of = [](const TextBlock& block) {
      const double chars = static_cast<double>(block.chars);
      if (block.form) return -300.0;
      if (block.prose() || (block.chars >= 70 && block.density >= 0.30)) return chars;
      if (block.near_prose()) return chars / 2;
      if (block.list_item) return chars < 30 && !block.introduced ? -50.0 : -chars;
      return -std::min(chars, 100.0);
    };
    std::vector<Span> spans;  // The best span of each stretch between comment and related headings.
    std::vector<std::size_t> related;  // Blocks that are a related-articles heading.
    const auto is_related = [&](std::size_t k) { return keep[blocks[k].first] && is_related_block(blocks[k], lines); };
    {
      Span best, current;
      bool has_best = false, open = false;
      const auto finish = [&] {
        if (has_best) spans.push_back(best);
        has_best = open = false;
      };
      for (std::size_t k = 0; k < blocks.size(); ++k) {
        const TextBlock& block = blocks[k];
        if (keep[block.first] && is_comment_heading(lines[block.first]) && thread_follows(block.first)) finish();
        if (is_related(k)) related.push_back(k);
        const double value = value_of(block);
        if (!open) {
          if (value <= 0) continue;
          current = Span{k, k, 0};
          open = true;
        }
        current.value += value;
        if (value > 0) current.last = k;
        if (current.value <= 0) {
          open = false;
          continue;
        }
        if (!has_best || current.value > best.value) {
          best = Span{current.first, current.last, current.value};
          has_best = true;
        }
      }
      finish();
    }
    const auto largest = [](auto begin, auto end) {
      return std::max_element(begin, end, [](const Span& a, const Span& b) { return a.value < b.value; });
    };
    auto chosen = largest(spans.begin(), spans.end());
    if (chosen != spans.end() && comments_start < count) {
      const auto before_comments = std::partition_point(spans.begin(), spans.end(), [&](const Span& c) {
        return blocks[c.last].last < comments_start;
      });
      const auto article = largest(spans.begin(), before_comments);
      if (article != before_comments && (article->value >= 500 || 4 * article->value >= chosen->value)) chosen = article;
    }
    // A related-articles heading inside the span ends the article when what follows it
    // (teasers: headlines, dates, a summary or two) is worth less than half of what
    // comes before it; a related box near the top or in the middle of an article (the
    // article goes on after it at length) stays inside.
    if (chosen != spans.end()) {
      for (const std::size_t marker : related) {
        if (marker <= chosen->first || marker >= chosen->last) continue;
        double before = 0, after = 0;
        std::size_t last_before = chosen->first;
        for (std::size_t k = chosen->first; k < marker; ++k) {
          const double value = value_of(blocks[k]);
          before += value;
          if (value > 0) last_before = k;
        }
        for (std::size_t k = marker + 1; k <= chosen->last && blocks[k].first < comments_start; ++k) {
          after += value_of(blocks[k]);
        }
        if (after < before / 2) {
          chosen->last = last_before;
          break;
        }
      }
    }
    if (chosen != spans.end()) {
      if (comments_start < blocks[chosen->first].first) {
        const std::size_t button = comments_start;
        comments_start = count;
        for (std::size_t i = blocks[chosen->last].last + 1; i < count; ++i) {
          if (keep[i] && is_comment_heading(lines[i]) && thread_follows(i)) { comments_start = i; break; }
        }
        removed.push_back("a comment heading above the article " + quote(lines[button]) + " (line " + line_no(button) +
                          ") taken for a button or a label");
      }
      // The article's extent: from the stretch's first block back, and from its last one
      // on, over near-prose blocks (a standfirst, a short paragraph, a one-line quote),
      // across at most two other blocks between them.
      std::size_t first = chosen->first;
      for (std::size_t k = first, misses = 0; k-- > 0 && misses < 3 && !is_related(k);) {
        if (blocks[k].near_prose()) first = k, misses = 0;
        else ++misses;
      }
      std::size_t last = chosen->last;
      for (std::size_t k = last + 1, misses = 0;
           k < blocks.size() && blocks[k].first < comments_start && misses < 3 && !is_related(k); ++k) {
        if (blocks[k].near_prose()) last = k, misses = 0;
        else ++misses;
      }
      std::size_t furniture = 0;
      for (std::size_t i = title_line + 1; i < blocks[first].first; ++i) furniture += keep[i] && !blank(i);
      if (furniture >= 5) {
        page_dump = true;
        body_start = blocks[first].first;
        removed.push_back("page furniture before the article (lines " + line_no(title_line + 1) + "-" +
                          line_no(blocks[first].first - 1) + ", " + std::to_string(furniture) + " lines)");
      }
      std::size_t after = 0;
      for (std::size_t i = blocks[last].last + 1; i < comments_start; ++i) after += keep[i] && !blank(i);
      if (after >= 5) {
        page_dump = true;
        prose_end = blocks[last].last + 1;
      }
    }
  }
}

// Banner blocks: a banner line, the lines continuing it (starting in lower case:
// "Donations tax deductible / to the full extent allowed by law.") and banner lines
// after it. The first block followed by nothing but more banners before the comment
// section (or the end) ends the body; other blocks are cut out of it.
void TextCleaner::cut_banners() {
  auto starts_lower = [&](std::size_t i) {
    const std::string_view line = trim(lines[i]);
    return !line.empty() && std::islower(static_cast<unsigned char>(line.front()));
  };
  auto block_end = [&](std::size_t i) {
    std::size_t j = i + 1;
    while (j < comments_start && (!keep[j] || blank(j) || is_banner_line(lines[j]) || starts_lower(j))) ++j;
    return j;
  };
  body_end = std::min(comments_start, prose_end);
  if (prose_end < comments_start) {
    removed.push_back("page furniture after the article (lines " + line_no(prose_end) + "-" + line_no(comments_start - 1) + ")");
  }
  for (std::size_t i = title_line + 1; i < comments_start; ++i) {
    if (!keep[i] || blank(i) || !is_banner_line(lines[i])) continue;
    const std::size_t end = block_end(i);
    if (end >= comments_start) {
      body_end = i;
      removed.push_back("banner from line " + line_no(i) + " " + quote(lines[i]) + " to line " +
                        line_no(comments_start - 1));
      break;
    }
    for (std::size_t j = i; j < end; ++j) keep[j] = keep[j] && blank(j);
    removed.push_back("banner " + quote(lines[i]) + " (lines " + line_no(i) + "-" + line_no(end - 1) + ")");
    i = end - 1;
  }

}

// Comments: furniture and reply headers go (their dates are kept for dating the
// article), repeated comments are stored once.
void TextCleaner::read_comments() {
  std::set<std::string> seen_comments;
  std::size_t comment_count = 0, repeats = 0;
  for (std::size_t i = comments_start; i < count; ++i) {
    if (!keep[i] || blank(i)) continue;
    const std::string_view line = trim(lines[i]);
    if (is_comment_heading(line)) continue;  // "Comments", "Leave a Reply": the thread's furniture.
    const bool header = is_reply_header(line);
    const auto date = core::find_date(line);
    if (header || (date && line.size() <= 60 && date->end - date->begin + 10 >= line.size())) {
      if (date && core::implausible_date(date->seconds).empty() &&
          (!first_comment_date || date->seconds < *first_comment_date)) {
        first_comment_date = date->seconds;
        first_comment_date_line = i;
      }
      continue;
    }
    if (is_comment_furniture(line)) continue;
    if (!seen_comments.insert(std::string(line)).second) {
      ++repeats;
      continue;
    }
    if (!out.comments.empty()) out.comments += "\n\n";
    out.comments += line;
    ++comment_count;
  }
  if (comments_start < count) {
    out.provenance.emplace_back("comments", "comment section from line " + line_no(comments_start) + " " +
                                                quote(lines[comments_start]) + ": " +
                                                std::to_string(comment_count) + " paragraphs kept, " +
                                                std::to_string(repeats) + " repeats dropped");
  }

}

// A by-line ("By A and B | Outlet") and a date line near the top.
void TextCleaner::read_byline_and_date_line() {
  for (std::size_t i = title_line + 1, seen = 0; i < body_end && seen < 4; ++i) {
    if (!keep[i] || blank(i)) continue;
    ++seen;
    const std::string_view line = trim(lines[i]);
    if (line.size() > 100) continue;
    bool used = false;
    if (line.starts_with("By ") && out.authors.empty()) {
      std::string_view names = line.substr(3);
      // "By A | Outlet": what follows the bar names the outlet (or a date).
      if (const auto bar = names.find('|'); bar != std::string_view::npos) {
        std::string_view after = trim(names.substr(bar + 1));
        if (!core::find_date(after) && !after.empty() && words_of(after).size() <= 5) {
          byline_outlet = std::string(after);
          byline_how = "by-line " + quote(line) + " (line " + line_no(i) + ")";
        }
      }
      names = names.substr(0, std::min({names.find('|'), names.find(" - "), names.find(" \xE2\x80\x93 "), names.size()}));
      if (const auto date = core::find_date(names)) names = names.substr(0, date->begin);
      names = trim(names);
      while (!names.empty() && (names.back() == ',' || names.back() == ' ')) names.remove_suffix(1);
      for (std::size_t start = 0; start < names.size();) {
        std::size_t end = names.find(" and ", start);
        const std::size_t comma = names.find(", ", start);
        std::size_t step = 5;
        if (comma < end) end = comma, step = 2;
        if (end == std::string_view::npos) end = names.size(), step = 0;
        const std::string_view name = trim(names.substr(start, end - start));
        if (const std::string agency = known_outlet(name); !agency.empty()) {
          // "By Jane Roe, Reuters": an agency, not an author.
          if (byline_outlet.empty()) {
            byline_outlet = agency;
            byline_how = "by-line " + quote(line) + " (line " + line_no(i) + ")";
          }
        } else if (!name.empty()) {
          out.authors.emplace_back(name);
        }
        start = end + step;
        if (step == 0) break;
      }
      if (!out.authors.empty()) {
        out.provenance.emplace_back("authors", "by-line " + quote(line) + " (line " + line_no(i) + ")");
        used = true;
      }
    }
    if (!dates.has_published() &&
        dates.add_line(line, DateRole::kPublished, trust::kDateLine, "dateline",
                       "date line near the top (line " + line_no(i) + ")")) {
      used = true;
    }
    if (used) {
      keep[i] = false;
      removed.push_back("by-line/date line (line " + line_no(i) + ")");
    }
  }
}

void TextCleaner::choose_outlet() {
  for (const auto& [outlet, how] : {std::pair{byline_outlet, byline_how}, std::pair{suffix_outlet, suffix_how},
                                     std::pair{site_outlet, site_how}}) {
    if (!out.outlet.empty() || outlet.empty()) continue;
    out.outlet = outlet;
    out.provenance.emplace_back("outlet", how);
  }
}

void TextCleaner::choose_date() {
  if (first_comment_date) {
    // Readers comment after publication: the day of the earliest comment bounds it.
    // A date elsewhere in the text is not read: it may be any event's.
    const UnixSeconds day = *first_comment_date - *first_comment_date % 86400;
    dates.add(DateCandidate{core::FoundDate{day, false, std::nullopt, 0, 0}, DateRole::kNotAfter, trust::kComments,
                            "comments",
                            "the earliest dated line in the comments " + quote(lines[first_comment_date_line]) +
                                " (line " + line_no(first_comment_date_line) + "), the day only"});
  }
  const ChosenDate chosen = dates.choose();
  out.date = chosen.date;
  out.date_offset = chosen.offset;
  out.date_source = chosen.source;
  if (out.date) out.provenance.emplace_back("date", chosen.how);

}

// In a page dump, the blocks inside the article's extent are classified as jusText
// does: prose blocks are good; link lists, share bars and captions (40+ characters
// under 15% stopwords, or 70+ under 25%) are bad; a short block (under 70 characters:
// a subheading, a one-line quote) and a near-prose block are kept beside a good one.
void TextCleaner::clean_page_dump() {
  if (!page_dump) return;
  const std::vector<TextBlock> blocks = text_blocks(lines, keep, body_start, body_end, measure, false);
  enum class Kind { kGood, kBad, kShort, kNear };
  std::vector<Kind> kinds;
  for (const TextBlock& block : blocks) {
    Kind kind = Kind::kBad;
    if (block.code()) kind = Kind::kShort;  // Kept beside prose, as a subheading is.
    else if (block.chars >= 40 && block.density < 0.15) kind = Kind::kBad;
    else if (block.chars < 70) kind = Kind::kShort;
    else if (block.prose()) kind = Kind::kGood;
    else if (block.density >= 0.25) kind = Kind::kNear;
    kinds.push_back(kind);
  }
  const auto neighbour = [&](std::size_t k, int step) {
    for (std::ptrdiff_t j = static_cast<std::ptrdiff_t>(k) + step; j >= 0 && j < static_cast<std::ptrdiff_t>(kinds.size());
         j += step) {
      if (kinds[j] == Kind::kGood || kinds[j] == Kind::kBad) return kinds[j];
    }
    return Kind::kBad;  // The edges of the article's extent count as bad.
  };
  // A related-articles box inside the article ("Related" and a teaser or two between
  // two paragraphs): the heading and what follows it up to the next prose block go.
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    if (!is_related_block(blocks[k], lines)) continue;
    for (std::size_t j = k; j < blocks.size() && (j == k || kinds[j] != Kind::kGood); ++j) kinds[j] = Kind::kBad;
  }
  // A form inside the article (a newsletter sign-up between two paragraphs) goes: its
  // fields and the short lines beside them ("Subscribe", "Loading..."), up to two
  // short blocks just before it that invite to fill it ("SIGN UP FOR OUR NEWSLETTER")
  // and a button drawn alone after it ("[Submit]"). Prose the text browser wrote in
  // the same block stays.
  std::vector<bool> form_lines(count, false);
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    if (!blocks[k].form) continue;
    TextBlock rest;  // The block without its fields.
    std::string rest_text;
    bool next_is_field = is_form_line(lines[blocks[k].first]);
    for (std::size_t i = blocks[k].first; i <= blocks[k].last; ++i) {
      const bool field = next_is_field;
      next_is_field = i < blocks[k].last && is_form_line(lines[i + 1]);
      const bool is_short = trim(lines[i]).size() < 30;
      const bool beside = is_short && ((i > blocks[k].first && form_lines[i - 1]) || next_is_field);
      if (field || beside) {
        form_lines[i] = true;
        continue;
      }
      if (rest_text.empty()) rest.first = i;
      rest.last = i;
      rest.chars += trim(lines[i]).size();
      rest_text += ' ';
      rest_text += trim(lines[i]);
    }
    rest.density = measure.density(rest_text);
    if (rest.prose()) continue;  // The paragraph stays; its fields go below.
    kinds[k] = Kind::kBad;
    for (std::size_t j = k; j > 0 && k - j < 2 && kinds[j - 1] == Kind::kShort && !blocks[j - 1].code(); --j) {
      kinds[j - 1] = Kind::kBad;
    }
    if (k + 1 < blocks.size()) {
      const std::string_view next = trim(lines[blocks[k + 1].first]);
      if (next.size() < 30 && next.starts_with('[') && next.ends_with(']')) form_lines[blocks[k + 1].first] = true;
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (form_lines[i]) keep[i] = false;
  }
  std::size_t dropped = 0;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const Kind before = neighbour(k, -1), after = neighbour(k, +1);
    bool good = kinds[k] == Kind::kGood;
    // Between a kept and a dropped block, a short block goes with the kept one, as
    // jusText lets it become near-good.
    if (kinds[k] == Kind::kShort || kinds[k] == Kind::kNear) good = before == Kind::kGood || after == Kind::kGood;
    if (good) continue;
    for (std::size_t i = blocks[k].first; i <= blocks[k].last; ++i) keep[i] = false;
    ++dropped;
  }
  if (dropped > 0) removed.push_back(std::to_string(dropped) + " link-list or furniture block(s) inside the article");
}

// A first line that a wrapped paragraph goes on from (60 characters or more, the next
// line not blank, the two reading as prose: a text file with no title of its own) is
// the title and also the start of the body, so the paragraph is not cut in two.
void TextCleaner::keep_wrapped_first_line() {
  if (body_start == title_line + 1 && title_line + 1 < count && keep[title_line + 1] && !blank(title_line + 1) &&
      out.title.size() >= 60 &&
      (!measure.known() || measure.density(out.title + " " + std::string(trim(lines[title_line + 1]))) >= 0.25)) {
    keep[title_line] = true;
    body_start = title_line;
  }

}

// Body: what is kept up to the body's end, blank runs folded to one paragraph break.
// A line a text browser wrapped inside a run of Chinese or Japanese (no spaces between
// words, so the wrap may fall inside one) is joined to the next without a break.
void TextCleaner::join_body() {
  bool pending_break = false;
  std::size_t previous = count;
  for (std::size_t i = body_start; i < body_end; ++i) {
    if (!keep[i]) continue;
    if (blank(i)) {
      pending_break = !out.body.empty();
      continue;
    }
    const std::string_view line = trim(lines[i]);
    if (!out.body.empty()) {
      const bool wrapped = !pending_break && previous < count && trim(lines[previous]).size() >= 60 &&
                           is_cjk(last_code_point(out.body)) && is_cjk(first_code_point(line));
      if (!wrapped) out.body += pending_break ? "\n\n" : "\n";
    }
    pending_break = false;
    out.body += line;
    previous = i;
  }
  // A text of one line is its title and its body: a body is never empty when the text
  // has words.
  if (out.body.empty()) {
    out.body = out.title;
    out.provenance.emplace_back("body", "the title line again (the text has no other)");
  }
  if (!removed.empty()) {
    std::string summary = "removed: ";
    for (std::size_t i = 0; i < removed.size(); ++i) summary += (i ? "; " : "") + removed[i];
    out.provenance.emplace_back("body", summary);
  }
}

}  // namespace

CleanedText clean_scraped_text(std::string_view text) { return TextCleaner(text).run(); }

}  // namespace gazette::indexer::clean
