// Terminal detection and the progress line.
#include "cli/terminal.h"

#include <unistd.h>

#include <cstdio>

namespace gazette::cli {

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(bool enabled, std::optional<std::uint64_t> total_bytes)
    : enabled_(enabled),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(std::uint64_t articles, std::uint64_t bytes) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  draw(articles, bytes);
}

void Progress::draw(std::uint64_t articles, std::uint64_t bytes) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? articles / elapsed : 0;
  const double megabytes_per_second = elapsed > 0 ? bytes / elapsed / 1e6 : 0;
  std::string line;
  char buffer[160];
  if (total_bytes_ && *total_bytes_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(bytes) / *total_bytes_);
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth);
    line = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    const double eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
    std::snprintf(buffer, sizeof buffer, "%3.0f%%  %llu articles  %.0f articles/s  %.1f MB/s  ETA %s",
                  fraction * 100, static_cast<unsigned long long>(articles), rate,
                  megabytes_per_second, human_duration(eta).c_str());
  } else {
    std::snprintf(buffer, sizeof buffer, "%llu articles  %.0f articles/s  %.1f MB/s",
                  static_cast<unsigned long long>(articles), rate, megabytes_per_second);
  }
  line += buffer;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buffer;
}

std::string human_duration(double seconds) {
  char buffer[32];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%dh%02dm", static_cast<int>(seconds) / 3600,
                  static_cast<int>(seconds) / 60 % 60);
  }
  return buffer;
}

}  // namespace gazette::cli
