#include "cli/scope.h"

#include <filesystem>

#include "cli/commands.h"
#include "core/analysis.h"
#include "gazette/analytics.h"

namespace gazette::cli {
namespace {

UnixSeconds period_bound(const std::string& option, const std::string& text, bool start) {
  const auto period = parse_period(text);
  if (!period) throw UsageError(option + ": cannot parse '" + text + "' (use YYYY, YYYY-MM or YYYY-MM-DD)");
  return start ? period->first : period->second;
}

}  // namespace

void add_scope_options(CLI::App* command, ScopeOptions& options, bool query) {
  command->add_option("--index,-i", options.index, "Index directory")->required();
  if (query) {
    command->add_option("query", options.words, "Query (docs/query-syntax.md); empty: every article in scope");
    command->add_option("--query-lang", options.query_lang,
                        "Language for stemming the query (default: the --lang filter when one is given, else en); "
                        "single words also match their stems in every language of the index");
    command->add_flag("--any", options.any, "Match articles with any of the words (default: all)");
  }
  command->add_option("--outlet", options.outlets, "Only this outlet (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--tag", options.tags, "Only this tag (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--lang", options.langs, "Only this language (repeatable; any of them)")->allow_extra_args(false);
  command->add_option("--from", options.from, "Published on or after (YYYY, YYYY-MM, YYYY-MM-DD)");
  command->add_option("--to", options.to, "Published on or before (inclusive)");
  command->add_option("--collection", options.collections,
                      "Only the outlets of this collection (repeatable; docs/analytics.md)")
      ->allow_extra_args(false);
  command->add_option("--collections", options.collections_file,
                      "Outlet collections file (default: INDEX/collections.txt)");
}

std::string collections_path(const ScopeOptions& options) {
  return !options.collections_file.empty() ? options.collections_file
                                           : (std::filesystem::path(options.index) / "collections.txt").string();
}

SearchRequest scope_request(const ScopeOptions& options) {
  SearchRequest request;
  for (const std::string& word : options.words) request.query += (request.query.empty() ? "" : " ") + word;
  request.filters.outlets = options.outlets;
  request.filters.tags = options.tags;
  request.filters.langs = options.langs;
  if (!options.collections.empty()) {
    const auto collections = read_collections(collections_path(options));
    for (const std::string& name : options.collections) {
      const auto found = collections.find(name);
      if (found == collections.end()) {
        std::string known;
        for (const auto& [known_name, outlets] : collections) known += (known.empty() ? "" : ", ") + known_name;
        throw UsageError("--collection: no collection '" + name + "' in " + collections_path(options) +
                         " (it has: " + (known.empty() ? "none" : known) + ")");
      }
      if (found->second.empty()) throw UsageError("--collection: '" + name + "' names no outlets");
      request.filters.outlets.insert(request.filters.outlets.end(), found->second.begin(), found->second.end());
    }
  }
  if (!options.from.empty()) request.filters.from = period_bound("--from", options.from, true);
  if (!options.to.empty()) request.filters.to = period_bound("--to", options.to, false);
  request.default_operator = options.any ? DefaultOperator::kAny : DefaultOperator::kAll;
  request.lang = !options.query_lang.empty() ? options.query_lang
                 : options.langs.size() == 1   ? options.langs.front()
                                               : std::string("en");
  return request;
}

}  // namespace gazette::cli
