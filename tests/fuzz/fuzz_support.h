// Shared by the fuzz targets: the input as a string, a scratch file for the parsers
// that read a path, and the rule every target enforces — a parser of outside input may
// reject it only with the library's own documented errors (gazette::Error and its
// kinds, each naming the file, line or position); anything else escaping it (a
// std::out_of_range, a JSON library exception, a crash, a hang) is a bug the fuzzer
// reports.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "gazette/errors.h"

namespace gazette::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file holding `data`, for the readers that take a path; one per process, rewritten
// for each input, under /dev/shm when it exists (no disk writes per execution).
inline const std::string& scratch_file(std::string_view data, const char* extension = "") {
  static const std::string path = [&] {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/gazette-fuzz-" + std::to_string(getpid()) + extension;
  }();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return path;
}

// Runs `parse`, letting only the library's own errors through as expected rejections.
template <typename F>
void expect_only_library_errors(F&& parse) {
  try {
    parse();
  } catch (const gazette::Error&) {
    // A documented rejection: a bad record, a syntax error, an unreadable file.
  }
}

}  // namespace gazette::fuzz
