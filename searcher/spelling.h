// "Did you mean": a query's words that find nothing, respelt as the closest words of the
// index's own vocabulary (its spelling table holds the title and body words as written,
// normalised, never stems).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"

namespace gazette::searcher {

// A word of the vocabulary offered for a query word, and how far it is from it.
struct Correction {
  std::string word;
  double cost = 0;             // Weighted edits (spelling_cost); lower is closer.
  Xapian::doccount frequency;  // Occurrences in the index.
};

// The weighted edit distance between two normalised words, at most `limit` (larger
// distances come back as something over `limit`): Damerau-Levenshtein, where edits
// that typists and spellers make most cost less than a full edit: a letter for one
// that sounds alike ("opek" → "opec", "realise" → "realize"), a vowel for a vowel
// ("seperate"), a doubled letter written once or a single one doubled ("adress").
double spelling_cost(std::u32string_view from, std::u32string_view to, double limit);

// The vocabulary's words within one edit of `word` (code points: each deletion,
// transposition, substitution and insertion over the word's letters and a-z), closest
// first, the most frequent first among equally close ones. Looked up in the spelling
// table, not scanned: a few hundred look-ups for a ten-letter word.
std::vector<Correction> nearby_words(const Xapian::Database& database, const std::string& word);

// Where the words of a query are looked for: a word that matches there is not respelt.
struct SpellingScope {
  const core::Stemmer& stemmer;           // The query language's.
  bool include_comments = false;          // Unfielded words also search the comments.
};

// The query with each plain word that matches no article (in the fields it searches)
// replaced by its best correction: within one edit (nearby_words), else Xapian's own
// suggestion within two. A word found in one or two articles is taken for a typo only
// of a word one edit away found in a hundred times as many ("teh" → "the"). A
// correction with the word's own stem ("jihadists" for "jihadist") is none. Operators,
// wildcards, numbers, names (author:, outlet:, tag:) and words under three letters are
// left alone. Empty when nothing changes.
std::string respell(const Xapian::Database& database, const std::string& query, const SpellingScope& scope);

}  // namespace gazette::searcher
