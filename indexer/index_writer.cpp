// The "store" stage: a Xapian WritableDatabase fed in all-or-nothing batches.
// Each batch is a Xapian transaction, so Xapian never auto-flushes half a batch and a
// crash leaves the index as of the last committed batch.
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
#include "gazette/errors.h"
#include "indexer/dedup.h"
#include "indexer/document_builder.h"
#include "indexer/sharded_loader.h"

namespace gazette {

namespace {

[[noreturn]] void rethrow_as_index_error(const std::string& path, const Xapian::Error& error) {
  if (std::string_view(error.get_type()) == "DatabaseLockError") {
    throw IndexLockedError(path);
  }
  throw IndexError(path + ": " + error.get_msg());
}

// Puts the index directory `replacement` in place of `target` with two renames: between
// them only "<target>.old" holds the index, and either way a whole index is on disk.
void swap_in(const std::filesystem::path& target, const std::filesystem::path& replacement) {
  const std::filesystem::path retired = target.string() + ".old";
  std::filesystem::remove_all(retired);
  std::filesystem::rename(target, retired);
  std::filesystem::rename(replacement, target);
  std::filesystem::remove_all(retired);
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
  Xapian::WritableDatabase database;
  std::optional<indexer::DocumentBuilder> builder;  // For add() on the calling thread.
  std::size_t pending = 0;           // Changes in the open transaction.
  // Spelling dictionary counts of the open batch, added to the database once per word
  // at commit (one add_spelling per distinct word, not per word per article).
  std::unordered_map<std::string, Xapian::termcount> spelling;
  bool in_transaction = false;

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

  // Ends bulk-load mode: merges the shards into a sibling directory and swaps it in.
  void finish_load() {
    if (!loader) return;
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path merged = path + ".merging";
    loader->merge_into(merged.string());
    loader.reset();
    try {
      database.close();
      swap_in(target, merged);
      database = Xapian::WritableDatabase(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error& error) {
      rethrow_as_index_error(path, error);
    } catch (const fs::filesystem_error& error) {
      throw IndexError(path + ": swapping in the merged shards failed: " + error.what());
    }
  }

  void begin() {
    if (!in_transaction) {
      database.begin_transaction(/*flushed=*/true);
      in_transaction = true;
    }
  }

  void commit_now() {
    if (!in_transaction) return;
    try {
      for (const auto& [word, count] : spelling) database.add_spelling(word, count);
      spelling.clear();
      in_transaction = false;
      pending = 0;
      database.commit_transaction();
    } catch (const Xapian::Error& error) {
      rethrow_as_index_error(path, error);
    }
  }

  AddOutcome store(const std::string& id_term, Xapian::Document& document,
                   const std::vector<std::pair<std::string, unsigned>>& words) {
    try {
      begin();
      if (options.deduplicate) {
        const std::string id = id_term.substr(core::schema::kId.size());
        const indexer::DedupResult dedup = indexer::check_duplicates(database, document, id);
        if (dedup.duplicate != indexer::Duplicate::kNone) return AddOutcome::kDuplicate;
        indexer::set_story(document, dedup.story);
      }
      const bool existed = database.term_exists(id_term);
      for (const auto& [word, count] : words) this->spelling[word] += count;
      database.replace_document(id_term, document);
      if (++pending >= options.batch_size) commit_now();
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
    indexer::DocumentBuilder local_builder(options.title_weight);
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
  impl_->builder.emplace(options.title_weight);
  if (impl_->options.batch_size == 0) impl_->options.batch_size = 1;
  try {
    if (options.create) std::filesystem::create_directories(path);
    const int action = options.create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
    impl_->database = Xapian::WritableDatabase(path, action | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(path, error);
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
      if (impl_->in_transaction) impl_->database.cancel_transaction();
    } else {
      impl_->commit_now();
    }
  } catch (...) {
    // As above: callers wanting the error call commit() first.
  }
}

void IndexWriter::add_async(Article article, std::function<void(AddOutcome)> done) {
  if (article.id.empty()) throw Error("article has an empty id");
  if (!impl_->loader && impl_->options.shards > 1 && impl_->threads.empty() && !impl_->in_transaction &&
      impl_->database.get_doccount() == 0) {
    impl_->loader = std::make_unique<indexer::ShardedLoader>(impl_->path, impl_->options.shards,
                                                             impl_->options.batch_size,
                                                             impl_->options.title_weight);
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
  const std::string id_term = core::schema::id_term(id);
  try {
    if (!impl_->database.term_exists(id_term)) return false;
    impl_->begin();
    impl_->database.delete_document(id_term);
    if (++impl_->pending >= impl_->options.batch_size) impl_->commit_now();
    return true;
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

void IndexWriter::commit() {
  drain();
  impl_->finish_load();
  impl_->commit_now();
}

void IndexWriter::rollback() {
  drain();
  impl_->loader.reset();  // Bulk-load mode: the unmerged shards are the uncommitted batch.
  if (!impl_->in_transaction) return;
  try {
    impl_->in_transaction = false;
    impl_->pending = 0;
    impl_->spelling.clear();
    impl_->database.cancel_transaction();
  } catch (const Xapian::Error& error) {
    rethrow_as_index_error(impl_->path, error);
  }
}

std::size_t IndexWriter::article_count() const {
  const_cast<IndexWriter*>(this)->drain();
  impl_->finish_load();
  return impl_->database.get_doccount();
}

CompactResult compact_index(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path compacted = target.string() + ".compacting";
  CompactResult result;
  try {
    // Holding a writer keeps other writers out while the copy is made.
    Xapian::WritableDatabase lock(path, Xapian::DB_OPEN);
    result.bytes_before = core::directory_bytes(path);
    fs::remove_all(compacted);
    Xapian::Database(path).compact(compacted.string(), Xapian::DBCOMPACT_NO_RENUMBER);
    lock.close();
    swap_in(target, compacted);
    result.bytes_after = core::directory_bytes(path);
  } catch (const Xapian::Error& error) {
    fs::remove_all(compacted);
    rethrow_as_index_error(path, error);
  } catch (const fs::filesystem_error& error) {
    throw IndexError(path + ": compaction failed: " + error.what());
  }
  return result;
}

}  // namespace gazette
