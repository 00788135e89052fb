#include "cli/scope.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "present/json.h"
#include "present/scope.h"

namespace gazette::cli {

void add_scope_options(CLI::App* command, ScopeOptions& options, bool query) {
  command->add_option("--index,-i", options.indexes,
                      "Index directory; repeat it to search several as one (collections come from the first)")
      ->required()
      ->allow_extra_args(false);
  if (query) {
    command->add_option("query", options.words, "Query (docs/query-syntax.md); empty: every article in scope");
    command->add_option("--query-lang", options.query_lang,
                        "Language for stemming the query (default: the --lang filter when one is given, else en); "
                        "single words also match their stems in every language of the index");
    command->add_flag("--any", options.any, "Match articles with any of the words (default: all)");
    command->add_option("--max-query-terms", options.max_query_terms,
                        "Refuse a query that searches more terms than this, its wildcards' expansions "
                        "counted (0: no limit; docs/query-syntax.md)")
        ->capture_default_str();
  }
  command->add_option("--outlet", options.outlets, "Only this outlet (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--tag", options.tags, "Only this tag (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--lang", options.langs, "Only this language (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--from", options.from, "Published on or after (YYYY, YYYY-MM, YYYY-MM-DD)");
  command->add_option("--to", options.to, "Published on or before (inclusive)");
  command->add_option("--undated", options.undated,
                      "Articles with no date found: include (default), exclude, or only them");
  command->add_option("--collection", options.collections,
                      "Only the outlets of this collection (repeatable; docs/analytics.md)")
      ->allow_extra_args(false);
  command->add_option("--collections", options.collections_file,
                      "Outlet collections file (default: INDEX/collections.txt)");
}

std::string collections_path(const ScopeOptions& options) {
  return !options.collections_file.empty() ? options.collections_file
                                           : (std::filesystem::path(options.indexes.front()) / "collections.txt").string();
}

SearchRequest scope_request(const ScopeOptions& options) {
  present::ScopeText scope;
  for (const std::string& word : options.words) scope.query += (scope.query.empty() ? "" : " ") + word;
  scope.outlets = options.outlets;
  scope.tags = options.tags;
  scope.langs = options.langs;
  scope.from = options.from;
  scope.to = options.to;
  scope.undated = options.undated;
  scope.collections = options.collections;
  scope.collections_file = collections_path(options);
  scope.query_lang = options.query_lang;
  scope.any = options.any;
  try {
    SearchRequest request = present::scope_request(scope);
    request.max_query_terms = options.max_query_terms;
    return request;
  } catch (const present::ScopeError& error) {
    throw UsageError("--" + error.field() + ": " + error.what());
  }
}

void warn_query_notes(const QueryNotes& notes) {
  const std::string message = present::notes_message(notes);
  if (!message.empty()) std::fprintf(stderr, "gazette: %s\n", message.c_str());
}

}  // namespace gazette::cli
