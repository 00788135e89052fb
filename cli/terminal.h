// Terminal concerns of the CLI: whether output is a terminal, bold text, and the
// indexing progress line (shown only on a terminal, silent when piped).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace gazette::cli {

bool stdout_is_terminal();
bool stderr_is_terminal();

inline constexpr const char* kBold = "\033[1m";
inline constexpr const char* kDim = "\033[2m";
inline constexpr const char* kReset = "\033[0m";

// Progress of a long job on stderr: articles/s, MB/s, and percentage with ETA when the
// total input size is known. Redraws at most a few times a second.
class Progress {
 public:
  Progress(bool enabled, std::optional<std::uint64_t> total_bytes);
  void update(std::uint64_t articles, std::uint64_t bytes);
  void finish();  // Clears the line.

 private:
  void draw(std::uint64_t articles, std::uint64_t bytes);

  bool enabled_;
  std::optional<std::uint64_t> total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

// "1.5 MiB" style sizes and "2m05s" style durations for humans.
std::string human_bytes(std::uint64_t bytes);
std::string human_duration(double seconds);

}  // namespace gazette::cli
