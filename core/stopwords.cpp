#include "core/stopwords.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/analysis.h"

namespace gazette::core {
namespace {

// English function words: articles, pronouns and determiners, auxiliary and modal
// verbs, prepositions, conjunctions, question words. Content words that are merely
// frequent ("said", "new", "year") are not stopwords: in news they carry meaning.
constexpr std::array<std::string_view, 119> kEnglish = [] {
  std::array<std::string_view, 119> words{
      "a",      "about",   "above",  "after",   "again",  "against", "all",    "am",      "an",
      "and",    "any",     "are",    "as",      "at",     "be",      "because", "been",   "before",
      "being",  "below",   "between", "both",   "but",    "by",      "can",    "could",   "did",
      "do",     "does",    "doing",  "down",    "during", "each",    "few",    "for",     "from",
      "further", "had",    "has",    "have",    "having", "he",      "her",    "here",    "hers",
      "herself", "him",    "himself", "his",    "how",    "i",       "if",     "in",      "into",
      "is",     "it",      "its",    "itself",  "me",     "more",    "most",   "my",      "myself",
      "no",     "nor",     "not",    "of",      "off",    "on",      "once",   "only",    "or",
      "other",  "our",     "ours",   "out",     "over",   "own",     "same",   "she",     "should",
      "so",     "some",    "such",   "than",    "that",   "the",     "their",  "theirs",  "them",
      "then",   "there",   "these",  "they",    "this",   "those",   "through", "to",     "too",
      "under",  "until",   "up",     "very",    "was",    "we",      "were",   "what",    "when",
      "where",  "which",   "while",  "who",     "whom",   "why",     "will",   "with",    "would",
      "you",    "your",
  };
  std::sort(words.begin(), words.end());
  return words;
}();

}  // namespace

StopwordList::StopwordList(std::string_view lang) {
  const std::string language = stemmer_language(lang);
  if (language == "english" || language == "porter" || language == "lovins") {
    words_ = kEnglish.data();
    size_ = kEnglish.size();
  }
}

bool StopwordList::contains(std::string_view normalised_word) const {
  return words_ != nullptr && std::binary_search(words_, words_ + size_, normalised_word);
}

}  // namespace gazette::core
