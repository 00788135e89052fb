// The "query" stage: Gazette's query syntax (docs/query-syntax.md) parsed by recursive
// descent into a Xapian::Query, with words analysed exactly as at index time.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"
#include "gazette/search.h"

namespace gazette::searcher {

// What the snippet builder should highlight: the stems of query words, and the
// prefixes of wildcard words.
struct HighlightTerms {
  std::set<std::string> stems;
  std::vector<std::string> wildcard_prefixes;
  bool empty() const { return stems.empty() && wildcard_prefixes.empty(); }
};

struct ParsedQuery {
  Xapian::Query query = Xapian::Query::MatchAll;
  bool scores = false;  // False when nothing in it ranks (empty, or filters only).
  HighlightTerms highlight;
};

class QueryParser {
 public:
  // `include_comments`: unfielded words also match the comment threads cut from pages.
  QueryParser(std::string_view lang, DefaultOperator default_operator,
              bool include_comments = false);
  // Throws QuerySyntaxError with the 1-based character position of the problem.
  ParsedQuery parse(std::string_view text);

 private:
  struct Impl;
  core::Tokenizer tokenizer_;
  core::Stemmer stemmer_;
  DefaultOperator default_operator_;
  bool include_comments_;
};

}  // namespace gazette::searcher
