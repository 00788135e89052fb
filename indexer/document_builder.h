// Turns an article into a Xapian document following core/schema.h: the "analyse"
// stage of indexing. One builder per thread (it owns an ICU tokenizer).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"
#include "core/positions.h"
#include "core/schema.h"
#include "gazette/article.h"
#include "indexer/dedup.h"

namespace gazette::indexer {

class DocumentBuilder {
 public:
  // `title_weight`: how many times a title word counts in the default field.
  // `fingerprints`: add the keys duplicate detection looks up (indexer/dedup.h); an
  // index that never detects duplicates (--keep-duplicates) does without them.
  explicit DocumentBuilder(unsigned title_weight = core::schema::kTitleWeight, bool fingerprints = true)
      : title_weight_(title_weight), fingerprints_(fingerprints) {}
  Xapian::Document build(const Article& article);

  // The words of the last article built (title and body, normalised, unstemmed) with
  // their counts: the index's spelling dictionary, for "did you mean".
  std::vector<std::pair<std::string, unsigned>> take_spelling_words();

 private:
  // A language's stemmer with a cache of its stems: word frequencies are Zipfian, so
  // most words were stemmed before and Snowball need not run again.
  class CachingStemmer {
   public:
    explicit CachingStemmer(const std::string& lang) : stemmer_(lang) {}
    const std::string& operator()(std::string_view word);

   private:
    static constexpr std::size_t kMaxEntries = 200'000;
    core::Stemmer stemmer_;
    std::unordered_map<std::string, std::string> stems_;
  };

  // Indexes `text` under `prefix` from position `start`; returns the next free position.
  // Feeds the words to `print` (as title or body words) when given.
  Xapian::termpos index_text(Xapian::Document& document, std::string_view text,
                             std::string_view prefix, CachingStemmer& stemmer,
                             Xapian::termpos start, Xapian::termcount weight,
                             FingerprintBuilder* print = nullptr, bool body = false);

  CachingStemmer& stemmer_for(const std::string& lang);

  unsigned title_weight_;
  bool fingerprints_;
  std::unordered_map<std::string, unsigned> spelling_words_;
  core::Tokenizer tokenizer_;
  core::positions::Encoder positions_;
  std::map<std::string, CachingStemmer, std::less<>> stemmers_;  // By article language.
};

}  // namespace gazette::indexer
