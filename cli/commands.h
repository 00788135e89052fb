// The gazette subcommands. Each registers its options on the CLI11 app and, when
// chosen, runs and stores its exit status: 0 success, 1 data or index problem, 2 usage.
#pragma once

#include <CLI/CLI.hpp>

namespace gazette::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitData = 1;
inline constexpr int kExitUsage = 2;

void add_index_command(CLI::App& app, int& exit_code);
void add_search_command(CLI::App& app, int& exit_code);
void add_similar_command(CLI::App& app, int& exit_code);
void add_delete_command(CLI::App& app, int& exit_code);
void add_stats_command(CLI::App& app, int& exit_code);
void add_show_command(CLI::App& app, int& exit_code);
void add_compact_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);

// Thrown by a command for a bad option value; main prints it and exits with kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gazette::cli
