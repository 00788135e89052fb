// Snippet selection: a sliding window over the body's tokens, scored by the number of
// distinct query words it holds (then by total matches), so a snippet shows the
// words the user asked for side by side where possible.
#include "searcher/snippets.h"

#include <algorithm>
#include <map>

namespace gazette::searcher {
namespace {

// Appends `text` with runs of whitespace collapsed to one space.
void append_collapsed(std::string& out, std::string_view text) {
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

// Index of a matched word (its term, for distinctness), or -1.
int match_id(const core::Token& token, const core::Stemmer& stemmer,
             const HighlightTerms& highlight, std::map<std::string, int>& ids) {
  std::string key;
  if (!highlight.stems.empty()) {
    std::string stem = stemmer(token.term);
    if (highlight.stems.count(stem)) key = std::move(stem);
  }
  if (key.empty()) {
    for (const std::string& prefix : highlight.wildcard_prefixes) {
      if (token.term.starts_with(prefix) || stemmer(token.term).starts_with(prefix)) {
        key = "*" + prefix;
        break;
      }
    }
  }
  if (key.empty()) return -1;
  return ids.emplace(key, static_cast<int>(ids.size())).first->second;
}

}  // namespace

std::string make_snippet(core::Tokenizer& tokenizer, const core::Stemmer& stemmer,
                         std::string_view body, const HighlightTerms& highlight,
                         const SnippetOptions& options, bool* matched) {
  if (matched) *matched = false;
  if (body.empty() || options.length == 0) return {};
  const std::vector<core::Token> tokens = tokenizer.tokens(body);
  if (tokens.empty()) return {};

  std::map<std::string, int> ids;
  std::vector<int> matches(tokens.size(), -1);
  if (!highlight.empty()) {
    for (std::size_t i = 0; i < tokens.size(); ++i) matches[i] = match_id(tokens[i], stemmer, highlight, ids);
  }

  // Best window [first, last] of tokens spanning at most options.length bytes.
  std::size_t best_first = 0, best_last = 0;
  std::size_t best_distinct = 0, best_total = 0;
  std::vector<int> in_window(ids.size(), 0);
  std::size_t distinct = 0, total = 0, first = 0;
  for (std::size_t last = 0; last < tokens.size(); ++last) {
    if (matches[last] >= 0) {
      total++;
      if (in_window[matches[last]]++ == 0) distinct++;
    }
    while (tokens[last].end - tokens[first].begin > options.length && first < last) {
      if (matches[first] >= 0) {
        total--;
        if (--in_window[matches[first]] == 0) distinct--;
      }
      ++first;
    }
    if (distinct > best_distinct || (distinct == best_distinct && total > best_total) ||
        (last == 0)) {
      best_distinct = distinct, best_total = total, best_first = first, best_last = last;
    }
  }
  if (matched) *matched = best_distinct > 0;
  // Lead in with a few words of context before the first match, then use the rest of
  // the length budget on the right.
  if (best_distinct > 0) {
    std::size_t first_match = best_first;
    while (matches[first_match] < 0) ++first_match;
    best_first = first_match;
    constexpr std::size_t kLeadWords = 8;
    while (best_first > 0 && first_match - best_first < kLeadWords &&
           tokens[best_last].end - tokens[best_first - 1].begin <= options.length) {
      --best_first;
    }
  }
  while (best_last + 1 < tokens.size() &&
         tokens[best_last + 1].end - tokens[best_first].begin <= options.length) {
    ++best_last;
  }
  // The text ends before the budget does: spend the rest on the words before, so a
  // short body is shown whole rather than cut at its start.
  while (best_last + 1 == tokens.size() && best_first > 0 &&
         tokens[best_last].end - tokens[best_first - 1].begin <= options.length) {
    --best_first;
  }

  std::string out;
  if (best_first > 0) out = "… ";
  std::size_t cursor = tokens[best_first].begin;
  for (std::size_t i = best_first; i <= best_last; ++i) {
    append_collapsed(out, body.substr(cursor, tokens[i].begin - cursor));
    const std::string_view word = body.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    if (matches[i] >= 0) {
      out += options.open;
      out += word;
      out += options.close;
    } else {
      out += word;
    }
    cursor = tokens[i].end;
  }
  // Keep closing punctuation right after the last word ("end.").
  if (cursor < body.size() && std::string_view(".!?,;:)\"'").find(body[cursor]) != std::string_view::npos) {
    out.push_back(body[cursor]);
  }
  if (best_last + 1 < tokens.size()) out += " …";
  return out;
}

}  // namespace gazette::searcher
