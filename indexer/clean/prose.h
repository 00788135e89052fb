// Prose or page furniture: how much a block of text reads like running prose. jusText's
// measure: the share of its words that are function words ("the", "of", "which"; "le",
// "de", "qui"; "的", "了"; "の", "は") of the text's language. Menus, link lists, share
// bars and captions are mostly names and nouns; sentences need function words.
#pragma once

#include <string>
#include <string_view>

namespace gazette::indexer::clean {

class ProseMeasure {
 public:
  // Measures blocks of a text in `language` (an ISO 639-1 code). Languages Gazette has
  // function words for: en, fr, de, es, pt, it, nl, cs, zh, ja.
  explicit ProseMeasure(std::string_view language);

  // A measure for `text`'s own language, as CLD2 detects it over the whole text (a page
  // dump's menus do not outweigh its article) or, when CLD2 is unsure, the language
  // with the most distinct function words in it (eight at least); unknown() when
  // neither finds one Gazette has function words for.
  static ProseMeasure for_text(std::string_view text);

  bool known() const { return !language_.empty(); }
  const std::string& language() const { return language_; }

  // The function-word share of `text`'s words, on one scale for every language: Czech
  // (no articles, many cases) has fewer function words in a sentence than English,
  // so its share is scaled up to read as English would. Zero for an unknown language.
  double density(std::string_view text) const;

 private:
  std::string language_;
  double scale_ = 1.0;
};

}  // namespace gazette::indexer::clean
