// The "query" stage: Gazette's query syntax (docs/query-syntax.md) parsed by recursive
// descent into a Xapian::Query, with words analysed exactly as at index time.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"
#include "core/stopwords.h"
#include "gazette/search.h"
#include "searcher/positional.h"

namespace gazette::searcher {

// What the snippet builder should highlight: the stems of query words, and the
// prefixes of wildcard words.
struct HighlightTerms {
  std::set<std::string> stems;
  std::vector<std::string> wildcard_prefixes;
  bool empty() const { return stems.empty() && wildcard_prefixes.empty(); }
};

// Every document. Built anew for each use, never copied from Xapian::Query::MatchAll:
// Xapian 1.4 counts a query's references without atomics, so threads copying that one
// shared static race on its count and free it under each other (the server crashed so,
// under 16 clients).
inline Xapian::Query match_all() { return Xapian::Query(std::string()); }

struct ParsedQuery {
  Xapian::Query query = match_all();
  bool scores = false;  // False when nothing in it ranks (empty, or filters only).
  HighlightTerms highlight;
  // Words searched in the reader comments: under comments:, and every bare word with
  // include_comments.
  HighlightTerms comment_highlight;
  // The query's bare words in order (not negated, not in phrases or fields, stopwords
  // left out), as position-bearing terms: what the proximity boost pairs up.
  std::vector<Positional> bare_words;
  // Words and phrases that hold nothing the index has terms for (emoji, punctuation, a
  // word over core::kMaxTermBytes), as written: left out of the query.
  std::vector<std::string> ignored;
  // The text asked for something, but every part of it was left out: `query` then
  // matches nothing (an empty text lists everything).
  bool nothing_searchable = false;
};

// Parentheses nested deeper than this are a syntax error (each level is recursion).
inline constexpr std::size_t kMaxGroupDepth = 100;

class QueryParser {
 public:
  // `include_comments`: unfielded words also match the comment threads cut from pages.
  QueryParser(std::string_view lang, DefaultOperator default_operator,
              bool include_comments = false);
  // Languages of the articles searched (ISO codes). A single query word then also
  // matches its stem in each of those languages (as one synonym term for BM25), so a
  // query finds articles whatever their language's stemmer made of the word; phrases
  // use the query language only.
  void set_index_languages(const std::vector<std::string>& langs);
  // Bare words on this list are left out when the query has other words.
  void set_stopwords(core::StopwordList stopwords) { stopwords_ = stopwords; }

  // Bounds the terms a query may search (SearchRequest::max_query_terms; 0: no bound),
  // wildcard expansions counted in `database`. Parsing throws QueryLimitError beyond it.
  void set_term_budget(const Xapian::Database* database, std::size_t max_terms) {
    database_ = database;
    max_terms_ = max_terms;
  }

  // Throws QuerySyntaxError with the 1-based character position of the problem.
  ParsedQuery parse(std::string_view text);

  // `text` as plain words, no syntax: every word searched (combined by the default
  // operator), as test collections and "more like this" queries need.
  ParsedQuery parse_words(std::string_view text);

 private:
  struct Impl;
  core::Tokenizer tokenizer_;
  core::Stemmer stemmer_;
  std::vector<core::Stemmer> other_stemmers_;  // Index languages stemmed differently.
  core::StopwordList stopwords_{""};
  DefaultOperator default_operator_;
  bool include_comments_;
  const Xapian::Database* database_ = nullptr;
  std::size_t max_terms_ = 0;
};

}  // namespace gazette::searcher
