// The gazette subcommands. Each registers its options on the CLI11 app and, when
// chosen, runs and stores its exit status: 0 success, 1 data or index problem, 2 usage.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "gazette/search.h"

namespace gazette::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitData = 1;
inline constexpr int kExitUsage = 2;

void add_index_command(CLI::App& app, int& exit_code);
void add_extract_command(CLI::App& app, int& exit_code);
void add_search_command(CLI::App& app, int& exit_code);
void add_similar_command(CLI::App& app, int& exit_code);
void add_delete_command(CLI::App& app, int& exit_code);
void add_stats_command(CLI::App& app, int& exit_code);
void add_show_command(CLI::App& app, int& exit_code);
void add_compact_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_timeline_command(CLI::App& app, int& exit_code);
void add_outlets_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

// The ranking knobs of a SearchRequest as options (search and eval share them):
// --stopwords, --proximity, --proximity-window, --k1, --b. Defaults are the library's.
struct RankingOptions {
  std::string stopwords = SearchRequest().stopwords;
  double proximity = SearchRequest().proximity_weight;
  unsigned proximity_window = SearchRequest().proximity_window;
  double k1 = SearchRequest().bm25_k1;
  double b = SearchRequest().bm25_b;
  void apply_to(SearchRequest& request) const {
    request.stopwords = stopwords;
    request.proximity_weight = proximity;
    request.proximity_window = proximity_window;
    request.bm25_k1 = k1;
    request.bm25_b = b;
  }
};
void add_ranking_options(CLI::App* command, RankingOptions& options);

// Thrown by a command for a bad option value; main prints it and exits with kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gazette::cli
