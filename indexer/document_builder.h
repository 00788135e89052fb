// Turns an article into a Xapian document following core/schema.h: the "analyse"
// stage of indexing. One builder per thread (it owns an ICU tokenizer).
#pragma once

#include <map>
#include <string>

#include <xapian.h>

#include "core/analysis.h"
#include "gazette/article.h"

namespace gazette::indexer {

class DocumentBuilder {
 public:
  Xapian::Document build(const Article& article);

 private:
  // Indexes `text` under `prefix` from position `start`; returns the next free position.
  Xapian::termpos index_text(Xapian::Document& document, std::string_view text,
                             std::string_view prefix, const core::Stemmer& stemmer,
                             Xapian::termpos start, Xapian::termcount weight);

  const core::Stemmer& stemmer_for(const std::string& lang);

  core::Tokenizer tokenizer_;
  std::map<std::string, core::Stemmer, std::less<>> stemmers_;  // By article language.
};

}  // namespace gazette::indexer
