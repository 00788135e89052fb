// Helpers for end-to-end tests that run the real gazette binary (GAZETTE_BINARY) on
// the shipped and shared corpora (GAZETTE_SHARED_DIR): shell commands with their
// output, quoting, and the shared corpora unpacked.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace gazette::testing {

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs a shell command line, capturing stdout and stderr.
inline CommandResult shell(const std::string& command) {
  static int counter = 0;
  const auto err_file = std::filesystem::temp_directory_path() /
                        ("gazette-e2e-err-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  CommandResult run;
  FILE* pipe = popen((command + " 2>" + quote(err_file.string())).c_str(), "r");
  if (!pipe) return run;
  std::array<char, 65536> buffer;
  std::size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), read);
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  run.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  std::filesystem::remove(err_file);
  return run;
}

inline CommandResult run_gazette(const std::string& arguments) { return shell(quote(GAZETTE_BINARY) + " " + arguments); }

inline std::string shared(const std::string& relative) { return std::string(GAZETTE_SHARED_DIR) + "/" + relative; }

// Decompresses a shared corpus into `dir`; fails the test when the corpus is missing.
inline std::string unpack(const TempDir& dir, const std::string& relative, const std::string& name) {
  const std::string source = shared(relative);
  if (!std::filesystem::exists(source)) {
    ADD_FAILURE() << "shared corpus missing: " << source << " (set -DGAZETTE_SHARED_DIR)";
    return {};
  }
  const std::string target = dir / name;
  const CommandResult run = shell("zstd -dcq " + quote(source) + " > " + quote(target));
  EXPECT_EQ(run.status, 0) << run.err;
  return target;
}

inline std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> records;
  std::ifstream input(path);
  for (std::string line; std::getline(input, line);) {
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

}  // namespace gazette::testing
