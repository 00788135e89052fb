// The index on disk: a directory of immutable-once-published Xapian databases
// ("segments") named by one small stub file, XAPIANDB, which Xapian itself reads.
// The writer (indexer/segmented_index.*) publishes a new list by writing the stub beside
// the old one and renaming it over it, so a reader always opens one consistent list.
#pragma once

#include <chrono>
#include <cstdint>
#include <utility>
#include <string>
#include <vector>

#include <xapian.h>

#include "gazette/errors.h"

namespace gazette::core {

// The live segments and the writer's unfinished work, as stored in XAPIANDB. Xapian
// reads the "glass NAME" lines and ignores the "#" lines that carry the rest.
struct Manifest {
  std::vector<std::string> segments;  // Oldest first: directory names inside the index.
  // Deletions published but not yet applied: `pending_ids` must be removed from every
  // segment listed before `pending_before` (from every segment when it is empty). A
  // commit that replaces or deletes articles records them here before it touches older
  // segments, so a crash half-way is finished by the next writer (indexer/segmented_index).
  std::vector<std::string> pending_ids;
  std::string pending_before;
};

inline constexpr const char* kManifestFile = "XAPIANDB";
// The writer's lock: held (flock, exclusive) for as long as a writer has the index open.
inline constexpr const char* kLockFile = "write.lock";

// The error for a directory that holds no index.
IndexError no_index_error(const std::string& index);

// True when `index` holds a manifest (the segmented layout).
bool has_manifest(const std::string& index);
// True when `index` is a single Xapian database (the layout before segments).
bool is_single_database(const std::string& index);

// Reads the manifest. Throws IndexError naming the file and line when it is malformed.
Manifest read_manifest(const std::string& index);
// Replaces the manifest atomically: written to a temporary file, synced, renamed over
// the old one, and the directory synced.
void write_manifest(const std::string& index, const Manifest& manifest);

// What identifies one written manifest: the writer replaces the file by renaming a new
// one over it, so a changed list has a new inode (and time and size). All zero when
// the index has no manifest (the older layout).
struct ManifestStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0;
  bool operator==(const ManifestStamp&) const = default;
};
ManifestStamp manifest_stamp(const std::string& index);

std::string segment_path(const std::string& index, const std::string& segment);
// "seg-000042" for 42; segment_number reads it back (0 when the name is not a segment's).
std::string segment_name(std::uint64_t number);
std::uint64_t segment_number(const std::string& name);

// Deletes the manifest's pending ids from every segment listed before pending_before
// (idempotent: what is already gone stays gone). Returns the article count of each
// segment it changed. The caller holds the write lock and then publishes the manifest
// without the pending deletions.
std::vector<std::pair<std::string, std::size_t>> delete_pending(const std::string& index, const Manifest& manifest);

// Opens every live segment as one database for reading (or the single database of the
// older layout). A writer that publishes a merge removes the merged segments right
// after, so a reader that read the manifest just before retries with the new one.
// Throws IndexError ("no index at ...") when there is none.
//
// A manifest with pending deletions is a replacing commit half done: its new segment is
// published, the old copies are not yet deleted, and a reader opening it would see both.
// With kFinishPending (readers) a reader never opens that state: when a writer holds the
// lock it is finishing the deletions and the reader waits for the list that follows
// (milliseconds; at most `pending_wait`, then it opens what is there); when no writer
// does (one was killed between the two steps) the reader takes the lock and finishes
// them itself, as SQLite's readers roll back a hot journal. Where the lock cannot be
// taken (a read-only index) or the deletions cannot be written (a full disk) the reader
// opens what is there. The writer, which finishes
// its own deletions, opens with kAsListed.
struct OpenedIndex {
  Xapian::Database all;                    // Every segment: what queries run on.
  std::vector<Xapian::Database> segments;  // Each on its own, in the same order.
  std::vector<std::string> names;          // Their names (empty for the older layout).
};
enum class Pending { kFinishPending, kAsListed };
OpenedIndex open_index(const std::string& index, Pending pending = Pending::kFinishPending,
                       std::chrono::milliseconds pending_wait = std::chrono::seconds(30));

}  // namespace gazette::core
