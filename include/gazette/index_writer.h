// Writing to an index: add, replace and delete articles, committed in batches.
// One writer per index at a time; readers (Searcher) may run alongside.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "gazette/article.h"

namespace gazette {

struct WriterOptions {
  // Articles per commit. A batch is all-or-nothing: a crash loses at most the
  // uncommitted batch, never anything committed before it.
  std::size_t batch_size = 5000;
  // Create the index directory when missing.
  bool create = true;
};

enum class AddOutcome { kAdded, kReplaced };

class IndexWriter {
 public:
  // Opens (or creates) the index at `path` for writing.
  // Throws IndexLockedError when another writer holds it, IndexError otherwise.
  explicit IndexWriter(const std::string& path, WriterOptions options = {});
  ~IndexWriter();  // Commits the open batch; errors there are swallowed (call commit()).
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds `article`, replacing any article with the same id. Throws InputError-free
  // gazette::Error when the article is unusable (empty id). Commits when the batch fills.
  AddOutcome add(const Article& article);

  // Removes the article with this id. Returns false when there was none.
  bool remove(const std::string& id);

  // Makes everything added or removed so far durable and visible to new readers.
  void commit();

  // Drops everything added or removed since the last commit.
  void rollback();

  // Articles in the index, including the uncommitted batch.
  std::size_t article_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gazette
