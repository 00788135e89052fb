// The "store" stage's storage: an index as a list of Xapian databases (segments), as
// Lucene and tantivy keep theirs. Each commit writes its batch into a fresh, small
// segment (cheap: nothing already stored is rewritten), publishes it by replacing the
// manifest atomically (core/segments.h), and then merges segments in tiers with
// Xapian's compaction (indexer/merge_policy.h), so an article is rewritten O(log n)
// times instead of at every commit. One writer at a time (a lock file).
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
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
  // another writer holds it for over a second), creates the index when `create` and it is missing,
  // converts an index of the single-database layout in place, finishes deletions a
  // crashed writer published but did not apply, and removes segments it never
  // published. Throws IndexError otherwise. Merges run on a thread of their own.
  SegmentedIndex(const std::string& path, bool create, MergePolicy policy = {});
  ~SegmentedIndex();  // Drops what is uncommitted; waits for a running merge.
  SegmentedIndex(const SegmentedIndex&) = delete;
  SegmentedIndex& operator=(const SegmentedIndex&) = delete;

  // Writing lanes: each lane writes its own uncommitted segment, so lanes can be
  // written from different threads at once (one thread per lane: store, flush and
  // add_spelling with that lane). Everything else is for one thread at a time, while
  // no lane is being written. REQUIRES: nothing uncommitted.
  void set_lanes(std::size_t lanes);
  std::size_t lanes() const { return lanes_.size(); }

  // The committed articles as of the last commit (deletions of this batch not applied).
  const Xapian::Database& committed() const { return committed_.all; }
  // The same segments one by one, in the order committed() holds them, and their names
  // (a segment keeps its name, and its articles their docids, until a merge retires it).
  const std::vector<Xapian::Database>& committed_segments() const { return committed_.segments; }
  const std::vector<std::string>& committed_names() const { return committed_.names; }

  // True when a committed article with this id term is live (not deleted in this batch).
  bool committed_contains(const std::string& id_term) const;
  // Deletes the committed article with this id term when the batch is published.
  void delete_committed(const std::string& id_term);
  // True when `lane`'s uncommitted segment holds this id term.
  bool lane_contains(std::size_t lane, const std::string& id_term);

  // Adds `document` under `id_term` to `lane`'s segment, replacing an uncommitted copy
  // there. Replacing a committed copy is the caller's (delete_committed).
  void store(std::size_t lane, const std::string& id_term, const Xapian::Document& document);
  // Counts words for the spelling table of `lane`'s segment ("did you mean").
  void add_spelling(std::size_t lane, const std::string& word, Xapian::termcount count);
  // Removes the uncommitted copy of `id_term` from `lane`'s segment, if any.
  bool remove_uncommitted(std::size_t lane, const std::string& id_term);

  // Writes `lane`'s uncommitted segment to disk, still unpublished: the bulk of a
  // commit's work, which lanes do in parallel before commit() publishes.
  void flush(std::size_t lane);

  // Publishes the uncommitted changes (durable once this returns) and lets the merge
  // thread merge segments as the policy says. Rethrows an error a merge met.
  void commit();
  // Drops the uncommitted changes.
  void rollback();

  // Articles live, the uncommitted ones included.
  std::size_t article_count();

  // Waits for running merges, then merges every live segment into one.
  void merge_all();
  // Waits until the merge thread has nothing left to do under the policy.
  void wait_for_merges();
  // Waits for merges, then merges the newest small segments into one
  // (choose_closing_merge): for a writer about to close.
  void merge_for_close();

  const std::string& path() const { return path_; }
  std::size_t segment_count();

 private:
  struct Lane {
    std::optional<Xapian::WritableDatabase> batch;  // The uncommitted segment.
    std::string name;
    std::unordered_map<std::string, Xapian::termcount> spelling;
  };

  // With state_mutex_ held:
  void publish_locked(core::Manifest next);
  std::vector<std::size_t> sizes_locked() const;
  // Writer side:
  core::OpenedIndex open_segments();
  void apply_pending_deletes();
  void convert_single_database();
  void remove_unpublished();
  std::string reserve_segment();
  Xapian::WritableDatabase& open_batch(Lane& lane);
  // Merging: merge() compacts segments into a new one; merge_and_publish (lock held,
  // released while compacting) puts it in place of the run; merge_exclusively runs
  // one merge on the calling thread with the merge thread kept out.
  void merge_loop();
  std::string merge(const std::vector<std::string>& names);
  std::vector<std::string> names_of(const MergeRange& range) const;
  void merge_and_publish(std::unique_lock<std::mutex>& lock, const std::vector<std::string>& names);
  void merge_exclusively(const std::function<std::optional<MergeRange>(const std::vector<std::size_t>&)>& choose);
  void stop_merging();

  std::string path_;
  MergePolicy policy_;
  int lock_fd_ = -1;
  std::atomic<std::uint64_t> next_number_ = 1;

  // Shared with the merge thread.
  std::mutex state_mutex_;
  std::condition_variable state_changed_;
  core::Manifest manifest_;
  std::unordered_map<std::string, std::size_t> sizes_;  // Articles per live segment.
  bool merging_ = false;        // A merge is running (its segments must not change).
  bool merges_paused_ = false;  // Deletions or a full merge are touching segments.
  bool stopping_ = false;
  std::exception_ptr merge_failure_;
  std::thread merger_;

  // Writer side only.
  core::OpenedIndex committed_;
  std::vector<Lane> lanes_;
  std::set<std::string> deleted_;  // Id terms to remove from committed segments.
};

// Throws the IndexError (IndexLockedError for a lock) for a Xapian error on `path`.
[[noreturn]] void rethrow_index_error(const std::string& path, const Xapian::Error& error);

}  // namespace gazette::indexer
