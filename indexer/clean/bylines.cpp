#include "indexer/clean/bylines.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/date_text.h"
#include "core/strings.h"
#include "indexer/clean/outlets.h"

namespace gazette::indexer::clean {
namespace {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim_punctuation(std::string_view text) {
  const auto junk = [](char c) { return c == ' ' || c == ',' || c == ';' || c == ':' || c == '.' || c == '-' || c == '|'; };
  while (!text.empty() && junk(text.front())) text.remove_prefix(1);
  while (!text.empty() && junk(text.back()) && !(text.size() >= 2 && text.back() == '.' &&
                                                 std::isupper(static_cast<unsigned char>(text[text.size() - 2])))) {
    text.remove_suffix(1);
  }
  return text;
}

bool could_be_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 60) return false;
  if (name.find("://") != std::string_view::npos || name.find('@') != std::string_view::npos) return false;
  if (std::any_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return false;
  }
  const std::size_t words = static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ')) + 1;
  if (words > 6) return false;
  const unsigned char first = static_cast<unsigned char>(name.front());
  // One Latin word is a degree after a comma ("MA"), a role ("Staff", "Admin") or the
  // rest of a note ("Last Updated"), not a person's name.
  if (words == 1 && first < 0x80) return false;
  // Latin-script names start with a capital; other scripts have none to check.
  if (first < 0x80 && !std::isupper(first)) return false;
  return known_outlet(name).empty();
}

}  // namespace

std::vector<std::string> names_from_byline(std::string_view raw) {
  std::string text = core::fold_space(raw);
  const std::string low = lower_ascii(text);
  // The prefix that announces the names.
  // An author page's link reads "More from Jane Roe", "View all posts by Jane Roe".
  static constexpr std::array<std::string_view, 21> kPrefixes = {
      "view all posts by ", "all posts by ", "more stories by ", "more articles by ", "more from ", "more by ",
      "more ", "written by ", "posted by ", "reported by ", "words by ", "story by ", "by ", "par ", "von ",
      "por ", "door ", "di ", "av ", "af ", "texte: "};
  for (const std::string_view prefix : kPrefixes) {
    if (low.starts_with(prefix)) {
      text.erase(0, prefix.size());
      break;
    }
  }
  // Initials or a nickname in parentheses inside a name ("Richard (R.J.) Eskow") are
  // part of it; any other parenthesis ends the names ("Jane Roe (Reuters)").
  const auto name_goes_on_after = [&](std::size_t open) {
    const std::size_t close = text.find(')', open);
    if (close == std::string::npos || close - open > 12) return false;
    if (text.find(' ', open) < close) return false;
    return close + 2 < text.size() && text[close + 1] == ' ' && std::isupper(static_cast<unsigned char>(text[close + 2]));
  };
  std::size_t paren = text.find('(');
  while (paren != std::string::npos && name_goes_on_after(paren)) paren = text.find('(', paren + 1);
  std::string_view names = text;
  if (paren != std::string::npos) names = names.substr(0, paren);
  // Whatever follows the names: a bar, a dash, a parenthesis, a date, an update note.
  for (const std::string_view stop : {std::string_view("|"), std::string_view(" - "), std::string_view(" \xE2\x80\x93 "),
                                      std::string_view(" \xE2\x80\x94 "),
                                      std::string_view(" Updated"), std::string_view(" Published"),
                                      std::string_view(" Posted"), std::string_view(" on "),
                                      std::string_view(" Edited by"), std::string_view(" Photographs by"),
                                      std::string_view(" Photos by"), std::string_view(" Follow")}) {
    if (const auto at = names.find(stop); at != std::string_view::npos) names = names.substr(0, at);
  }
  if (const auto date = core::find_date(names)) names = names.substr(0, date->begin);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= names.size()) {
    std::size_t end = names.size(), step = 0;
    for (const std::string_view separator : {std::string_view(" and "), std::string_view(", "), std::string_view(" & "),
                                             std::string_view(" / "), std::string_view("; "), std::string_view(" et "),
                                             std::string_view(" und "), std::string_view(" y "), std::string_view(" e "),
                                             std::string_view(" en "), std::string_view(" og ")}) {
      const auto at = names.find(separator, start);
      if (at != std::string_view::npos && at < end) end = at, step = separator.size();
    }
    const std::string_view name = trim_punctuation(names.substr(start, end - start));
    if (could_be_name(name) && std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    if (step == 0) break;
    start = end + step;
  }
  return out;
}

}  // namespace gazette::indexer::clean
