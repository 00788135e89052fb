// `gazette search`: one request to the library, printed as readable text or as the
// JSON document described in docs/cli.md.
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/scope.h"
#include "cli/terminal.h"
#include "present/json.h"
#include "gazette/search.h"

namespace gazette::cli {
namespace {

// The article's day on its publisher's clock; "undated" when none was found, and the
// weak sources named, since they say less than the page's own markup.
std::string shown_date(const Article& article) {
  if (!article.date) return "undated";
  std::string day = format_day(publisher_clock(article));
  if (article.date_source == "file-time") day += " (file time)";
  if (article.date_source == "comments") day += " (from comments)";
  return day;
}

struct SearchOptions {
  ScopeOptions scope;
  std::string like_id;  // gazette similar
  double half_life_days = 30;
  std::string sort = "relevance";
  std::string date_facet = "month";
  std::size_t offset = 0;
  std::size_t limit = 10;
  std::size_t facet_size = 10;
  bool include_comments = false;
  bool no_suggest = false;
  std::string collapse = "none";
  bool json_output = false;
  bool body = false;
  std::string fields;  // --fields: stored fields hits carry in --json beyond the default ones.
  RankingOptions ranking;
};

SearchRequest make_request(const SearchOptions& options, bool terminal) {
  SearchRequest request = scope_request(options.scope);
  request.like_id = options.like_id;
  request.recency_half_life_days = options.half_life_days;
  request.sort = present::sort_from_name(options.sort).value_or(SortOrder::kRelevance);
  request.include_comments = options.include_comments;
  if (options.no_suggest) request.suggest_below = 0;
  request.collapse_stories = options.collapse == "story";
  request.offset = options.offset;
  request.limit = options.limit;
  request.outlet_facet_size = options.facet_size;
  request.date_facet = options.date_facet != "none";
  request.date_granularity = present::granularity_from_name(options.date_facet).value_or(DateGranularity::kMonth);
  const present::HitFields fields = present::HitFields::parse(options.fields);
  request.include_body = options.body || fields.body || fields.comments;  // Comments are stored after the body.
  options.ranking.apply_to(request);
  if (!options.json_output) {
    request.highlight_open = terminal ? kBold : "";
    request.highlight_close = terminal ? kReset : "";
  }
  return request;
}

void print_text(const SearchRequest& request, const SearchResponse& response, bool terminal) {
  const char* bold = terminal ? kBold : "";
  const char* dim = terminal ? kDim : "";
  const char* reset = terminal ? kReset : "";
  std::printf("%zu %s", response.total, response.total == 1 ? "match" : "matches");
  if (!request.query.empty()) std::printf(" for %s", request.query.c_str());
  if (!request.like_id.empty()) std::printf(" like %s", request.like_id.c_str());
  if (!response.hits.empty()) {
    std::printf(" (showing %zu-%zu)", response.hits.front().rank, response.hits.back().rank);
  }
  std::printf("\n");
  if (const std::string notes = present::notes_message(response.notes); !notes.empty()) {
    std::printf("%s%s%s\n", dim, (std::string(1, static_cast<char>(std::toupper(notes[0]))) + notes.substr(1)).c_str(), reset);
  }
  if (!response.suggestion.empty()) {
    std::printf("Did you mean: %s%s%s? (%zu %s)\n", bold, response.suggestion.c_str(), reset,
                response.suggestion_total, response.suggestion_total == 1 ? "match" : "matches");
  }
  for (const Hit& hit : response.hits) {
    const Article& article = hit.article;
    std::printf("\n%3zu. %s%s%s\n", hit.rank, bold, article.title.empty() ? "(untitled)" : article.title.c_str(), reset);
    std::string meta = article.outlet.empty() ? "(no outlet)" : article.outlet;
    meta += " · " + shown_date(article);
    if (hit.score > 0) {
      char score[32];
      std::snprintf(score, sizeof score, " · score %.2f", hit.score);
      meta += score;
    }
    meta += " · " + article.id;
    std::printf("     %s%s%s\n", dim, meta.c_str(), reset);
    if (!article.url.empty()) std::printf("     %s\n", article.url.c_str());
    if (!hit.snippet.empty()) std::printf("     %s\n", hit.snippet.c_str());
    if (!hit.also_in.empty() || hit.other_copies > 0) {
      std::string also;
      for (const std::string& outlet : hit.also_in) also += (also.empty() ? "" : ", ") + outlet;
      std::printf("     %salso in: %s (%zu other %s)%s\n", dim, also.empty() ? "the same outlet" : also.c_str(),
                  hit.other_copies, hit.other_copies == 1 ? "copy" : "copies", reset);
    }
    if (request.include_body && !article.body.empty()) std::printf("\n%s\n", article.body.c_str());
  }
  if (!response.outlet_facet.empty()) {
    std::printf("\n%sOutlets%s\n", bold, reset);
    for (const FacetValue& value : response.outlet_facet) std::printf("  %7zu  %s\n", value.count, value.value.c_str());
  }
  if (!response.date_facet.empty() || response.undated > 0) {
    std::printf("\n%sDates%s\n", bold, reset);
    std::size_t largest = 1;
    for (const FacetValue& value : response.date_facet) largest = std::max(largest, value.count);
    for (const FacetValue& value : response.date_facet) {
      const std::size_t bar = (value.count * 40 + largest - 1) / largest;
      std::string bars;
      for (std::size_t i = 0; i < bar; ++i) bars += terminal ? "█" : "#";
      std::printf("  %-10s %7zu %s\n", value.value.c_str(), value.count, bars.c_str());
    }
    if (response.undated > 0) std::printf("  %-10s %7zu\n", "undated", response.undated);
  }
}

int run_search(const SearchOptions& options) {
  const bool terminal = stdout_is_terminal();
  const SearchRequest request = make_request(options, terminal);
  const Searcher searcher(options.scope.indexes);
  const SearchResponse response = searcher.search(request);
  if (options.json_output) {
    present::HitFields fields = present::HitFields::parse(options.fields);
    fields.body = fields.body || options.body;
    std::cout << present::search_json(request, response, fields).dump(2) << "\n";
  } else {
    print_text(request, response, terminal);
  }
  return kExitOk;
}

}  // namespace

// Options shared by search and similar: order, paging, facets, output.
void add_result_options(CLI::App* command, SearchOptions& options) {
  command->add_option("--sort", options.sort, "Order of hits")
      ->check(CLI::IsMember({"relevance", "date", "date-asc", "hybrid"}))
      ->capture_default_str();
  command->add_option("--half-life", options.half_life_days,
                      "--sort hybrid: days after which recency halves a score (counted from the newest article)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--offset", options.offset, "Hits to skip")->capture_default_str();
  command->add_option("--limit,-n", options.limit, "Hits to show")->capture_default_str();
  command->add_option("--facet-size", options.facet_size, "Outlets in the outlet facet (0: none)")
      ->capture_default_str();
  command->add_option("--date-facet", options.date_facet, "Date histogram buckets")
      ->check(CLI::IsMember({"day", "month", "year", "none"}))
      ->capture_default_str();
  command->add_option("--collapse", options.collapse,
                      "story: one hit per story, near-duplicate copies folded in (\"also in\")")
      ->check(CLI::IsMember({"none", "story"}))
      ->capture_default_str();
  command->add_flag("--json", options.json_output, "JSON output (docs/cli.md)");
  command->add_flag("--body", options.body, "Include each hit's full body");
  command->add_option("--fields", options.fields,
                      "With --json: stored fields each hit also carries, comma-separated (body, comments, provenance)")
      ->check([](const std::string& value) {
        try {
          present::HitFields::parse(value);
          return std::string();
        } catch (const std::invalid_argument& error) {
          return std::string(error.what());
        }
      });
}

void add_ranking_options(CLI::App* command, RankingOptions& options) {
  const std::string group = "Ranking (docs/ranking.md)";
  command->add_option("--stopwords", options.stopwords,
                      "Function words left out of ranked words: auto (the query language's list), none, or a "
                      "language code")
      ->group(group)
      ->capture_default_str();
  command->add_option("--proximity", options.proximity,
                      "Extra weight for successive query words found close together (0: off)")
      ->group(group)
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  command->add_option("--proximity-window", options.proximity_window,
                      "How close, in word positions, counts as together")
      ->group(group)
      ->check(CLI::Range(2u, 1000u))
      ->capture_default_str();
  command->add_option("--k1", options.k1, "BM25 term-frequency saturation")
      ->group(group)
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  command->add_option("--b", options.b, "BM25 length normalisation, 0 to 1")
      ->group(group)
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
}

void add_search_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* command = app.add_subcommand("search", "Search an index (query syntax: docs/query-syntax.md)");
  add_scope_options(command, options->scope, true);
  add_result_options(command, *options);
  command->add_flag("--no-suggest", options->no_suggest,
                    "No \"did you mean\" suggestion when a query finds fewer than 3 articles");
  command->add_flag("--include-comments", options->include_comments,
                    "Words also match reader comments cut from scraped pages (comments: always does)");
  add_ranking_options(command, options->ranking);
  command->callback([options, &exit_code] { exit_code = run_search(*options); });
}

void add_similar_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* command =
      app.add_subcommand("similar", "Articles like a given one (its most telling words; its own copies left out)");
  command->add_option("id", options->like_id, "Id of the article")->required();
  add_scope_options(command, options->scope, false);
  add_result_options(command, *options);
  command->callback([options, &exit_code] { exit_code = run_search(*options); });
}

}  // namespace gazette::cli
