// What a command searches: the index, the query words and the filters, as options
// shared by search, similar, timeline, outlets and export; turned into the
// SearchRequest fields they set.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "gazette/search.h"

namespace gazette::cli {

struct ScopeOptions {
  std::vector<std::string> indexes;  // Searched as one.
  std::vector<std::string> words;  // The query.
  std::vector<std::string> outlets, tags, langs;
  std::string from, to;
  std::string undated;  // include, exclude, only.
  std::vector<std::string> collections;  // --collection names: their outlets join --outlet.
  std::string collections_file;          // Empty: INDEX/collections.txt.
  std::string query_lang;                // Empty: the one --lang filter value, else English.
  bool any = false;
  std::size_t max_query_terms = SearchRequest{}.max_query_terms;
};

// --index, filters and --collection; with `query`, also the query words, --query-lang
// and --any.
void add_scope_options(CLI::App* command, ScopeOptions& options, bool query);

// The request's query, filters, language and default operator. Throws UsageError for a
// bad date or an unknown collection.
SearchRequest scope_request(const ScopeOptions& options);

// Says on stderr what the query left out ("gazette: nothing searchable in the query,
// ..."), when it left out anything: for answers that have no place for it (CSV, text
// tables, exports).
void warn_query_notes(const QueryNotes& notes);

// The collections file a command reads (--collections, else INDEX/collections.txt of
// the first index).
std::string collections_path(const ScopeOptions& options);

}  // namespace gazette::cli
