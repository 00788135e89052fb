// Bulk loading of an empty index on several cores. Xapian allows one writer per
// database, so each loader thread analyses articles and writes them into a shard of its
// own; merge_into() then joins the shards with Xapian's compaction. Articles are routed
// to shards by id, so a repeated id meets (and replaces) its earlier copy.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gazette/article.h"
#include "gazette/index_writer.h"

namespace gazette::indexer {

class ShardedLoader {
 public:
  using Done = std::function<void(AddOutcome)>;

  // Shards live in sibling directories of `index_path` ("<index>.shard-N"), replaced
  // if left over by an interrupted load. `batch_size` bounds each shard's buffer.
  // `fingerprints`: store duplicate-detection keys (for later runs that detect them).
  ShardedLoader(const std::string& index_path, unsigned shards, std::size_t batch_size,
                unsigned title_weight, bool fingerprints);
  ~ShardedLoader();  // Stops the threads and removes the shard directories.
  ShardedLoader(const ShardedLoader&) = delete;
  ShardedLoader& operator=(const ShardedLoader&) = delete;

  // Queues an article (blocks while too many are in flight) and runs the callbacks of
  // finished articles, in submission order, on the calling thread.
  void submit(Article article, Done done);

  // Waits until every queued article is written; runs the remaining callbacks.
  void drain();

  // Drains, commits the shards and compacts them into the new directory `target`.
  void merge_into(const std::string& target);

 private:
  struct Job {
    std::uint64_t sequence;
    Article article;
    Done done;
  };
  struct Finished {
    Done done;
    AddOutcome outcome;
  };

  void shard_loop(unsigned shard);
  void run_finished(std::unique_lock<std::mutex>& lock);
  void stop();

  std::vector<std::string> shard_paths_;
  std::size_t batch_size_;
  unsigned title_weight_;
  bool fingerprints_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::deque<Job>> queues_;         // One per shard.
  std::map<std::uint64_t, Finished> finished_;  // Reported in submission order.
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t reported_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace gazette::indexer
