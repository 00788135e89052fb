// Index size on disk.
#include "core/disk_usage.h"

#include <filesystem>

namespace gazette::core {

std::uint64_t directory_bytes(const std::string& directory) {
  std::uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

}  // namespace gazette::core
