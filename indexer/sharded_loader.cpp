// Parallel shard building and the compaction that merges the shards.
#include "indexer/sharded_loader.h"

#include <filesystem>

#include <xapian.h>

#include "core/schema.h"
#include "gazette/errors.h"
#include "indexer/document_builder.h"
#include "indexer/readers/readers.h"

namespace gazette::indexer {
namespace {

constexpr std::uint64_t kMaxInFlight = 1024;

}  // namespace

ShardedLoader::ShardedLoader(const std::string& index_path, unsigned shards, std::size_t batch_size,
                             unsigned title_weight, bool fingerprints)
    : batch_size_(std::max<std::size_t>(1, batch_size)), title_weight_(title_weight), fingerprints_(fingerprints),
      queues_(shards) {
  for (unsigned shard = 0; shard < shards; ++shard) {
    shard_paths_.push_back(index_path + ".shard-" + std::to_string(shard));
    std::filesystem::remove_all(shard_paths_.back());
  }
  for (unsigned shard = 0; shard < shards; ++shard) threads_.emplace_back([this, shard] { shard_loop(shard); });
}

ShardedLoader::~ShardedLoader() {
  stop();
  std::error_code ignored;
  for (const std::string& path : shard_paths_) std::filesystem::remove_all(path, ignored);
}

void ShardedLoader::shard_loop(unsigned shard) {
  try {
    Xapian::WritableDatabase database(shard_paths_[shard], Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    DocumentBuilder builder(title_weight_, fingerprints_);
    std::size_t pending = 0;
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return stopping_ || !queues_[shard].empty(); });
      if (queues_[shard].empty()) break;
      Job job = std::move(queues_[shard].front());
      queues_[shard].pop_front();
      const bool skip = static_cast<bool>(failure_);
      lock.unlock();
      AddOutcome outcome = AddOutcome::kAdded;
      std::exception_ptr error;
      if (!skip) {
        try {
          const std::string id_term = core::schema::id_term(job.article.id);
          const Xapian::Document document = builder.build(job.article);
          if (database.term_exists(id_term)) outcome = AddOutcome::kReplaced;
          for (const auto& [word, count] : builder.take_spelling_words()) database.add_spelling(word, count);
          database.replace_document(id_term, document);
          // Bounded buffers: Xapian's own threshold (10,000 documents) per shard would
          // hold several hundred MiB.
          if (++pending >= batch_size_) {
            database.commit();
            pending = 0;
          }
        } catch (const Xapian::Error& xapian_error) {
          error = std::make_exception_ptr(IndexError(shard_paths_[shard] + ": " + xapian_error.get_msg()));
        } catch (...) {
          error = std::current_exception();
        }
      }
      lock.lock();
      if (error && !failure_) failure_ = error;
      finished_.emplace(job.sequence, Finished{std::move(job.done), outcome});
      ++completed_;
      changed_.notify_all();
    }
    lock.unlock();
    database.commit();
    database.close();
  } catch (const Xapian::Error& error) {
    std::lock_guard guard(mutex_);
    if (!failure_) failure_ = std::make_exception_ptr(IndexError(shard_paths_[shard] + ": " + error.get_msg()));
    stopping_ = true;
    changed_.notify_all();
  }
}

void ShardedLoader::run_finished(std::unique_lock<std::mutex>& lock) {
  std::vector<Finished> ready;
  for (auto it = finished_.find(reported_); it != finished_.end(); it = finished_.find(reported_)) {
    ready.push_back(std::move(it->second));
    finished_.erase(it);
    ++reported_;
  }
  const bool failed = static_cast<bool>(failure_);
  lock.unlock();
  if (!failed) {
    for (Finished& item : ready) item.done(item.outcome);
  }
  lock.lock();
}

void ShardedLoader::submit(Article article, Done done) {
  const unsigned shard = static_cast<unsigned>(std::stoull(stable_hash(article.id), nullptr, 16) % queues_.size());
  std::unique_lock lock(mutex_);
  // Bounded by completed, not reported, articles: reporting happens on this thread.
  changed_.wait(lock, [&] { return failure_ || submitted_ - completed_ < kMaxInFlight; });
  if (failure_) std::rethrow_exception(failure_);
  queues_[shard].push_back(Job{submitted_++, std::move(article), std::move(done)});
  changed_.notify_all();
  run_finished(lock);
}

void ShardedLoader::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || completed_ == submitted_; });
  run_finished(lock);
  if (failure_) std::rethrow_exception(failure_);
}

void ShardedLoader::stop() {
  {
    std::lock_guard guard(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void ShardedLoader::merge_into(const std::string& target) {
  drain();
  stop();  // Each thread commits and closes its shard on the way out.
  if (failure_) std::rethrow_exception(failure_);
  try {
    Xapian::Database shards;
    for (const std::string& path : shard_paths_) shards.add_database(Xapian::Database(path));
    std::filesystem::remove_all(target);
    shards.compact(target);  // Renumbers documents into one sequence.
  } catch (const Xapian::Error& error) {
    throw IndexError(target + ": merging shards failed: " + error.get_msg());
  }
}

}  // namespace gazette::indexer
