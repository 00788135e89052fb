// The "store" stage's storage: an index as a list of Xapian databases (segments), as
// Lucene and tantivy keep theirs. Each commit writes its batch into a fresh, small
// segment (cheap: nothing already stored is rewritten), publishes it by replacing the
// manifest atomically (core/segments.h), and then merges segments in tiers with
// Xapian's compaction (indexer/merge_policy.h), so an article is rewritten O(log n)
// times instead of at every commit. One writer at a time (a lock file).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "core/segments.h"
#include "indexer/merge_policy.h"

namespace gazette::indexer {

class SegmentedIndex {
 public:
  // Opens the index at `path` for writing: takes the write lock (IndexLockedError when
  // another writer holds it), creates the index when `create` and it is missing,
  // converts an index of the single-database layout in place, finishes deletions a
  // crashed writer published but did not apply, and removes segments it never
  // published. Throws IndexError otherwise.
  SegmentedIndex(const std::string& path, bool create, MergePolicy policy = {});
  ~SegmentedIndex();
  SegmentedIndex(const SegmentedIndex&) = delete;
  SegmentedIndex& operator=(const SegmentedIndex&) = delete;

  // Every live article, the uncommitted ones included (for duplicate look-ups).
  // Valid until the next store, remove, commit or rollback.
  const Xapian::Database& view();

  // True when an article with this id term is live (committed or not).
  bool contains(const std::string& id_term);

  // Adds `document` under `id_term`, replacing the live article with that id if any.
  // Returns whether one was replaced.
  bool store(const std::string& id_term, const Xapian::Document& document);
  // Removes the live article with this id term; false when there is none.
  bool remove(const std::string& id_term);
  void add_spelling(const std::string& word, Xapian::termcount count);

  // Changes since the last commit (stores and removes).
  std::size_t pending() const { return pending_changes_; }

  // Publishes the uncommitted changes (durable once this returns), then merges
  // segments as the policy says.
  void commit();
  // Drops the uncommitted changes.
  void rollback();

  // Articles live, the uncommitted ones included.
  std::size_t article_count();

  // Publishes a finished database directory (moved into the index) as a new segment
  // after the live ones. For bulk loads that build their own segments.
  void adopt_segment(const std::string& directory);
  // A new, empty directory name inside the index for a segment about to be built.
  std::string reserve_segment();

  // Merges every live segment into one (compacted, no free space).
  void merge_all();

  const std::string& path() const { return path_; }
  std::size_t segment_count() const { return manifest_.segments.size(); }

 private:
  void open_segments();
  void publish(core::Manifest next);
  void drop_empty(core::Manifest& next) const;
  void apply_pending_deletes();
  void merge(std::size_t first, std::size_t last);
  void merge_by_policy();
  void convert_single_database();
  void remove_unpublished();
  Xapian::WritableDatabase& open_batch();

  std::string path_;
  MergePolicy policy_;
  int lock_fd_ = -1;
  core::Manifest manifest_;
  std::uint64_t next_number_ = 1;
  std::vector<Xapian::Database> segments_;  // Parallel to manifest_.segments.
  Xapian::Database committed_;              // All of segments_.
  std::optional<Xapian::WritableDatabase> batch_;  // The uncommitted segment.
  std::string batch_name_;
  std::optional<Xapian::Database> view_;           // committed_ + batch_.
  std::set<std::string> deleted_;  // Id terms to remove from the committed segments.
  std::unordered_map<std::string, Xapian::termcount> spelling_;
  std::size_t pending_changes_ = 0;
};

}  // namespace gazette::indexer
