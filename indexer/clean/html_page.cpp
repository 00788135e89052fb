// Web page cleaning in three passes over the Gumbo tree:
//  1. metadata: <html lang>, <title>, <meta>, <link rel=canonical>, <time datetime> and
//     JSON-LD scripts (parsed with nlohmann::json, @graph and arrays searched);
//  2. main text: Readability-style content scoring. Each paragraph with enough text
//     scores 1 + its commas + one per 100 characters (at most 3) for its parent and half
//     that for its grandparent; containers gain or lose by tag and by class/id words
//     ("article", "content" vs "share", "related", "sidebar"); the score is discounted
//     by the share of text inside links. The best container, plus siblings that score
//     close to it, is the article. Boilerplate elements (nav, aside, forms, share bars,
//     cookie notices, banners) are never part of it;
//  3. comment sections (class/id "comments"...) are read apart into `comments`.
// The text kept then goes through the plain-text line rules (placeholders, banners,
// syndication footers), which also name the outlet from a footer.
#include "indexer/clean/html_page.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <gumbo.h>
#include <nlohmann/json.hpp>
#include <unicode/unistr.h>

#include "core/analysis.h"
#include "core/article_json.h"
#include "core/date_text.h"
#include "indexer/clean/bylines.h"
#include "indexer/clean/outlets.h"
#include "indexer/clean/publication_date.h"
#include "indexer/clean/scraped_text.h"
#include "core/strings.h"

namespace gazette::indexer::clean {

using core::lower;
using core::trim;
namespace {

using nlohmann::json;

// Collapses runs of white space (including no-break spaces) to one space.
void append_collapsed(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
    if (std::isspace(c) || nbsp) {
      if (nbsp) ++i;
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
}

const char* attribute(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* found = gumbo_get_attribute(&node->v.element.attributes, name);
  return found ? found->value : nullptr;
}

bool is_element(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

GumboTag tag_of(const GumboNode* node) { return is_element(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN; }

template <typename F>
void for_children(const GumboNode* node, F&& f) {
  const GumboVector* children = nullptr;
  if (node->type == GUMBO_NODE_DOCUMENT) children = &node->v.document.children;
  if (is_element(node)) children = &node->v.element.children;
  if (!children) return;
  for (unsigned i = 0; i < children->length; ++i) f(static_cast<const GumboNode*>(children->data[i]));
}

// Words of an element's class and id, split on spaces, dashes and underscores, and
// with `camel_case` where a lower-case letter meets a capital ("FeatureByline"). The
// boilerplate rules do not split them: MathJax's formulas, class "MathJax
// CtxtMenu_Attached_0", would read as a menu.
std::vector<std::string> class_words(const GumboNode* node, bool camel_case = false) {
  std::vector<std::string> words;
  for (const char* name : {"class", "id"}) {
    const char* value = attribute(node, name);
    if (!value) continue;
    std::string word;
    for (const char* c = value;; ++c) {
      const bool camel = camel_case && c != value && std::islower(static_cast<unsigned char>(c[-1])) &&
                         std::isupper(static_cast<unsigned char>(*c));
      if (*c == 0 || *c == ' ' || *c == '-' || *c == '_' || *c == '\t' || camel) {
        if (!word.empty()) words.push_back(lower(word));
        word.clear();
        if (*c == 0) break;
        if (camel) word += *c;
      } else {
        word += *c;
      }
    }
  }
  return words;
}

bool has_word(const std::vector<std::string>& words, const std::unordered_set<std::string_view>& set) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return set.count(w) > 0; });
}

// A class word that is, or begins with, a boilerplate word of five letters or more:
// names run together ("jp-relatedposts", "sharedaddy", "socialbar", "newsletterbox").
// Shorter words ("ad", "nav", "menu") match only whole, or "address" would be an ad.
bool has_negative_word(const std::vector<std::string>& words, const std::unordered_set<std::string_view>& set) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    if (set.count(w)) return true;
    for (std::size_t n = 5; n < w.size(); ++n) {
      if (set.count(std::string_view(w).substr(0, n))) return true;
    }
    return false;
  });
}

const std::unordered_set<std::string_view> kNegativeWords = {
    "share", "sharing", "social", "related", "sidebar", "footer", "masthead", "nav", "navbar", "navigation",
    "menu", "banner", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription",
    "promo", "advert", "advertisement", "ad", "ads", "donate", "donation", "popup", "modal", "breadcrumb",
    "breadcrumbs", "widget", "outbrain", "taboola", "recommended", "recommendations", "skip", "print",
    "tags", "toolbar", "byline", "dateline", "signup", "paywall", "trending", "popular"};
const std::unordered_set<std::string_view> kPositiveWords = {
    "article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story", "articlebody",
    "prose"};
const std::unordered_set<std::string_view> kCommentWords = {"comment", "comments", "commentlist",
                                                            "discussion", "disqus", "respond", "replies"};

// What a main-text pass trusts. The first trusts class and id names (share bars,
// sidebars, comment threads); a page whose names mislead it (<body class="no-sidebars">,
// a wrapper named "comments-enabled") leaves it with little text, and the next passes
// stop reading names, as Readability.js retries with its flags cleared.
struct Rules {
  bool class_names = true;    // Negative class/id words mark boilerplate.
  bool comment_names = true;  // Comment class/id words mark a comment section.
};

// An inline style that takes the element out of the article's text: display:none or
// visibility:hidden (a collapsed menu, a template, a modal not yet opened), or a
// position by coordinates (below).
bool styled_out_of_the_text(const GumboNode* node) {
  const char* style = attribute(node, "style");
  if (!style) return false;
  std::string compact;
  for (const char* c = style; *c; ++c) {
    if (!std::isspace(static_cast<unsigned char>(*c))) compact += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  }
  // Declaration by declaration, "!important" and the like set aside. Placed by
  // coordinates ("top:4.4%;left:0.08%", not "margin-top:"): a label laid over a chart
  // or a picture (ai2html graphics), a tooltip, an overlay; article text flows.
  bool top = false, left = false;
  for (std::string_view rest = compact; !rest.empty();) {
    const std::size_t end = rest.find(';');
    std::string_view declaration = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    declaration = declaration.substr(0, declaration.find('!'));
    if (declaration == "display:none" || declaration == "visibility:hidden") return true;
    top = top || declaration.starts_with("top:");
    left = left || declaration.starts_with("left:");
  }
  return top && left;
}

bool is_comment_section(const GumboNode* node, const Rules& rules = {}) {
  return rules.comment_names && has_word(class_words(node), kCommentWords);
}

// Elements never read as article text, by their tag.
bool is_boilerplate_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_FOOTER: case GUMBO_TAG_MENU: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_IMG: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
      return true;
    default:
      return false;
  }
}

// Elements never read as article text, by what their attributes say: hidden, a role
// or label that is not text, or (under `rules`) a boilerplate class or id name.
bool is_boilerplate_by_attributes(const GumboNode* node, const Rules& rules) {
  if (attribute(node, "hidden") || styled_out_of_the_text(node)) return true;
  if (const char* hidden = attribute(node, "aria-hidden"); hidden && std::string_view(hidden) == "true") return true;
  if (const char* role = attribute(node, "role")) {
    const std::string value = lower(role);
    if (value == "navigation" || value == "complementary" || value == "banner" || value == "contentinfo" ||
        value == "dialog" || value == "menu" || value == "menubar" || value == "alert" || value == "toolbar" ||
        value == "slider" || value == "progressbar" || value == "tooltip") {
      return true;
    }
  }
  // A media player names itself for screen readers ("Yahoo Video Player"): its controls,
  // settings and caption menus are not article text.
  if (const char* label = attribute(node, "aria-label"); label && lower(label).find("player") != std::string::npos) {
    return true;
  }
  // A link's class names say how it behaves ("popup", "share"), not that the words it
  // wraps inside a sentence are boilerplate; link lists go by their link density.
  if (!rules.class_names || tag_of(node) == GUMBO_TAG_A) return false;
  const std::vector<std::string> words = class_words(node);
  // A header is boilerplate unless it is the article's own (inside <article>, checked by caller).
  return has_negative_word(words, kNegativeWords) && !has_word(words, kPositiveWords);
}

bool is_boilerplate(const GumboNode* node, const Rules& rules = {}) {
  return is_boilerplate_tag(tag_of(node)) || is_boilerplate_by_attributes(node, rules);
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_TR:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_DL:
    case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
      return true;
    default:
      return false;
  }
}

// Every `tag` element in the subtree of `node`, in document order.
std::vector<const GumboNode*> elements_of(const GumboNode* node, GumboTag tag) {
  std::vector<const GumboNode*> found;
  std::function<void(const GumboNode*)> walk = [&](const GumboNode* at) {
    if (!is_element(at)) return;
    if (tag_of(at) == tag) found.push_back(at);
    for_children(at, walk);
  };
  walk(node);
  return found;
}

// A table of data rather than of layout, as Readability.js tells them: it has header
// cells, a header row or a caption, and no table inside it (layout tables nest).
bool is_data_table(const GumboNode* table) {
  if (const char* role = attribute(table, "role"); role && lower(role) == "presentation") return false;
  bool headers = false, nested = false;
  std::function<void(const GumboNode*)> walk = [&](const GumboNode* at) {
    if (!is_element(at)) return;
    const GumboTag tag = tag_of(at);
    if (at != table && tag == GUMBO_TAG_TABLE) nested = true;
    if (tag == GUMBO_TAG_TH || tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_CAPTION) headers = true;
    if (!nested) for_children(at, walk);
  };
  walk(table);
  return headers && !nested;
}

// Text of a subtree as paragraphs (one per block element), skipping boilerplate and
// comment sections (read apart). A paragraph that is mostly link text (a menu, a share
// bar, a list of related links) is dropped.
struct TextCollector {
  std::vector<std::string> paragraphs;
  std::string current;
  std::size_t current_link_bytes = 0;
  int link_depth = 0;
  bool skip_comments = true;
  Rules rules;
  std::size_t link_lists = 0;  // Paragraphs dropped for their links.

  std::size_t current_plain_words = 0;  // Words outside links.
  int heading_depth = 0;
  int data_table_depth = 0;

  void flush() {
    std::string_view text = trim(current);
    if (!text.empty()) {
      // Mostly link text, and under four words of its own: a menu, a list of related
      // links, a share bar, "Tags: …". A sentence around a link ("Thanks to X, users
      // can now <a>import logins</a>") stays, and so does a heading made of a link
      // (a listicle's "<h3><a>Batman Arkham VR</a> ($20)</h3>"): menus are lists, not
      // headings, and the related-links blocks that do use headings are boilerplate.
      // A cell of a data table holding one link (a film's title in a filmography) is
      // data, not a menu.
      if (heading_depth == 0 && data_table_depth == 0 &&
          static_cast<double>(current_link_bytes) > 0.5 * static_cast<double>(text.size()) && current_plain_words < 4) {
        ++link_lists;
      } else {
        paragraphs.emplace_back(text);
      }
    }
    current.clear();
    current_link_bytes = 0;
    current_plain_words = 0;
  }

  void walk(const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      const std::size_t before = current.size();
      append_collapsed(current, node->v.text.text);
      if (link_depth > 0) {
        current_link_bytes += current.size() - before;
      } else {
        bool in_word = false;
        for (const char* c = node->v.text.text; *c; ++c) {
          const bool letter = std::isalnum(static_cast<unsigned char>(*c)) || (static_cast<unsigned char>(*c) & 0x80);
          current_plain_words += letter && !in_word;
          in_word = letter;
        }
      }
      return;
    }
    if (node->type == GUMBO_NODE_WHITESPACE) {
      if (!current.empty() && current.back() != ' ') current += ' ';
      return;
    }
    if (!is_element(node)) return;
    if (skip_comments && is_comment_section(node, rules)) return;
    const GumboTag tag = tag_of(node);
    // A figure inside the article keeps its caption: it names who and what the photo
    // shows, words a reader searches for. It does not count when the article is sought
    // (a page of photos is not an article). Its attributes are read as any element's.
    if (tag == GUMBO_TAG_FIGURE) {
      if (is_boilerplate_by_attributes(node, rules)) return;
      for (const GumboNode* caption : elements_of(node, GUMBO_TAG_FIGCAPTION)) walk(caption);
      return;
    }
    if (is_boilerplate(node, rules)) return;
    const bool block = is_block(tag);
    const bool link = tag == GUMBO_TAG_A;
    const bool heading = tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6;
    const bool data_table = tag == GUMBO_TAG_TABLE && is_data_table(node);
    if (block) flush();
    link_depth += link;
    heading_depth += heading;
    data_table_depth += data_table;
    for_children(node, [&](const GumboNode* child) { walk(child); });
    link_depth -= link;
    if (block) flush();
    heading_depth -= heading;
    data_table_depth -= data_table;
  }
};

std::vector<std::string> paragraphs_of(const GumboNode* node, bool skip_comments = true, const Rules& rules = {}) {
  TextCollector collector;
  collector.skip_comments = skip_comments;
  collector.rules = rules;
  collector.walk(node);
  collector.flush();
  return collector.paragraphs;
}

std::string plain_text(const GumboNode* node) {
  std::string out;
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA || node->type == GUMBO_NODE_WHITESPACE) {
    append_collapsed(out, node->v.text.text);
    return out;
  }
  for_children(node, [&](const GumboNode* child) { append_collapsed(out, plain_text(child)); });
  return std::string(trim(out));
}

// --- Metadata --------------------------------------------------------------------

struct Metadata {
  std::string html_lang, title_tag, first_h1, canonical, time_datetime;
  std::map<std::string, std::string> meta;  // Lower-cased property/name/itemprop -> content (first wins).
  std::vector<std::pair<std::string, std::string>> meta_authors;  // Every (key, content): article:author may repeat.
  std::vector<json> json_ld;                // Parsed JSON-LD blocks.
};

// A JSON-LD block as JSON; one complete value followed by stray characters (a brace too
// many, a second block run on) gives that value, as search engines read it.
std::optional<json> parse_json_ld(std::string_view block) {
  try {
    return json::parse(block);
  } catch (const json::parse_error& error) {
    // Byte `error.byte` (1-based) is where input went on past a complete value.
    if (error.id != 101 || error.byte <= 1 || std::string_view(error.what()).find("end of input") == std::string_view::npos) {
      return std::nullopt;
    }
    json value = json::parse(block.substr(0, error.byte - 1), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return std::nullopt;
    return value;
  }
}

void collect_metadata(const GumboNode* node, Metadata& out) {
  if (!is_element(node)) return;
  switch (tag_of(node)) {
    case GUMBO_TAG_HTML:
      if (const char* lang = attribute(node, "lang")) out.html_lang = lang;
      break;
    case GUMBO_TAG_TITLE:
      if (out.title_tag.empty()) out.title_tag = plain_text(node);
      return;
    case GUMBO_TAG_H1:
      if (out.first_h1.empty()) out.first_h1 = plain_text(node);
      break;
    case GUMBO_TAG_META: {
      const char* content = attribute(node, "content");
      if (!content) break;
      for (const char* key_attribute : {"property", "name", "itemprop"}) {
        const char* keys = attribute(node, key_attribute);
        if (!keys) continue;
        // One value may serve several properties: property="og:title twitter:title".
        std::string_view rest = keys;
        while (!rest.empty()) {
          const std::size_t space = rest.find_first_of(" \t\n");
          const std::string name = lower(rest.substr(0, space));
          rest = space == std::string_view::npos ? std::string_view() : trim(rest.substr(space));
          if (name.empty()) continue;
          // Dublin Core is written dc.title, dc:title, DC.title, dcterms.title.
          std::string key = name;
          if (key.starts_with("dc:") || key.starts_with("dcterm:") || key.starts_with("dcterms:")) {
            key[key.find(':')] = '.';
          }
          if (key.starts_with("dcterm.")) key.insert(6, "s");
          out.meta_authors.emplace_back(key, content);
          out.meta.emplace(key, content);
        }
      }
      break;
    }
    case GUMBO_TAG_LINK: {
      const char* rel = attribute(node, "rel");
      const char* href = attribute(node, "href");
      if (rel && href && lower(rel) == "canonical" && out.canonical.empty()) out.canonical = href;
      break;
    }
    case GUMBO_TAG_TIME:
      if (const char* datetime = attribute(node, "datetime"); datetime && out.time_datetime.empty()) {
        out.time_datetime = datetime;
      }
      break;
    case GUMBO_TAG_SCRIPT: {
      const char* type = attribute(node, "type");
      if (type && lower(type) == "application/ld+json") {
        std::string text;
        for_children(node, [&](const GumboNode* child) {
          if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA || child->type == GUMBO_NODE_WHITESPACE)
            text += child->v.text.text;
        });
        // Pages (and the tools that save them) wrap the block in <![CDATA[ ... ]]> or an
        // HTML comment, often behind "//" so that old parsers skip it.
        std::string_view block = trim(text);
        for (const std::string_view open : {"//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[", "<!--"}) {
          if (block.starts_with(open)) block = trim(block.substr(open.size()));
        }
        for (const std::string_view close : {"//]]>", "/*]]>*/", "]]>", "//-->", "-->"}) {
          if (block.ends_with(close)) block = trim(block.substr(0, block.size() - close.size()));
        }
        if (core::json_deeper_than(block)) return;  // Not metadata: left out, as unparsable JSON is.
        if (auto parsed = parse_json_ld(block)) out.json_ld.push_back(std::move(*parsed));
      }
      return;
    }
    default:
      break;
  }
  for_children(node, [&](const GumboNode* child) { collect_metadata(child, out); });
}

bool is_article_type(const json& type) {
  static const std::set<std::string, std::less<>> kTypes = {
      "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
      "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
      "ScholarlyArticle", "TechArticle"};
  if (type.is_string()) return kTypes.count(type.get<std::string>()) > 0;
  if (type.is_array()) return std::any_of(type.begin(), type.end(), is_article_type);
  return false;
}

// Every JSON-LD node, flattening arrays and @graph.
void flatten_json_ld(const json& value, std::vector<const json*>& out) {
  if (value.is_array()) {
    for (const json& item : value) flatten_json_ld(item, out);
  } else if (value.is_object()) {
    out.push_back(&value);
    if (const auto graph = value.find("@graph"); graph != value.end()) flatten_json_ld(*graph, out);
  }
}

std::string json_string(const json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return std::string(trim(it->get<std::string>()));
  if (it->is_array() && !it->empty() && it->front().is_string()) return it->front().get<std::string>();
  return {};
}

// A name from a string, an object with "name", or a reference to a graph node by @id.
std::string json_name(const json& value, const std::vector<const json*>& nodes) {
  if (value.is_string()) return std::string(trim(value.get<std::string>()));
  if (value.is_object()) {
    std::string name = json_string(value, "name");
    if (name.empty()) {
      const std::string id = json_string(value, "@id");
      for (const json* node : nodes) {
        if (!id.empty() && json_string(*node, "@id") == id && node != &value) {
          name = json_string(*node, "name");
          if (!name.empty()) break;
        }
      }
    }
    return name;
  }
  return {};
}

std::string language_code(std::string_view tag) {
  // "en-US" / "en_GB" / "EN" -> "en"; only two- or three-letter primary subtags.
  std::string code;
  for (const char c : tag) {
    if (c == '-' || c == '_') break;
    code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (code.size() < 2 || code.size() > 3 || !std::all_of(code.begin(), code.end(), ::isalpha)) return {};
  return code;
}


// --- By-line -----------------------------------------------------------------------

struct Byline {
  std::vector<std::string> names;
  std::string text;   // As shown.
  std::string where;  // The element, for provenance.
};

// The first visible by-line of the page that names someone: an author link
// (rel="author"), a schema.org author (itemprop="author", its itemprop="name" when it
// has one), or a short element whose class or id says by-line or author. Comment
// sections (whose "comment-author"s are readers), navigation and footers are not read.
std::optional<Byline> find_byline(const GumboNode* node) {
  if (!is_element(node)) return std::nullopt;
  switch (tag_of(node)) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_NAV: case GUMBO_TAG_FOOTER: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG:
      return std::nullopt;
    default:
      break;
  }
  if (is_comment_section(node)) return std::nullopt;
  const std::vector<std::string> words = class_words(node, true);
  const char* rel = attribute(node, "rel");
  const char* itemprop = attribute(node, "itemprop");
  const bool author_link = rel && lower(rel) == "author";
  const bool schema_author = itemprop && lower(itemprop) == "author";
  const bool named = std::any_of(words.begin(), words.end(), [](const std::string& word) {
    return word == "byline" || word == "author" || word == "authors" || word == "byl" || word == "writer";
  }) && !std::any_of(words.begin(), words.end(), [](const std::string& word) {
    return word == "bio" || word == "about" || word == "avatar" || word == "image" || word == "photo";
  });
  if (author_link || schema_author || named) {
    std::string text;
    if (schema_author) {
      // <span itemprop="author"><meta itemprop="name" content="…"> or <span itemprop="name">…</span>.
      std::function<void(const GumboNode*)> find_name = [&](const GumboNode* child) {
        if (!text.empty() || !is_element(child)) return;
        if (const char* prop = attribute(child, "itemprop"); prop && lower(prop) == "name") {
          const char* content = attribute(child, "content");
          text = content ? std::string(content) : plain_text(child);
          return;
        }
        for_children(child, find_name);
      };
      for_children(node, find_name);
    }
    // Its lines (a <br> or a block ends one), with a space at every element's edge:
    // "Par<a>Sébastien Farcis</a>" reads as a browser shows it.
    std::vector<std::string> lines;
    if (text.empty()) {
      std::string line;
      std::function<void(const GumboNode*)> walk = [&](const GumboNode* child) {
        if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA || child->type == GUMBO_NODE_WHITESPACE) {
          line += child->v.text.text;
          return;
        }
        if (!is_element(child) || tag_of(child) == GUMBO_TAG_SCRIPT || tag_of(child) == GUMBO_TAG_STYLE) return;
        const bool breaks = is_block(tag_of(child));
        if (breaks && !trim(line).empty()) lines.push_back(std::move(line)), line.clear();
        line += ' ';
        for_children(child, walk);
        line += ' ';
        if (breaks && !trim(line).empty()) lines.push_back(std::move(line)), line.clear();
      };
      for_children(node, walk);
      if (!trim(line).empty()) lines.push_back(std::move(line));
    } else {
      lines.push_back(text);
    }
    std::size_t shown = 0;
    for (const std::string& line : lines) shown += line.size();
    // The first line that names someone, in an element short enough to be a by-line.
    for (const std::string& line : lines) {
      if (shown > 200) break;
      std::vector<std::string> names = names_from_byline(line);
      if (names.empty()) continue;
      std::string where = std::string("<") + gumbo_normalized_tagname(tag_of(node));
      if (author_link) where += " rel=\"author\"";
      if (schema_author) where += " itemprop=\"author\"";
      if (const char* cls = attribute(node, "class"); cls && named) where += " class=\"" + std::string(cls) + "\"";
      where += ">";
      return Byline{std::move(names), core::fold_space(line), std::move(where)};
    }
  }
  std::optional<Byline> found;
  for_children(node, [&](const GumboNode* child) {
    if (!found) found = find_byline(child);
  });
  return found;
}

// --- Main text ---------------------------------------------------------------------

struct Scores {
  std::unordered_map<const GumboNode*, double> score;
  std::unordered_map<const GumboNode*, std::size_t> text_length, link_length;
};

// Text and link-text length of every subtree (boilerplate and comments count as none).
std::pair<std::size_t, std::size_t> measure(const GumboNode* node, Scores& scores, bool in_link, const Rules& rules) {
  if (node->type == GUMBO_NODE_TEXT) {
    const std::size_t n = trim(node->v.text.text).size();
    return {n, in_link ? n : 0};
  }
  if (!is_element(node) || is_boilerplate(node, rules) || is_comment_section(node, rules)) return {0, 0};
  const bool link = in_link || tag_of(node) == GUMBO_TAG_A;
  std::size_t text = 0, links = 0;
  for_children(node, [&](const GumboNode* child) {
    const auto [t, l] = measure(child, scores, link, rules);
    text += t;
    links += l;
  });
  scores.text_length[node] = text;
  scores.link_length[node] = links;
  return {text, links};
}

double initial_score(const GumboNode* node) {
  double score = 0;
  switch (tag_of(node)) {
    case GUMBO_TAG_ARTICLE: score = 10; break;
    case GUMBO_TAG_MAIN: case GUMBO_TAG_DIV: score = 5; break;
    case GUMBO_TAG_SECTION: case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: score = 3; break;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_LI: score = -3; break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_TH: score = -5; break;
    default: break;
  }
  const std::vector<std::string> words = class_words(node);
  if (has_word(words, kPositiveWords)) score += 25;
  if (has_negative_word(words, kNegativeWords)) score -= 25;
  if (const char* itemprop = attribute(node, "itemprop"); itemprop && lower(itemprop) == "articlebody") score += 50;
  return score;
}

// A <div> or <section> without block children: a paragraph, on pages that never use <p>.
bool is_leaf_div(const GumboNode* node) {
  if (tag_of(node) != GUMBO_TAG_DIV && tag_of(node) != GUMBO_TAG_SECTION) return false;
  bool leaf = true;
  for_children(node, [&](const GumboNode* child) {
    if (is_block(tag_of(child))) leaf = false;
  });
  return leaf;
}

void score_paragraphs(const GumboNode* node, Scores& scores, const Rules& rules) {
  if (!is_element(node) || is_boilerplate(node, rules) || is_comment_section(node, rules)) return;
  const GumboTag tag = tag_of(node);
  // A <div> without block children is a paragraph too (pages that never use <p>).
  if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_TD || is_leaf_div(node)) {
    const std::string text = plain_text(node);
    if (text.size() >= 25) {
      const double score = 1.0 + static_cast<double>(std::count(text.begin(), text.end(), ',')) +
                           std::min(static_cast<double>(text.size()) / 100.0, 3.0);
      // The paragraph's container gets its score whole, the levels above a shrinking
      // share, so that the wrapper of an article split into several blocks still
      // outscores each block's own container (and its sibling blocks score too).
      const GumboNode* parent = node->parent;
      for (double share : {1.0, 0.5, 1.0 / 6, 1.0 / 9, 1.0 / 12}) {
        if (!parent || !is_element(parent)) break;
        if (!scores.score.count(parent)) scores.score[parent] = initial_score(parent);
        scores.score[parent] += score * share;
        parent = parent->parent;
      }
    }
  }
  for_children(node, [&](const GumboNode* child) { score_paragraphs(child, scores, rules); });
}

double final_score(const GumboNode* node, const Scores& scores) {
  const auto it = scores.score.find(node);
  if (it == scores.score.end()) return 0;
  const auto text = scores.text_length.find(node);
  const auto links = scores.link_length.find(node);
  const double length = text == scores.text_length.end() ? 0 : static_cast<double>(text->second);
  const double link_density = length == 0 ? 1.0 : static_cast<double>(links->second) / length;
  return it->second * (1.0 - link_density);
}

void find_comment_sections(const GumboNode* node, std::vector<const GumboNode*>& out) {
  if (!is_element(node)) return;
  if (tag_of(node) == GUMBO_TAG_SCRIPT || tag_of(node) == GUMBO_TAG_STYLE || tag_of(node) == GUMBO_TAG_HEAD) return;
  if (is_comment_section(node) && tag_of(node) != GUMBO_TAG_BODY) {
    out.push_back(node);
    return;
  }
  for_children(node, [&](const GumboNode* child) { find_comment_sections(child, out); });
}

const GumboNode* find_tag(const GumboNode* node, GumboTag tag) {
  if (tag_of(node) == tag) return node;
  const GumboNode* found = nullptr;
  for_children(node, [&](const GumboNode* child) {
    if (!found) found = find_tag(child, tag);
  });
  return found;
}

std::string join_paragraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& paragraph : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += paragraph;
  }
  return out;
}

// Removes the site's name from a page title: "Headline | Site" -> "Headline". The tail
// is the site's when it is the outlet's name, a start of it ("Aktuálně.cz" of
// "Aktuálně.cz - Víte, co se právě děje"), or it starts with it ("Spiceworks" and
// "Spiceworks Inc"); with no outlet known, a short tail after a longer headline.
std::string strip_site_suffix(std::string title, const std::string& site) {
  const std::string site_lower = lower(site);
  for (std::string_view separator : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 ", " \xE2\x80\xA2 "}) {
    const auto at = title.rfind(separator);
    if (at == std::string::npos) continue;
    const std::string tail = lower(trim(std::string_view(title).substr(at + separator.size())));
    const bool site_tail = !site_lower.empty() && tail.size() >= 3 &&
                           (tail == site_lower || site_lower.starts_with(tail) || tail.starts_with(site_lower));
    if (site_tail || (site.empty() && tail.size() <= 30 && at > tail.size())) {
      title.resize(at);
      break;
    }
  }
  return std::string(trim(title));
}

// Whether `node` is `ancestor` or lies inside it.
bool is_inside(const GumboNode* node, const GumboNode* ancestor) {
  for (const GumboNode* up = node; up; up = up->parent) {
    if (up == ancestor) return true;
  }
  return false;
}

// The main text of a page under `rules`: the best-scoring container and its siblings
// that read as prose, else every paragraph of <body>.
struct MainText {
  std::vector<std::string> paragraphs;
  std::string how;  // For provenance.
  std::size_t characters = 0;
};

MainText main_text(const GumboNode* body, const Rules& rules) {
  Scores scores;
  measure(body, scores, false, rules);
  score_paragraphs(body, scores, rules);
  const GumboNode* best = nullptr;
  double best_score = 0;
  for (const auto& [node, raw] : scores.score) {
    const double score = final_score(node, scores);
    if (score > best_score || (score == best_score && best && node < best)) {
      best = node;
      best_score = score;
    }
  }
  std::vector<std::string> paragraphs;
  std::string how;
  std::string widened;
  if (best) {
    const auto score_of = [&](const GumboNode* node) { return final_score(node, scores); };
    const auto below_body = [&](const GumboNode* node) {
      return node && is_element(node) && tag_of(node) != GUMBO_TAG_BODY && tag_of(node) != GUMBO_TAG_HTML;
    };
    // The article's paragraphs often share a class ("story-body-text"): when paragraphs
    // of the best container's class also stand outside it (an article whose first
    // paragraphs sit in another wrapper), their common ancestor is the article, as long
    // as it holds little else.
    {
      std::map<std::string, std::size_t> classes;
      for (const GumboNode* p : elements_of(best, GUMBO_TAG_P)) {
        if (const char* cls = attribute(p, "class"); cls && *cls) ++classes[cls];
      }
      const auto common = std::max_element(classes.begin(), classes.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
      if (common != classes.end() && common->second >= 2) {
        const std::string& paragraph_class = common->first;
        const GumboNode* ancestor = best;
        std::size_t same_chars = 0;
        for (const GumboNode* p : elements_of(body, GUMBO_TAG_P)) {
          const char* cls = attribute(p, "class");
          if (!cls || paragraph_class != cls) continue;
          if (const auto length = scores.text_length.find(p); length != scores.text_length.end()) {
            same_chars += length->second;
          }
          while (below_body(ancestor) && !is_inside(p, ancestor)) ancestor = ancestor->parent;
        }
        const auto length = scores.text_length.find(ancestor);
        if (ancestor != best && below_body(ancestor) && length != scores.text_length.end() &&
            length->second <= 2 * same_chars) {
          best = ancestor;
          widened = "the common ancestor of its paragraphs' class \"" + paragraph_class + "\"";
        }
      }
    }
    // An article split into blocks (a few paragraphs per <section> or <div>, with
    // images or ads between them): when at least three other containers score
    // nearly as well, the nearest ancestor of the best holding three of them is the
    // article.
    std::vector<const GumboNode*> rivals;
    for (const auto& [node, raw] : scores.score) {
      if (node != best && score_of(node) >= 0.75 * best_score) rivals.push_back(node);
    }
    if (widened.empty() && rivals.size() >= 3) {
      for (const GumboNode* ancestor = best->parent; below_body(ancestor); ancestor = ancestor->parent) {
        const auto inside = std::count_if(rivals.begin(), rivals.end(),
                                          [&](const GumboNode* rival) { return is_inside(rival->parent, ancestor); });
        if (inside >= 3) {
          best = ancestor;
          widened = "the blocks' common ancestor";
          break;
        }
      }
    }
    // A parent scoring higher than its child, a few levels up, holds more of the text.
    if (widened.empty()) {
      double last = score_of(best);
      const double floor = last / 3;
      for (const GumboNode* up = best->parent; below_body(up); up = up->parent) {
        if (!scores.score.count(up)) continue;
        const double score = score_of(up);
        if (score < floor) break;
        if (score > last) {
          best = up;
          widened = "a higher-scoring ancestor";
          break;
        }
        last = score;
      }
    }
    // A wrapper with nothing else in it is the same block; its siblings are the
    // article's other blocks.
    for (const GumboNode* up = best->parent; below_body(up); up = up->parent) {
      std::size_t elements = 0;
      for_children(up, [&](const GumboNode* child) { elements += is_element(child); });
      if (elements != 1) break;
      best = up;
    }
    best_score = std::max(best_score, score_of(best));
    // The best container and its siblings that score close to it or read as prose.
    const GumboNode* parent = best->parent;
    const double threshold = std::max(10.0, best_score * 0.2);
    bool any_sibling = false;
    auto take = [&](const GumboNode* node) {
      for (std::string& paragraph : paragraphs_of(node, true, rules)) paragraphs.push_back(std::move(paragraph));
    };
    if (parent && is_element(parent)) {
      for_children(parent, [&](const GumboNode* sibling) {
        if (sibling == best) {
          take(sibling);
          return;
        }
        if (!is_element(sibling) || is_boilerplate(sibling, rules) || is_comment_section(sibling, rules)) return;
        // A sibling of the same tag and class is another block of the same article.
        const char* best_class = attribute(best, "class");
        const char* sibling_class = attribute(sibling, "class");
        const bool same_kind = tag_of(sibling) == tag_of(best) && best_class && sibling_class &&
                               std::string_view(best_class) == sibling_class && *best_class != 0;
        bool append = final_score(sibling, scores) + (same_kind ? best_score * 0.2 : 0.0) >= threshold;
        // A paragraph beside the article that reads as prose (a standfirst in its own
        // <div class="perex"> above the body).
        if (!append && (tag_of(sibling) == GUMBO_TAG_P || is_leaf_div(sibling))) {
          const std::string text = plain_text(sibling);
          const auto length = scores.text_length[sibling];
          const double density = length ? static_cast<double>(scores.link_length[sibling]) / static_cast<double>(length) : 1;
          append = (text.size() > 80 && density < 0.25) ||
                   (text.size() > 0 && density == 0 && (text.ends_with('.') || text.ends_with("\xE2\x80\x9D")));
        }
        if (append) {
          take(sibling);
          any_sibling = true;
        }
      });
    } else {
      take(best);
    }
    how = std::string("content scoring: <") + gumbo_normalized_tagname(tag_of(best)) + ">";
    if (const char* id = attribute(best, "id")) how += " id=\"" + std::string(id) + "\"";
    if (const char* cls = attribute(best, "class")) how += " class=\"" + std::string(cls) + "\"";
    if (!widened.empty()) how += " (widened to " + widened + ")";
    if (any_sibling) how += " with sibling paragraphs";
  } else {
    paragraphs = paragraphs_of(body, true, rules);
    how = "all text of <body> (no paragraph scored)";
  }
  std::size_t characters = 0;
  for (const std::string& paragraph : paragraphs) characters += paragraph.size();
  return MainText{std::move(paragraphs), std::move(how), characters};
}

// `html` with the text of every <script> (but JSON-LD) and <style> element removed,
// tags kept. The element ends at the first "</script" or "</style" in any case, as
// HTML's script-data and raw-text states end it.
std::string without_script_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t copied = 0;
  std::size_t at = 0;
  // Whether `name` (lower case) is the tag name at html[i], just after '<' or "</".
  const auto tag_named = [&](std::size_t i, std::string_view name) {
    if (i + name.size() >= html.size()) return false;
    for (std::size_t k = 0; k < name.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(html[i + k])) != name[k]) return false;
    }
    const char after = html[i + name.size()];
    return after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r' || after == '/' ||
           after == '\f';
  };
  while ((at = html.find('<', at)) != std::string_view::npos) {
    const bool script = tag_named(at + 1, "script");
    if (!script && !tag_named(at + 1, "style")) {
      ++at;
      continue;
    }
    const std::size_t open_end = html.find('>', at);
    if (open_end == std::string_view::npos) break;
    const std::string_view name = script ? "script" : "style";
    std::size_t close = open_end + 1;
    while ((close = html.find("</", close)) != std::string_view::npos && !tag_named(close + 2, name)) ++close;
    if (close == std::string_view::npos) break;
    if (!(script && lower(html.substr(at, open_end - at)).find("ld+json") != std::string::npos)) {
      out.append(html.substr(copied, open_end + 1 - copied));
      copied = close;
    }
    at = close + 1;
  }
  out.append(html.substr(copied));
  return out;
}

}  // namespace

std::string html_to_utf8(std::string_view bytes) {
  if (core::is_valid_utf8(bytes)) return std::string(bytes);
  // The declared charset, from the first few kilobytes.
  const std::string head = lower(bytes.substr(0, 4096));
  std::string charset = "windows-1252";
  if (const auto at = head.find("charset="); at != std::string::npos) {
    std::size_t start = at + 8;
    while (start < head.size() && (head[start] == '"' || head[start] == '\'')) ++start;
    std::size_t end = start;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' || head[end] == '_')) ++end;
    if (end > start && head.substr(start, end - start) != "utf-8") charset = head.substr(start, end - start);
  }
  const icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), charset.c_str());
  std::string out;
  text.toUTF8String(out);
  return out;
}

namespace {

// Gumbo's allocations for one page, from blocks freed together when the page is done:
// no free per node, and no gumbo_destroy_output, which walks the tree recursively (a
// page nested 100,000 deep overflowed the stack there).
class Arena {
 public:
  void* allocate(std::size_t size) {
    size = (size + 15) & ~std::size_t{15};
    if (size > kBlock / 4) return blocks_.emplace_back(new std::max_align_t[size / sizeof(std::max_align_t) + 1]).get();
    if (used_ + size > kBlock || blocks_.empty()) {
      current_ = blocks_.emplace_back(new std::max_align_t[kBlock / sizeof(std::max_align_t)]).get();
      used_ = 0;
    }
    void* at = reinterpret_cast<char*>(current_) + used_;
    used_ += size;
    return at;
  }
  static void* allocate(void* arena, std::size_t size) { return static_cast<Arena*>(arena)->allocate(size); }
  static void release(void*, void*) {}

 private:
  static constexpr std::size_t kBlock = 256 * 1024;
  std::vector<std::unique_ptr<std::max_align_t[]>> blocks_;
  std::max_align_t* current_ = nullptr;
  std::size_t used_ = kBlock;
};

// Elements nested deeper than this are cut from the tree before any walk (each walk
// recurses per level): no real page comes near it, and newer Gumbo stops there too.
constexpr std::size_t kMaxDepth = 400;

// Cuts the children of elements at kMaxDepth; returns how many elements lost them.
std::size_t cut_below_max_depth(GumboNode* root) {
  std::size_t cut = 0;
  std::vector<std::pair<GumboNode*, std::size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    GumboVector* children = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
                            : (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
                                ? &node->v.element.children
                                : nullptr;
    if (!children || children->length == 0) continue;
    if (depth >= kMaxDepth) {
      children->length = 0;
      ++cut;
      continue;
    }
    for (unsigned i = 0; i < children->length; ++i) stack.emplace_back(static_cast<GumboNode*>(children->data[i]), depth + 1);
  }
  return cut;
}

// --- Dates --------------------------------------------------------------------------

// Class and id words of the parts of a page that date other articles than this one:
// related and popular lists, sidebars, teasers, navigation.
const std::unordered_set<std::string_view> kOtherArticlesWords = {
    "related", "recommended", "recommendations", "popular", "trending", "sidebar", "widget", "outbrain",
    "taboola", "footer", "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "promo",
    "newsletter", "teaser", "teasers", "latest", "more", "mostread", "most", "also", "next", "prev",
    "previous", "carousel", "slider", "ticker", "rail", "recirc", "recirculation",
    // Today's date and the time in the site's header.
    "today", "clock", "weather", "current", "currentdate"};
const std::unordered_set<std::string_view> kRelatedWords = {"related", "recommended", "recommendations", "popular",
                                                            "trending", "mostread", "outbrain", "taboola"};
// Class and id words of an element that shows the article's date.
const std::unordered_set<std::string_view> kDateWords = {
    "date", "dates", "published", "publish", "pubdate", "publishdate", "publishtime", "published_at", "timestamp",
    "posted", "postdate", "postedon", "dateline", "datetime", "time", "entrydate", "articledate", "submitted",
    "created", "meta", "byline", "postmeta", "info", "details"};
const std::unordered_set<std::string_view> kModifiedWords = {"updated", "update", "modified", "lastmod", "revised",
                                                             "lastupdated"};

// Dates shown in the page's elements, in document order: itemprop="datePublished",
// <time>, and short elements whose class or id says date (by-lines often carry one).
// What dates other articles (related lists, navigation, comments) is not read.
class DatedElements {
 public:
  // `title` is the article's: the <h1> that shows it is the headline.
  DatedElements(DateEvidence& evidence, const std::string& title) : evidence_(evidence), title_(lower(title)) {}

  // Short texts of the parts left out (a "today" widget): a date line that reads the
  // same dates them, not the article.
  const std::set<std::string>& left_out() const { return left_out_; }

  void walk(const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT) return read_after_headline(node->v.text.text);
    if (!is_element(node)) return;
    switch (tag_of(node)) {
      case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NAV:
      case GUMBO_TAG_ASIDE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG:
      case GUMBO_TAG_FORM: case GUMBO_TAG_SELECT:
        return;
      default:
        break;
    }
    const std::vector<std::string> words = class_words(node, true);
    // The page's and the article's own containers are read whatever their names say
    // (<body class="nav-no-loaded">).
    const GumboTag tag = tag_of(node);
    const bool container = tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_ARTICLE;
    // A name that says other articles leaves the element out, unless it also says
    // the article's own ("widget Blog" holds Blogger's posts); "related" always does.
    if (!container && (has_word(words, kCommentWords) || has_negative_word(words, kRelatedWords) ||
                       (has_negative_word(words, kOtherArticlesWords) && !has_word(words, kPositiveWords)))) {
      if (std::string text = plain_text(node); text.size() <= kShortText) left_out_.insert(std::move(text));
      return;
    }
    if (const char* role = attribute(node, "role"); role && lower(role) == "navigation") return;
    if (read(node, words)) return;
    for_children(node, [&](const GumboNode* child) { walk(child); });
    if (tag == GUMBO_TAG_H1 && headline_texts_ < 0 && is_headline(node)) headline_texts_ = 0;
  }

 private:
  static constexpr int kTextsAfterHeadline = 8;

  // An <h1> showing the title (a site's logo in an <h1> is not the headline).
  bool is_headline(const GumboNode* h1) const {
    const std::string shown = lower(plain_text(h1));
    return !shown.empty() && !title_.empty() && shown.size() * 2 >= title_.size() &&
           (title_.find(shown) != std::string::npos || shown.find(title_) != std::string::npos);
  }

  // The first texts after the headline (<h1>) hold the article's date line, whatever
  // their markup: "August 06, 2019", "22/11/2020 - 04:30 - Fonte: Agência Brasil".
  void read_after_headline(std::string_view text) {
    if (headline_texts_ < 0 || headline_texts_ >= kTextsAfterHeadline) return;
    text = trim(text);
    if (text.empty()) return;
    ++headline_texts_;
    if (text.size() <= kShortText &&
        evidence_.add_line(text, DateRole::kPublished, trust::kDateLine - kEnoughElements - 1, "dateline",
                           "line after the headline")) {
      headline_texts_ = kTextsAfterHeadline;
    }
  }

  static constexpr int kEnoughElements = 4;   // Date elements read; later ones date other things.
  static constexpr std::size_t kShortText = 120;  // Bytes: a date line, not a paragraph.

  // Reads `node` when it shows a date; true when its children need no reading.
  bool read(const GumboNode* node, const std::vector<std::string>& words) {
    const bool modified = has_word(words, kModifiedWords);
    const DateRole role = modified ? DateRole::kModified : DateRole::kPublished;
    if (const char* itemprop = attribute(node, "itemprop")) {
      const std::string prop = lower(itemprop);
      if (prop == "datepublished" || prop == "datecreated" || prop == "datemodified") {
        const DateRole item_role = prop == "datemodified" ? DateRole::kModified : DateRole::kPublished;
        const char* value = attribute(node, "content");
        if (!value) value = attribute(node, "datetime");
        const std::string where = "itemprop=\"" + std::string(itemprop) + "\"";
        // The value may be malformed ("2020-12-05T23:15:0Z") where the text is right.
        if (!value || !evidence_.add_value(value, item_role, trust::kItemprop, "itemprop", where)) {
          evidence_.add_value(plain_text(node), item_role, trust::kItemprop - 1, "itemprop", where + " text");
        }
        return true;
      }
    }
    if (tag_of(node) == GUMBO_TAG_TIME) {
      if (++times_ > kEnoughElements) return true;
      if (const char* datetime = attribute(node, "datetime")) {
        evidence_.add_value(datetime, role, trust::kTimeElement - times_, "time", "<time datetime>");
      } else {
        evidence_.add_value(plain_text(node), role, trust::kTimeElement - times_, "time", "<time>");
      }
      return true;
    }
    if (lines_ < kEnoughElements && (has_word(words, kDateWords) || modified)) {
      const std::string text = plain_text(node);
      if (!text.empty() && text.size() <= kShortText) {
        const bool byline = has_word(words, {"byline", "author"});
        const bool added = evidence_.add_line(text, role, trust::kDateLine - lines_, byline ? "byline" : "dateline",
                           std::string(byline ? "by-line" : "date line") + " <" + gumbo_normalized_tagname(tag_of(node)) +
                               " class=\"" + (attribute(node, "class") ? attribute(node, "class") : "") + "\">");
        // No date in its text ("28 minutes ago"): a <time> inside may hold one.
        if (added) ++lines_;
        return added;
      }
    }
    return false;
  }

  DateEvidence& evidence_;
  const std::string title_;
  std::set<std::string> left_out_;
  int times_ = 0;
  int lines_ = 0;
  int headline_texts_ = -1;  // Texts read since the headline; -1 before it.
};

bool is_page_type(const json& type) {
  if (type.is_string()) {
    const std::string& name = type.get_ref<const std::string&>();
    return name == "WebPage" || name == "ItemPage";
  }
  return type.is_array() && std::any_of(type.begin(), type.end(), is_page_type);
}

// The page's publication date from every source it offers (indexer/clean/publication_date.h):
// JSON-LD, meta tags, dated elements, the URL, a date line atop the text.
void add_metadata_dates(const Metadata& meta, const std::vector<const json*>& nodes, const json* article_ld,
                        DateEvidence& evidence) {
  if (article_ld) {
    evidence.add_value(json_string(*article_ld, "datePublished"), DateRole::kPublished, trust::kJsonLdArticle,
                       "jsonld", "JSON-LD datePublished");
    evidence.add_value(json_string(*article_ld, "dateCreated"), DateRole::kPublished, trust::kMetaDate - 1,
                       "jsonld", "JSON-LD dateCreated");
    evidence.add_value(json_string(*article_ld, "dateModified"), DateRole::kModified, trust::kJsonLdArticle,
                       "jsonld", "JSON-LD dateModified");
  }
  for (const json* node : nodes) {
    const auto type = node->find("@type");
    if (node == article_ld || type == node->end() || !is_page_type(*type)) continue;
    evidence.add_value(json_string(*node, "datePublished"), DateRole::kPublished, trust::kJsonLdPage, "jsonld",
                       "JSON-LD " + json_string(*node, "@type") + " datePublished");
    evidence.add_value(json_string(*node, "dateModified"), DateRole::kModified, trust::kJsonLdPage, "jsonld",
                       "JSON-LD " + json_string(*node, "@type") + " dateModified");
  }
  struct Key {
    const char* name;
    DateRole role;
    int trust;
  };
  static constexpr Key kKeys[] = {
      {"article:published_time", DateRole::kPublished, trust::kMetaPublished},
      {"og:article:published_time", DateRole::kPublished, trust::kMetaPublished},
      {"og:published_time", DateRole::kPublished, trust::kMetaPublished},
      {"article:published", DateRole::kPublished, trust::kMetaPublished},
      {"datepublished", DateRole::kPublished, trust::kMetaPublished},
      {"publish-date", DateRole::kPublished, trust::kMetaPublished},
      {"publishdate", DateRole::kPublished, trust::kMetaPublished},
      {"publish_date", DateRole::kPublished, trust::kMetaPublished},
      {"published_time", DateRole::kPublished, trust::kMetaPublished},
      {"pubdate", DateRole::kPublished, trust::kMetaPublished},
      {"bt:pubdate", DateRole::kPublished, trust::kMetaPublished},
      {"parsely-pub-date", DateRole::kPublished, trust::kMetaPublished},
      {"sailthru.date", DateRole::kPublished, trust::kMetaPublished},
      {"dc.date.issued", DateRole::kPublished, trust::kMetaPublished},
      {"dcterms.issued", DateRole::kPublished, trust::kMetaPublished},
      {"dc.date.created", DateRole::kPublished, trust::kMetaPublished},
      {"dcterms.created", DateRole::kPublished, trust::kMetaPublished},
      {"article_date_original", DateRole::kPublished, trust::kMetaPublished},
      {"cxenseparse:recs:publishtime", DateRole::kPublished, trust::kMetaPublished},
      {"date", DateRole::kPublished, trust::kMetaDate},
      {"dc.date", DateRole::kPublished, trust::kMetaDate},
      {"dcterms.date", DateRole::kPublished, trust::kMetaDate},
      {"citation_publication_date", DateRole::kPublished, trust::kMetaDate},
      {"citation_date", DateRole::kPublished, trust::kMetaDate},
      {"article:modified_time", DateRole::kModified, trust::kMetaPublished},
      {"og:updated_time", DateRole::kModified, trust::kMetaPublished},
      {"datemodified", DateRole::kModified, trust::kMetaPublished},
      {"dcterms.modified", DateRole::kModified, trust::kMetaPublished},
      {"dc.date.modified", DateRole::kModified, trust::kMetaPublished},
      {"bt:moddate", DateRole::kModified, trust::kMetaPublished},
      {"last-modified", DateRole::kModified, trust::kMetaDate},
  };
  for (const Key& key : kKeys) {
    if (const auto it = meta.meta.find(key.name); it != meta.meta.end()) {
      evidence.add_value(trim(it->second), key.role, key.trust, "meta", std::string("<meta ") + key.name + ">");
    }
  }
}

// A date line at the top of the main text dates the page (when nothing better does)
// and is not article text either way: it leaves `paragraphs`.
void take_date_line(std::vector<std::string>& paragraphs, const std::set<std::string>& left_out, DateEvidence& evidence) {
  constexpr std::size_t kTop = 3;           // Paragraphs read.
  constexpr std::size_t kDecoration = 30;   // Bytes around the date ("Published on ... |").
  for (std::size_t i = 0; i < paragraphs.size() && i < kTop; ++i) {
    if (paragraphs[i].size() > 100) continue;
    const auto date = core::find_date(paragraphs[i], evidence.lang());
    if (!date || paragraphs[i].size() > date->end - date->begin + kDecoration) continue;
    if (!core::implausible_date(date->seconds).empty()) continue;
    if (left_out.count(paragraphs[i]) == 0) {
      evidence.add_line(paragraphs[i], DateRole::kPublished, trust::kDateLine, "dateline",
                        "date line near the top of the text");
    }
    paragraphs.erase(paragraphs.begin() + static_cast<std::ptrdiff_t>(i));
    return;
  }
}

void set_page_date(CleanedPage& page, const DateEvidence& evidence) {
  const ChosenDate chosen = evidence.choose();
  page.date = chosen.date;
  page.date_offset = chosen.offset;
  page.date_source = chosen.source;
  page.modified = chosen.modified;
  page.modified_offset = chosen.modified_offset;
  if (page.date) page.provenance.emplace_back("date", chosen.how);
  if (!page.date && !chosen.rejected.empty()) page.provenance.emplace_back("date_rejected", chosen.rejected);
}

// --- The passes of clean_html_page ---------------------------------------------------

// What the page says about itself, read once: its tags and JSON-LD, flattened, with
// the article's own JSON-LD node (NewsArticle and kin) when there is one.
struct PageMetadata {
  Metadata tags;
  std::vector<const json*> nodes;  // Into tags.json_ld: a PageMetadata is not copied.
  const json* article_ld = nullptr;

  PageMetadata() = default;
  PageMetadata(const PageMetadata&) = delete;
  PageMetadata& operator=(const PageMetadata&) = delete;

  // The first of `keys` with a value in <meta>; `which` names it.
  std::string value(std::initializer_list<const char*> keys, std::string* which = nullptr) const {
    for (const char* key : keys) {
      if (const auto it = tags.meta.find(key); it != tags.meta.end() && !trim(it->second).empty()) {
        if (which) *which = key;
        return std::string(trim(it->second));
      }
    }
    return {};
  }
};

void read_metadata(const GumboNode* root, PageMetadata& meta) {
  collect_metadata(root, meta.tags);
  for (const json& block : meta.tags.json_ld) flatten_json_ld(block, meta.nodes);
  for (const json* node : meta.nodes) {
    if (const auto type = node->find("@type"); type != node->end() && is_article_type(*type)) {
      meta.article_ld = node;
      break;
    }
  }
}

// A page's own URL is a web address: "javascript:", "data:" and other schemes are not
// (nor a place to link to), so such a value is no URL; relative ones are kept as given.
bool web_address(std::string_view url) {
  const std::size_t colon = url.find(':');
  const std::size_t slash = url.find_first_of("/?#");
  if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon)) return true;
  const std::string scheme = lower(trim(url.substr(0, colon)));
  return scheme == "http" || scheme == "https";
}

// The canonical URL: <link rel=canonical>, og:url, JSON-LD url.
void read_url(const PageMetadata& meta, CleanedPage& page) {
  const std::string og_url = meta.value({"og:url"});
  const std::string ld_url = meta.article_ld ? json_string(*meta.article_ld, "url") : std::string();
  if (!meta.tags.canonical.empty() && web_address(meta.tags.canonical)) {
    page.url = meta.tags.canonical;
    page.provenance.emplace_back("url", "<link rel=\"canonical\">");
  } else if (!og_url.empty() && web_address(og_url)) {
    page.url = og_url;
    page.provenance.emplace_back("url", "og:url");
  } else if (!ld_url.empty() && web_address(ld_url)) {
    page.url = ld_url;
    page.provenance.emplace_back("url", "JSON-LD url");
  }
}

// The outlet: JSON-LD publisher, og:site_name, application-name (a footer or the URL's
// host come later, from the text).
void read_outlet(const PageMetadata& meta, CleanedPage& page) {
  std::string which;
  if (meta.article_ld && meta.article_ld->contains("publisher") && !json_name((*meta.article_ld)["publisher"], meta.nodes).empty()) {
    page.outlet = json_name((*meta.article_ld)["publisher"], meta.nodes);
    page.provenance.emplace_back("outlet", "JSON-LD publisher.name");
  } else if (std::string site = meta.value({"og:site_name", "application-name"}, &which); !site.empty()) {
    page.outlet = site;
    page.provenance.emplace_back("outlet", which == "og:site_name" ? "og:site_name" : "<meta name=\"application-name\">");
  }

}

// The title: JSON-LD's headline, unless the page's <title> shows its name instead (an
// encyclopedia's "headline" is a description of the subject).
void read_title(const PageMetadata& meta, CleanedPage& page) {
  std::string which;
  const std::string title_tag = lower(meta.tags.title_tag);
  const std::string ld_headline = meta.article_ld ? json_string(*meta.article_ld, "headline") : std::string();
  const std::string ld_name = meta.article_ld ? json_string(*meta.article_ld, "name") : std::string();
  const bool name_shown = !ld_name.empty() && title_tag.starts_with(lower(ld_name)) &&
                          (ld_headline.empty() || title_tag.find(lower(ld_headline)) == std::string::npos);
  if (name_shown) {
    page.title = ld_name;
    page.provenance.emplace_back("title", "JSON-LD name (shown in <title>)");
  } else if (!ld_headline.empty()) {
    page.title = ld_headline;
    page.provenance.emplace_back("title", "JSON-LD headline");
  } else if (std::string meta_title = meta.value({"dc.title", "dcterms.title", "og:title", "twitter:title",
                                                  "parsely-title"}, &which);
             !meta_title.empty()) {
    page.title = meta_title;  // As the publisher wrote it for sharing, site name and all.
    page.provenance.emplace_back("title", which);
  } else if (!meta.tags.title_tag.empty()) {
    page.title = strip_site_suffix(meta.tags.title_tag, page.outlet);
    page.provenance.emplace_back("title", "<title>");
  } else if (!meta.tags.first_h1.empty()) {
    page.title = meta.tags.first_h1;
    page.provenance.emplace_back("title", "first <h1>");
  }

}

// The authors: JSON-LD author, then <meta> keys, then a visible by-line.
void read_authors(const PageMetadata& meta, const GumboNode* root, CleanedPage& page) {
  if (meta.article_ld && meta.article_ld->contains("author")) {
    const json& author = (*meta.article_ld)["author"];
    if (author.is_array()) {
      for (const json& one : author) {
        if (std::string name = json_name(one, meta.nodes); !name.empty()) page.authors.push_back(name);
      }
    } else if (std::string name = json_name(author, meta.nodes); !name.empty()) {
      page.authors.push_back(name);
    }
    if (!page.authors.empty()) page.provenance.emplace_back("authors", "JSON-LD author");
  }
  // Then the first of these <meta> keys that names someone (Dublin Core is a
  // deliberate declaration; article:author is often a profile URL, which names nobody;
  // NYT's byl reads "By A and B").
  for (const std::string_view key : {"dc.creator", "dcterms.creator", "author", "article:author", "parsely-author",
                                     "sailthru.author", "byl"}) {
    if (!page.authors.empty()) break;
    for (const auto& [meta_key, content] : meta.tags.meta_authors) {
      if (meta_key != key) continue;
      for (std::string& name : names_from_byline(content)) {
        if (std::find(page.authors.begin(), page.authors.end(), name) == page.authors.end()) {
          page.authors.push_back(std::move(name));
        }
      }
    }
    if (!page.authors.empty()) page.provenance.emplace_back("authors", "<meta " + std::string(key) + ">");
  }
  if (page.authors.empty()) {
    if (const auto byline = find_byline(root)) {
      page.authors = byline->names;
      page.provenance.emplace_back("authors", "by-line " + byline->where + " \"" + byline->text + "\"");
    }
  }

}

// The declared language: JSON-LD inLanguage, else <html lang>.
void read_language(const PageMetadata& meta, CleanedPage& page) {
  if (meta.article_ld && meta.article_ld->contains("inLanguage")) {
    const json& language = (*meta.article_ld)["inLanguage"];
    std::string tag = language.is_string() ? language.get<std::string>() : json_string(language, "alternateName");
    page.lang = language_code(tag);
    if (!page.lang.empty()) page.provenance.emplace_back("lang", "JSON-LD inLanguage \"" + tag + "\"");
  }
  if (page.lang.empty() && !meta.tags.html_lang.empty()) {
    page.lang = language_code(meta.tags.html_lang);
    if (!page.lang.empty()) page.provenance.emplace_back("lang", "<html lang=\"" + meta.tags.html_lang + "\">");
  }
  // og:locale is left out: sites set it once for the whole site, often wrongly for an
  // article; detection from the text (at indexing) does better.

}

// The article's paragraphs and how they were found: content scoring, read again with
// fewer rules when it keeps little text, or JSON-LD articleBody when the markup gives
// much less; the title's repeat at the top goes.
MainText read_main_text(const GumboNode* body, const PageMetadata& meta, const CleanedPage& page) {
  MainText main = main_text(body, Rules{});
  // Little text: the names misled the first pass; read again without them.
  constexpr std::size_t kEnoughText = 500;  // Characters (Readability.js's threshold).
  for (const Rules relaxed : {Rules{false, true}, Rules{false, false}}) {
    if (main.characters >= kEnoughText) break;
    MainText again = main_text(body, relaxed);
    if (again.characters > main.characters) {
      main = std::move(again);
      main.how += relaxed.comment_names ? " (class and id names ignored: the first pass kept little text)"
                                        : " (class, id and comment names ignored: the first passes kept little text)";
    }
  }
  // The publisher's own text of the article, when the markup gives much less.
  if (meta.article_ld) {
    const std::string ld_body = json_string(*meta.article_ld, "articleBody");
    if (ld_body.size() >= 200 && ld_body.size() > 2 * main.characters) {
      std::vector<std::string> ld_paragraphs;
      std::string_view rest = ld_body;
      while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = trim(rest.substr(0, end));
        if (!line.empty()) ld_paragraphs.emplace_back(line);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      }
      main = MainText{std::move(ld_paragraphs),
                      "JSON-LD articleBody (the markup gave " + std::to_string(main.characters) + " characters)",
                      ld_body.size()};
    }
  }
  // The title often opens the text too: it goes, and so does the shown headline (<h1>)
  // when the title holds it or it holds the title ("Headline" and "Headline | Site").
  // A headline that says something else stays, or its words could not be found.
  const std::string title_lower = lower(page.title), h1_lower = lower(meta.tags.first_h1);
  const bool h1_is_title = !h1_lower.empty() && !title_lower.empty() &&
                           (title_lower.find(h1_lower) != std::string::npos || h1_lower.find(title_lower) != std::string::npos);
  for (std::size_t i = 0; i < main.paragraphs.size() && i < 3; ++i) {
    const std::string paragraph_lower = lower(main.paragraphs[i]);
    if (paragraph_lower == title_lower || (h1_is_title && paragraph_lower == h1_lower)) {
      main.paragraphs.erase(main.paragraphs.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  return main;
}

// The date (indexer/clean/publication_date.h), once the language (whose month names
// and order dates are written in) and the text (whose top line may be a date line)
// are known.
void read_date(const PageMetadata& meta, const GumboNode* body, std::vector<std::string>& paragraphs,
               CleanedPage& page) {
  DateEvidence dates(page.lang);
  add_metadata_dates(meta.tags, meta.nodes, meta.article_ld, dates);
  DatedElements dated_elements(dates, page.title);
  dated_elements.walk(body);
  for (const std::string& url : {page.url, meta.article_ld ? json_string(*meta.article_ld, "url") : std::string()}) {
    dates.add_url(url, trust::kUrl, "the page's URL");
  }
  take_date_line(paragraphs, dated_elements.left_out(), dates);
  set_page_date(page, dates);

}

// The text rules shared with scraped text (placeholders, banners, syndication footers,
// which may name the outlet), then the body.
void apply_line_rules(std::vector<std::string>& paragraphs, std::string how, CleanedPage& page) {
  std::vector<std::string> kept;
  std::vector<std::string> removed;
  for (std::string& paragraph : paragraphs) {
    if (is_placeholder_line(paragraph)) {
      removed.push_back("placeholder \"" + paragraph + "\"");
    } else if (is_banner_line(paragraph)) {
      removed.push_back("banner \"" + paragraph + "\"");
    } else if (auto outlet = outlet_from_footer(paragraph)) {
      removed.push_back("footer \"" + paragraph + "\"");
      if (page.outlet.empty() && !outlet->empty()) {
        page.outlet = *outlet;
        page.provenance.emplace_back("outlet", "footer \"" + paragraph + "\"");
      }
    } else {
      kept.push_back(std::move(paragraph));
    }
  }
  page.body = join_paragraphs(kept);
  if (!removed.empty()) {
    how += "; removed: ";
    for (std::size_t i = 0; i < removed.size(); ++i) how += (i ? "; " : "") + removed[i];
  }
  page.provenance.emplace_back("body", how);

}

// Reader comments, from the page's comment sections, apart from the body.
void read_comments(const GumboNode* body, CleanedPage& page) {
  std::vector<const GumboNode*> sections;
  find_comment_sections(body, sections);
  std::set<std::string> seen;
  std::vector<std::string> comments;
  for (const GumboNode* section : sections) {
    for (std::string& paragraph : paragraphs_of(section, /*skip_comments=*/false)) {
      if (is_comment_heading(paragraph) || is_comment_furniture(paragraph) || is_reply_header(paragraph)) continue;
      if (const auto date = core::find_date(paragraph); date && paragraph.size() <= 60) continue;
      if (seen.insert(paragraph).second) comments.push_back(std::move(paragraph));
    }
  }
  page.comments = join_paragraphs(comments);
  if (!sections.empty()) {
    page.provenance.emplace_back("comments", std::to_string(sections.size()) + " comment section(s): " +
                                                 std::to_string(comments.size()) + " paragraphs");
  }

}

}  // namespace

CleanedPage clean_html_page(std::string_view html) {
  CleanedPage page;
  // Parse errors are not recorded: a real page has thousands, each an allocation.
  // Scripts and styles (two fifths of a modern page's bytes) are emptied before
  // parsing, JSON-LD excepted: Gumbo would read them character by character for nothing.
  Arena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  options.allocator = &Arena::allocate;
  options.deallocator = &Arena::release;
  options.userdata = &arena;
  const std::string lean = without_script_text(html);
  GumboOutput* output = gumbo_parse_with_options(&options, lean.data(), lean.size());
  if (const std::size_t cut = cut_below_max_depth(output->document)) {
    page.provenance.emplace_back("structure", "elements nested over " + std::to_string(kMaxDepth) +
                                                  " deep: what lies below that depth is left out (" +
                                                  std::to_string(cut) + " elements)");
  }
  const GumboNode* root = output->root;

  // 1. Metadata, in order of trust.
  PageMetadata meta;
  read_metadata(root, meta);
  read_url(meta, page);
  read_outlet(meta, page);
  read_title(meta, page);
  read_authors(meta, root, page);
  read_language(meta, page);
  // og:locale is left out: sites set it once for the whole site, often wrongly for an
  // article; detection from the text (at indexing) does better.

  // 2. Main text, its date, and the line rules.
  const GumboNode* body = find_tag(root, GUMBO_TAG_BODY);
  if (!body) body = root;
  MainText main = read_main_text(body, meta, page);
  read_date(meta, body, main.paragraphs, page);
  apply_line_rules(main.paragraphs, std::move(main.how), page);

  // 3. Comments; and the outlet from the URL when nothing named it.
  read_comments(body, page);
  if (page.outlet.empty() && !page.url.empty()) {
    page.outlet = outlet_from_url(page.url);
    if (!page.outlet.empty()) page.provenance.emplace_back("outlet", "host of the page URL " + host_of(page.url));
  }
  return page;
}

}  // namespace gazette::indexer::clean
