// "Did you mean" (searcher/spelling.h): weighted edits, candidates within one edit from
// the spelling table, the query respelt word by word.
#include "searcher/spelling.h"

#include <algorithm>
#include <optional>

#include <unicode/unistr.h>

#include "core/schema.h"

namespace gazette::searcher {
namespace {

namespace schema = core::schema;

std::u32string decode(std::string_view utf8) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::u32string out;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) out.push_back(static_cast<char32_t>(text.char32At(i)));
  return out;
}

std::string encode(std::u32string_view text) {
  icu::UnicodeString out;
  for (const char32_t c : text) out.append(static_cast<UChar32>(c));
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

bool is_vowel(char32_t c) { return c == U'a' || c == U'e' || c == U'i' || c == U'o' || c == U'u' || c == U'y'; }

// Letters that stand for the same sound in some spelling: c/k/q, c/s, s/z, i/y, g/j,
// the voiced and voiceless pairs d/t and b/p, f/v, v/w.
bool sounds_alike(char32_t a, char32_t b) {
  static constexpr std::u32string_view kPairs[] = {U"ck", U"cq", U"kq", U"cs", U"sz", U"iy", U"gj",
                                                   U"dt", U"bp", U"fv", U"vw"};
  for (const std::u32string_view pair : kPairs) {
    if ((a == pair[0] && b == pair[1]) || (a == pair[1] && b == pair[0])) return true;
  }
  return false;
}

double substitution_cost(char32_t a, char32_t b) {
  if (a == b) return 0;
  if (sounds_alike(a, b)) return 0.5;
  if (is_vowel(a) && is_vowel(b)) return 0.75;
  return 1;
}

}  // namespace

double spelling_cost(std::u32string_view from, std::u32string_view to, double limit) {
  const std::size_t n = from.size(), m = to.size();
  const double over = limit + 1;
  if ((n > m ? n - m : m - n) > static_cast<std::size_t>(limit) * 2 + 1) return over;
  // Optimal string alignment: rows i of `from`, columns j of `to`.
  std::vector<std::vector<double>> d(n + 1, std::vector<double>(m + 1, 0));
  // A letter left out or added next to the same letter (a double written once, or a
  // single one doubled) costs half.
  const auto deletion = [&](std::size_t i) { return i >= 2 && from[i - 1] == from[i - 2] ? 0.5 : 1.0; };
  const auto insertion = [&](std::size_t j) { return j >= 2 && to[j - 1] == to[j - 2] ? 0.5 : 1.0; };
  for (std::size_t i = 1; i <= n; ++i) d[i][0] = d[i - 1][0] + deletion(i);
  for (std::size_t j = 1; j <= m; ++j) d[0][j] = d[0][j - 1] + insertion(j);
  for (std::size_t i = 1; i <= n; ++i) {
    double row_best = over;
    for (std::size_t j = 1; j <= m; ++j) {
      double best = std::min({d[i - 1][j] + deletion(i), d[i][j - 1] + insertion(j),
                              d[i - 1][j - 1] + substitution_cost(from[i - 1], to[j - 1])});
      if (i >= 2 && j >= 2 && from[i - 1] == to[j - 2] && from[i - 2] == to[j - 1] && from[i - 1] != from[i - 2]) {
        best = std::min(best, d[i - 2][j - 2] + 1);  // Two letters swapped.
      }
      d[i][j] = best;
      row_best = std::min(row_best, best);
    }
    if (row_best > limit) return over;  // No alignment can come back under the limit.
  }
  return d[n][m];
}

std::vector<Correction> nearby_words(const Xapian::Database& database, const std::string& word) {
  const std::u32string letters = decode(word);
  std::u32string alphabet = U"abcdefghijklmnopqrstuvwxyz";
  for (const char32_t c : letters) {
    if (alphabet.find(c) == std::u32string::npos) alphabet.push_back(c);
  }
  std::vector<std::string> candidates;
  const auto add = [&](const std::u32string& edited) {
    if (!edited.empty() && edited != letters) candidates.push_back(encode(edited));
  };
  for (std::size_t i = 0; i <= letters.size(); ++i) {
    for (const char32_t c : alphabet) {
      std::u32string inserted = letters;
      inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(i), c);
      add(inserted);
    }
    if (i == letters.size()) break;
    std::u32string deleted = letters;
    deleted.erase(i, 1);
    add(deleted);
    for (const char32_t c : alphabet) {
      std::u32string substituted = letters;
      substituted[i] = c;
      add(substituted);
    }
    if (i + 1 < letters.size()) {
      std::u32string swapped = letters;
      std::swap(swapped[i], swapped[i + 1]);
      add(swapped);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // The spelling table's iterator moves forward only: look the sorted candidates up in order.
  std::vector<Correction> found;
  Xapian::TermIterator known = database.spellings_begin();
  for (const std::string& candidate : candidates) {
    known.skip_to(candidate);
    if (known == database.spellings_end()) break;
    if (*known != candidate) continue;
    found.push_back({candidate, spelling_cost(letters, decode(candidate), 2), known.get_termfreq()});
  }
  std::sort(found.begin(), found.end(), [](const Correction& a, const Correction& b) {
    if (a.cost != b.cost) return a.cost < b.cost;
    if (a.frequency != b.frequency) return a.frequency > b.frequency;
    return a.word < b.word;
  });
  return found;
}

namespace {

// The prefix of the terms a word under `field` ("" when bare) is searched in; nullopt
// for fields of names and values, which are not respelt.
std::optional<std::string_view> field_prefix(std::string_view field) {
  if (field.empty()) return std::string_view();
  if (field == "title") return schema::kTitle;
  if (field == "comments") return schema::kComments;
  return std::nullopt;
}

// How many articles the (normalised) word matches in the fields it searches: as its
// stem, or as itself (languages without a stemmer index the word); the most of those.
Xapian::doccount articles_matching(const Xapian::Database& database, const std::string& term, std::string_view prefix,
                                   const SpellingScope& scope) {
  std::vector<std::string_view> prefixes{prefix};
  if (prefix.empty() && scope.include_comments) prefixes.push_back(schema::kComments);
  Xapian::doccount most = 0;
  for (const std::string_view where : prefixes) {
    for (const std::string& form : {scope.stemmer(term), term}) {
      most = std::max(most, database.get_termfreq(std::string(where) + form));
    }
  }
  return most;
}

// A word found in this few articles is taken for a typo of a word one edit away that
// is in kCommonerBy times as many ("teh" in 1 article, "the" in thousands); a word
// found more often is the user's word, however rare.
constexpr Xapian::doccount kRareArticles = 2;
constexpr Xapian::doccount kCommonerBy = 100;

// The best correction of a normalised word found in `found` articles, or "".
std::string correction(const Xapian::Database& database, const std::string& term, std::string_view prefix,
                       Xapian::doccount found, const SpellingScope& scope) {
  const std::string stem = scope.stemmer(term);
  for (const Correction& nearby : nearby_words(database, term)) {
    if (scope.stemmer(nearby.word) == stem) continue;
    if (found == 0 || articles_matching(database, nearby.word, prefix, scope) >= found * kCommonerBy) return nearby.word;
  }
  if (found > 0) return {};
  const std::string suggestion = database.get_spelling_suggestion(term, 2);
  if (!suggestion.empty() && suggestion != term && scope.stemmer(suggestion) != stem) return suggestion;
  return {};
}

}  // namespace

std::string respell(const Xapian::Database& database, const std::string& query, const SpellingScope& scope) {
  std::string out;
  bool changed = false;
  std::size_t i = 0;
  while (i < query.size()) {
    const std::size_t start = i;
    while (i < query.size() && query[i] != ' ') ++i;
    std::string token = query.substr(start, i - start);
    // The word inside decoration: +word, -word, (word), "word, word", field:word.
    const std::size_t colon = token.find(':');
    std::size_t core_begin = colon == std::string::npos ? 0 : colon + 1;
    const std::string_view field = colon == std::string::npos ? std::string_view() : std::string_view(token).substr(0, colon);
    while (core_begin < token.size() && std::string_view("+-(\"").find(token[core_begin]) != std::string_view::npos) ++core_begin;
    std::size_t core_end = token.size();
    while (core_end > core_begin && std::string_view(")\",.;!?").find(token[core_end - 1]) != std::string_view::npos) --core_end;
    const std::string word = token.substr(core_begin, core_end - core_begin);
    const bool operator_word = word == "AND" || word == "OR" || word == "NOT" || word.starts_with("NEAR");
    const std::optional<std::string_view> prefix = field_prefix(field);
    if (prefix && !word.empty() && !operator_word && word.find_first_of("0123456789*") == std::string::npos) {
      const std::string term = core::normalize_word(word);
      const Xapian::doccount found =
          decode(term).size() >= 3 && term.find_first_of(" -") == std::string::npos
              ? articles_matching(database, term, *prefix, scope)
              : kRareArticles + 1;
      if (found <= kRareArticles) {
        if (const std::string better = correction(database, term, *prefix, found, scope); !better.empty()) {
          token = token.substr(0, core_begin) + better + token.substr(core_end);
          changed = true;
        }
      }
    }
    out += token;
    while (i < query.size() && query[i] == ' ') out += query[i++];
  }
  return changed ? out : std::string();
}

}  // namespace gazette::searcher
