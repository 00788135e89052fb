// The "present" stage's text part: picks the stretch of a body with the most distinct
// query words and wraps each match in highlight markers.
#pragma once

#include <string>
#include <string_view>

#include "core/analysis.h"
#include "searcher/query_parser.h"

namespace gazette::searcher {

struct SnippetOptions {
  std::size_t length = 200;  // Target length in bytes of source text.
  std::string open = "<mark>";
  std::string close = "</mark>";
};

// Whether `text` holds a word `highlight` marks.
bool mentions(core::Tokenizer& tokenizer, const core::Stemmer& stemmer, std::string_view text,
              const HighlightTerms& highlight);

// `stemmer` must be the one the query was analysed with, so stems compare equal.
std::string make_snippet(core::Tokenizer& tokenizer, const core::Stemmer& stemmer,
                         std::string_view body, const HighlightTerms& highlight,
                         const SnippetOptions& options);

}  // namespace gazette::searcher
