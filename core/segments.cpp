// Reading and atomically replacing the segment manifest (XAPIANDB), and opening the live
// segments as one Xapian database.
#include "core/segments.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/schema.h"
#include "core/xapian_error.h"
#include "gazette/errors.h"

namespace gazette::core {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader = "# Gazette index: live segments, oldest first. Written by the index writer.";
constexpr std::string_view kPendingBefore = "#gazette pending-before ";
constexpr std::string_view kPendingId = "#gazette pending-delete ";

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw IndexError(path + ": cannot open to sync");
  const int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) throw IndexError(path + ": fsync failed");
}

}  // namespace

IndexError no_index_error(const std::string& index) {
  return IndexError("no index at " + index + " (create one with 'gazette index')");
}

bool has_manifest(const std::string& index) {
  std::error_code ignored;
  return fs::is_regular_file(fs::path(index) / kManifestFile, ignored);
}

bool is_single_database(const std::string& index) {
  std::error_code ignored;
  return fs::exists(fs::path(index) / "iamglass", ignored);
}

Manifest read_manifest(const std::string& index) {
  const std::string file = (fs::path(index) / kManifestFile).string();
  std::ifstream in(file);
  if (!in) throw no_index_error(index);
  Manifest manifest;
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty()) continue;
    if (line.starts_with(kPendingBefore)) {
      manifest.pending_before = line.substr(kPendingBefore.size());
    } else if (line.starts_with(kPendingId)) {
      try {
        manifest.pending_ids.push_back(nlohmann::json::parse(line.substr(kPendingId.size())).get<std::string>());
      } catch (const nlohmann::json::exception&) {
        throw IndexError(file + ":" + std::to_string(number) + ": malformed pending deletion");
      }
    } else if (line[0] == '#') {
      continue;
    } else if (line.starts_with("glass ")) {
      const std::string name = line.substr(6);
      if (segment_number(name) == 0) {
        throw IndexError(file + ":" + std::to_string(number) + ": not a segment name: " + name);
      }
      manifest.segments.push_back(name);
    } else {
      throw IndexError(file + ":" + std::to_string(number) + ": unexpected line: " + line);
    }
  }
  return manifest;
}

void write_manifest(const std::string& index, const Manifest& manifest) {
  const fs::path directory(index);
  const std::string target = (directory / kManifestFile).string();
  const std::string temporary = target + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << kHeader << "\n";
    for (const std::string& segment : manifest.segments) out << "glass " << segment << "\n";
    if (!manifest.pending_ids.empty()) {
      out << kPendingBefore << manifest.pending_before << "\n";
      for (const std::string& id : manifest.pending_ids) out << kPendingId << nlohmann::json(id).dump() << "\n";
    }
    out.flush();
    if (!out) throw IndexError(temporary + ": cannot write the segment list");
  }
  sync_path(temporary, O_RDONLY);
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    throw IndexError(target + ": cannot replace the segment list");
  }
  sync_path(index, O_RDONLY | O_DIRECTORY);
}

std::string segment_path(const std::string& index, const std::string& segment) {
  return (fs::path(index) / segment).string();
}

std::string segment_name(std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "seg-%06llu", static_cast<unsigned long long>(number));
  return name;
}

std::uint64_t segment_number(const std::string& name) {
  if (!name.starts_with("seg-") || name.size() < 5) return 0;
  std::uint64_t number = 0;
  for (std::size_t i = 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    number = number * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return number;
}

ManifestStamp manifest_stamp(const std::string& index) {
  struct stat info {};
  if (::stat((fs::path(index) / kManifestFile).c_str(), &info) != 0) return {};
  return ManifestStamp{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
                       static_cast<std::uint64_t>(info.st_size),
                       static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

std::vector<std::pair<std::string, std::size_t>> delete_pending(const std::string& index, const Manifest& manifest) {
  std::vector<std::pair<std::string, std::size_t>> counts;
  const auto end = manifest.pending_before.empty()
                       ? manifest.segments.end()
                       : std::find(manifest.segments.begin(), manifest.segments.end(), manifest.pending_before);
  for (auto segment = manifest.segments.begin(); segment != end; ++segment) {
    const std::string directory = segment_path(index, *segment);
    {
      const Xapian::Database reader(directory, Xapian::DB_BACKEND_GLASS);
      bool any = false;
      for (const std::string& id : manifest.pending_ids) any = any || reader.term_exists(schema::id_term(id));
      if (!any) continue;
    }
    Xapian::WritableDatabase writable(directory, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    for (const std::string& id : manifest.pending_ids) {
      if (writable.term_exists(schema::id_term(id))) writable.delete_document(schema::id_term(id));
    }
    writable.commit();
    counts.emplace_back(*segment, writable.get_doccount());
  }
  return counts;
}

namespace {

// A reader's part in a replacing commit left half done (see open_index): true when the
// pending deletions were finished here (read the list again), false when the lock is
// held by a writer (wait for it), or cannot be taken or the deletions cannot be written
// (`unlockable`: open what is there).
bool finish_pending_if_unlocked(const std::string& index, bool& unlockable) {
  const int fd = ::open((fs::path(index) / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    unlockable = true;  // Read-only: nobody can finish them; open what is there.
    return false;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    unlockable = errno != EWOULDBLOCK;
    ::close(fd);
    return false;
  }
  bool finished = true;
  try {
    Manifest manifest = read_manifest(index);  // Under the lock: nobody changes it now.
    if (!manifest.pending_ids.empty()) {
      delete_pending(index, manifest);
      manifest.pending_ids.clear();
      manifest.pending_before.clear();
      write_manifest(index, manifest);
    }
  } catch (const Xapian::Error&) {
    // The deletions could not be written (a full disk, a segment the reader may not
    // write): a search that shows a replaced article twice is better than none. The
    // next writer finishes them, or reports why it cannot.
    unlockable = true;
    finished = false;
  } catch (const IndexError&) {
    unlockable = true;
    finished = false;
  }
  ::close(fd);
  return finished;
}

}  // namespace

OpenedIndex open_index(const std::string& index, Pending pending, std::chrono::milliseconds pending_wait) {
  if (!has_manifest(index)) {
    // The layout before segments: one Xapian database in the directory.
    try {
      OpenedIndex opened{Xapian::Database(index), {}, {}};
      opened.segments.push_back(opened.all);
      return opened;
    } catch (const Xapian::DatabaseNotFoundError&) {
      throw no_index_error(index);
    } catch (const Xapian::Error& error) {
      throw IndexError(index + ": " + core::xapian_message(error));
    }
  }
  constexpr int kAttempts = 20;
  const auto deadline = std::chrono::steady_clock::now() + pending_wait;
  bool unlockable = false;
  for (int attempt = 1;; ++attempt) {
    Manifest manifest = read_manifest(index);
    while (pending == Pending::kFinishPending && !manifest.pending_ids.empty() && !unlockable &&
           std::chrono::steady_clock::now() < deadline) {
      if (!finish_pending_if_unlocked(index, unlockable) && !unlockable) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // A writer is finishing them.
      }
      manifest = read_manifest(index);
    }
    try {
      OpenedIndex opened;
      for (const std::string& segment : manifest.segments) {
        opened.segments.emplace_back(segment_path(index, segment), Xapian::DB_BACKEND_GLASS);
        opened.all.add_database(opened.segments.back());
      }
      opened.names = manifest.segments;
      if (manifest.segments.empty()) {
        throw IndexError(index + ": its segment list " + kManifestFile + " names no segment (truncated or damaged?)");
      }
      return opened;
    } catch (const Xapian::DatabaseOpeningError& error) {
      // A segment merged away between reading the list and opening it: read it again.
      if (attempt == kAttempts) throw IndexError(index + ": " + core::xapian_message(error));
      ::usleep(10'000);
    } catch (const Xapian::Error& error) {
      throw IndexError(index + ": " + core::xapian_message(error));
    }
  }
}

}  // namespace gazette::core
