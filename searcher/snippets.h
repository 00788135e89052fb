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

// `stemmer` must be the one the query was analysed with, so stems compare equal.
// `matched`, when given, says whether the snippet holds a highlighted word.
std::string make_snippet(core::Tokenizer& tokenizer, const core::Stemmer& stemmer,
                         std::string_view body, const HighlightTerms& highlight,
                         const SnippetOptions& options, bool* matched = nullptr);

}  // namespace gazette::searcher
