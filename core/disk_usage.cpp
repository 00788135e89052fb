// Index size on disk.
#include "core/disk_usage.h"

#include <filesystem>

namespace gazette::core {

std::uint64_t directory_bytes(const std::string& directory) {
  namespace fs = std::filesystem;
  // A merge may delete a segment while this walks (a server answering stats while it
  // writes): an entry gone under the walk ends it, and the walk starts over, a few times.
  std::uint64_t total = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    total = 0;
    std::error_code error;
    fs::recursive_directory_iterator it(directory, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      std::error_code entry_error;
      if (it->is_regular_file(entry_error)) {
        const std::uintmax_t size = it->file_size(entry_error);
        if (!entry_error) total += size;
      }
    }
    if (!error) break;
  }
  return total;
}

}  // namespace gazette::core
