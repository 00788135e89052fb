// The "store" stage: articles fed in all-or-nothing batches into the segmented index
// (indexer/segmented_index.h). Each batch becomes a segment that is published whole at
// commit, so a crash leaves the index as of the last committed batch.
#include "gazette/index_writer.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <xapian.h>

#include "core/disk_usage.h"
#include "core/schema.h"
#include "core/segments.h"
#include "gazette/errors.h"
#include "indexer/dedup.h"
#include "indexer/document_builder.h"
#include "indexer/segmented_index.h"
#include "indexer/sharded_loader.h"

namespace gazette {

namespace {

[[noreturn]] void rethrow_as_index_error(const std::string& path, const Xapian::Error& error) {
  if (std::string_view(error.get_type()) == "DatabaseLockError") {
    throw IndexLockedError(path);
  }
  throw IndexError(path + ": " + error.get_msg());
}

}  // namespace

// The writer and its bulk pipeline: the calling thread submits articles, analysis
// threads turn them into documents, one writing thread stores them in submission
// order, and completions travel back to the calling thread. One mutex guards the
// queues; the database is touched only by the writing thread while articles are in
// flight, and only by the calling thread once the pipeline is drained.
struct IndexWriter::Impl {
  using Done = std::function<void(AddOutcome)>;
  struct Queued {
    std::uint64_t sequence;
    Article article;
    Done done;
  };
  struct Built {
    std::string id_term;
    Xapian::Document document;
    Done done;
    std::vector<std::pair<std::string, unsigned>> spelling;
  };
  struct Finished {
    Done done;
    AddOutcome outcome;
  };
  static constexpr std::uint64_t kMaxInFlight = 512;

  std::string path;
  WriterOptions options;
  std::optional<indexer::SegmentedIndex> index;
  std::optional<indexer::DocumentBuilder> builder;  // For add() on the calling thread.

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Queued> to_build;
  std::map<std::uint64_t, Built> built;  // Reorder buffer: analysis finishes out of order.
  std::deque<Finished> finished;
  std::uint64_t submitted = 0;
  std::uint64_t written = 0;
  bool stopping = false;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  std::unique_ptr<indexer::ShardedLoader> loader;  // Bulk-load mode (WriterOptions::shards).

  // Ends bulk-load mode: merges the shards into one new segment and publishes it.
  void finish_load() {
    if (!loader) return;
    const std::string segment = core::segment_path(path, index->reserve_segment());
    try {
      loader->merge_into(segment + ".building");
      loader.reset();
      index->adopt_segment(segment + ".building");
    } catch (const Xapian::Error& error) {
      rethrow_as_index_error(path, error);
    } catch (const std::filesystem::filesystem_error& error) {
      throw IndexError(path + ": publishing the merged shards failed: " + error.what());
    }
  }

  void commit_now() { index->commit(); }

  AddOutcome store(const std::string& id_term, Xapian::Document& document,
                   const std::vector<std::pair<std::string, unsigned>>& words) {
    try {
      if (options.deduplicate) {
        const std::string id = id_term.substr(core::schema::kId.size());
        const indexer::DedupResult dedup = indexer::check_duplicates(index->view(), document, id);
        if (dedup.duplicate != indexer::Duplicate::kNone) return AddOutcome::kDuplicate;
        indexer::set_story(document, dedup.story);
      }
      for (const auto& [word, count] : words) index->add_spelling(word, count);
      const bool existed = index->store(id_term, document);
      if (index->pending() >= options.batch_size) commit_now();
      return existed ? AddOutcome::kReplaced : AddOutcome::kAdded;
    } catch (const Xapian::Error& error) {
      rethrow_as_index_error(path, error);
    }
  }

  void start_threads() {
    if (!threads.empty()) return;
    unsigned analysers = options.analysis_threads;
    if (analysers == 0) analysers = std::max(1u, std::thread::hardware_concurrency() - 1);
    for (unsigned i = 0; i < analysers; ++i) threads.emplace_back([this] { analyse_loop(); });
    threads.emplace_back([this] { write_loop(); });
  }

  void analyse_loop() {
    indexer::DocumentBuilder local_builder(options.title_weight, options.deduplicate);
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return stopping || !to_build.empty(); });
      if (to_build.empty()) return;
      Queued job = std::move(to_build.front());
      to_build.pop_front();
      lock.unlock();
      Built result{core::schema::id_term(job.article.id), {}, std::move(job.done), {}};
      std::exception_ptr error;
      try {
        result.document = local_builder.build(job.article);
        result.spelling = local_builder.take_spelling_words();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !failure) failure = error;
      built.emplace(job.sequence, std::move(result));
      changed.notify_all();
    }
  }

  void write_loop() {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return stopping || built.count(written) > 0; });
      const auto next = built.find(written);
      if (next == built.end()) return;  // Stopping with nothing left to write.
      Built job = std::move(next->second);
      built.erase(next);
      const bool skip = static_cast<bool>(failure);
      lock.unlock();
      AddOutcome outcome = AddOutcome::kAdded;
      std::exception_ptr error;
      if (!skip) {
        try {
          outcome = store(job.id_term, job.document, job.spelling);
        } catch (...) {
          error = std::current_exception();
        }
      }
      lock.lock();
      if (error && !failure) failure = error;
      if (!skip && !error) finished.push_back(Finished{std::move(job.done), outcome});
      ++written;
      changed.notify_all();
    }
  }

  // Runs the callbacks of finished articles on the calling thread.
  void run_finished(std::unique_lock<std::mutex>& lock) {
    std::deque<Finished> ready;
    ready.swap(finished);
    lock.unlock();
    for (Finished& item : ready) item.done(item.outcome);
    lock.lock();
  }

  void rethrow_failure() {
    if (failure) std::rethrow_exception(failure);
  }

  void stop_threads() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    changed.notify_all();
    for (std::thread& thread : threads) thread.join();
    threads.clear();
  }
};

IndexWriter::IndexWriter(const std::string& path, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = options;
  impl_->builder.emplace(options.title_weight, options.deduplicate);
  if (impl_->options.batch_size == 0) impl_->options.batch_size = 1;
  try {
    impl_->index.emplace(path, options.create);
  } catch (const std::filesystem::filesystem_error& error) {
    throw IndexError(path + ": " + error.code().message());
  }
}

IndexWriter::~IndexWriter() {
  try {
    drain();
    impl_->finish_load();
  } catch (...) {
    // Reported by the call that failed; the destructor must not throw.
  }
  impl_->stop_threads();
  try {
    if (impl_->failure) {
      impl_->index->rollback();
    } else {
      impl_->commit_now();
    }
  } catch (...) {
    // As above: callers wanting the error call commit() first.
  }
}

void IndexWriter::add_async(Article article, std::function<void(AddOutcome)> done) {
  if (article.id.empty()) throw Error("article has an empty id");
  if (!impl_->loader && impl_->options.shards > 1 && impl_->threads.empty() && impl_->index->pending() == 0 &&
      impl_->index->article_count() == 0) {
    impl_->loader = std::make_unique<indexer::ShardedLoader>(impl_->path, impl_->options.shards,
                                                             impl_->options.batch_size,
                                                             impl_->options.title_weight,
                                                             impl_->options.deduplicate);
  }
  if (impl_->loader) {
    impl_->loader->submit(std::move(article), std::move(done));
    return;
  }
  impl_->start_threads();
  std::unique_lock lock(impl_->mutex);
  impl_->rethrow_failure();
  impl_->changed.wait(lock, [&] {
    return impl_->failure || impl_->submitted - impl_->written < Impl::kMaxInFlight;
  });
  impl_->rethrow_failure();
  impl_->to_build.push_back(Impl::Queued{impl_->submitted++, std::move(article), std::move(done)});
  impl_->changed.notify_all();
  impl_->run_finished(lock);
}

void IndexWriter::drain() {
  if (impl_->loader) impl_->loader->drain();
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait(lock, [&] { return impl_->failure || impl_->written == impl_->submitted; });
  impl_->run_finished(lock);
  impl_->rethrow_failure();
}

AddOutcome IndexWriter::add(const Article& article) {
  if (article.id.empty()) throw Error("article has an empty id");
  drain();
  impl_->finish_load();
  Xapian::Document document;
  try {
    document = impl_->builder->build(article);
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
  return impl_->store(core::schema::id_term(article.id), document, impl_->builder->take_spelling_words());
}

bool IndexWriter::remove(const std::string& id) {
  drain();
  impl_->finish_load();
  if (!impl_->index->remove(core::schema::id_term(id))) return false;
  if (impl_->index->pending() >= impl_->options.batch_size) impl_->commit_now();
  return true;
}

void IndexWriter::commit() {
  drain();
  impl_->finish_load();
  impl_->commit_now();
}

void IndexWriter::rollback() {
  drain();
  impl_->loader.reset();  // Bulk-load mode: the unmerged shards are the uncommitted batch.
  impl_->index->rollback();
}

std::size_t IndexWriter::article_count() const {
  const_cast<IndexWriter*>(this)->drain();
  impl_->finish_load();
  return impl_->index->article_count();
}

CompactResult compact_index(const std::string& path) {
  CompactResult result;
  try {
    // Holding the writer's lock keeps other writers out while segments are merged.
    indexer::SegmentedIndex index(path, /*create=*/false);
    result.bytes_before = core::directory_bytes(path);
    index.merge_all();
    result.bytes_after = core::directory_bytes(path);
  } catch (const std::filesystem::filesystem_error& error) {
    throw IndexError(path + ": compaction failed: " + error.what());
  }
  return result;
}

}  // namespace gazette
