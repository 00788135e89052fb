// Stopwords: function words that say little about what a text is about ("the", "of",
// "which"). Gazette indexes every word (phrases need them) and can leave them out of
// the ranked part of a query; docs/ranking.md says when that helps.
#pragma once

#include <cstddef>
#include <string_view>

namespace gazette::core {

// The stopword list for the language `lang` (an ISO code or a stemmer name: "en",
// "english", and the English stemmer variants "porter" and "lovins"); empty when
// Gazette has none for that language (only English so far).
class StopwordList {
 public:
  explicit StopwordList(std::string_view lang);
  bool contains(std::string_view normalised_word) const;
  bool empty() const { return words_ == nullptr; }

 private:
  const std::string_view* words_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace gazette::core
