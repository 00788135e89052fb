// Writing to an index: add, replace and delete articles, committed in batches.
// One writer per index at a time; readers (Searcher) may run alongside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gazette/article.h"

namespace gazette {

struct WriterOptions {
  // Articles per commit. A batch is all-or-nothing: a crash loses at most the
  // uncommitted batch, never anything committed before it.
  std::size_t batch_size = 2000;
  // Create the index directory when missing.
  bool create = true;
  // Threads that analyse articles queued with add_async (0: one per core, less one).
  unsigned analysis_threads = 0;
  // Writing lanes (0: one per core). Each lane writes its own segment on its own
  // thread, so Xapian's per-document work runs on every core; articles are routed to
  // lanes by id, and duplicate detection and the decision to replace stay in
  // submission order, so the outcome is the same as with one lane.
  unsigned writers = 0;
  // Skip exact duplicates (the same normalised text or canonical URL as an article
  // stored under another id) and group near-duplicates into stories (indexer/dedup.h).
  // When false, articles are stored without the keys detection looks up (text hash,
  // URL, MinHash bands and signature): smaller and faster, but a later run that does
  // detect duplicates will not find copies of these articles.
  bool deduplicate = true;
  // How many times a title word counts in the default search field (docs/ranking.md).
  unsigned title_weight = 3;
};

// kDuplicate: not stored, an exact copy of an article already in the index.
enum class AddOutcome { kAdded, kReplaced, kDuplicate };

class IndexWriter {
 public:
  // Opens (or creates) the index at `path` for writing.
  // Throws IndexLockedError when another writer holds it (after waiting up to a second:
  // a reader may be finishing a killed writer's deletions), IndexError otherwise.
  explicit IndexWriter(const std::string& path, WriterOptions options = {});
  // Commits the open batch; errors there are swallowed (call commit()). Queued articles
  // are written, but no `done` callback runs (the caller's scope may be unwinding):
  // call drain() or commit() first to see every outcome.
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds `article`, replacing any article with the same id. Throws InputError-free
  // gazette::Error when the article is unusable (empty id). Commits when the batch fills.
  AddOutcome add(const Article& article);

  // Queues `article` for analysis on worker threads while a background thread writes
  // queued articles in submission order; this is how bulk indexing uses every core.
  // `done` receives the outcome and runs on the calling thread, during a later
  // add_async, drain or commit call. Blocks while the queue is full. Throws
  // gazette::Error for an unusable article (empty id) at once; an index error met in
  // the background is rethrown by the next call.
  void add_async(Article article, std::function<void(AddOutcome)> done);

  // Waits until every queued article is written and its `done` has run.
  void drain();

  // Removes the article with this id. Returns false when there was none.
  bool remove(const std::string& id);

  // Makes everything added or removed so far (queued articles included) durable and
  // visible to new readers.
  void commit();

  // Drops everything added or removed since the last commit.
  void rollback();

  // Articles in the index, including the uncommitted batch.
  std::size_t article_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Rewrites the index at `path` with full blocks and no free space: smaller on disk and
// often faster to search. Takes the write lock for the duration (IndexLockedError if
// another writer holds it), builds the compact copy beside the index, then swaps it in.
// Returns the size on disk before and after, in bytes.
struct CompactResult {
  std::uint64_t bytes_before = 0;
  std::uint64_t bytes_after = 0;
};
CompactResult compact_index(const std::string& path);

}  // namespace gazette
