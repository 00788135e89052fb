// Size of an index on disk: the one place that measures it, for stats and compaction.
#pragma once

#include <cstdint>
#include <string>

namespace gazette::core {

// Total bytes of the regular files inside `directory` and its subdirectories (the
// segments), 0 if unreadable.
std::uint64_t directory_bytes(const std::string& directory);

}  // namespace gazette::core
