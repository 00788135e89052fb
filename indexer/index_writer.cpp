// The "store" stage: articles fed in all-or-nothing batches into the segmented index
// (indexer/segmented_index.h). Each batch becomes segments (one per writing lane) that
// are published together at commit, so a crash leaves the index as of the last
// committed batch.
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
#include <unordered_set>

#include <xapian.h>

#include "core/disk_usage.h"
#include "core/schema.h"
#include "core/segments.h"
#include "gazette/errors.h"
#include "indexer/band_index.h"
#include "indexer/dedup.h"
#include "indexer/document_builder.h"
#include "indexer/segmented_index.h"

namespace gazette {

// The writer and its bulk pipeline. The calling thread submits articles; analysis
// threads turn them into documents; one dispatching thread takes them in submission
// order, detects duplicates (against the committed segments and an in-memory table of
// this batch's keys), decides whether each replaces a live article, and hands it to a
// writing lane chosen by a hash of its id (so a repeated id meets its earlier copy in
// the same lane); each lane thread writes its own segment. At every `batch_size`
// changes the dispatcher waits for the lanes and commits. Completions travel back to
// the calling thread in submission order. One mutex guards the queues.
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
  struct Routed {
    std::uint64_t sequence;
    std::string id_term;
    Xapian::Document document;
    Done done;
    AddOutcome outcome;
    std::vector<std::pair<std::string, unsigned>> spelling;
  };
  struct Finished {
    Done done;
    AddOutcome outcome;
  };
  // What dispatching decided: a lane to write to, or a final outcome (a duplicate).
  struct Decision {
    std::optional<std::size_t> lane;
    AddOutcome outcome = AddOutcome::kAdded;
  };
  static constexpr std::uint64_t kMaxInFlight = 512;

  std::string path;
  WriterOptions options;
  std::optional<indexer::SegmentedIndex> index;
  std::optional<indexer::DocumentBuilder> builder;  // For add() on the calling thread.

  // Dispatch state: used by the dispatching thread, or by the calling thread when the
  // pipeline is drained.
  std::size_t pending = 0;                       // Changes since the last commit.
  std::unordered_set<std::string> batch_ids;     // Id terms stored since the last commit.
  std::optional<Xapian::WritableDatabase> keys;  // In memory: this batch's duplicate keys.
  std::optional<Xapian::Database> dedup_view;    // The committed segments + `keys`.
  // Every exact duplicate key in the index and this batch, read from the index when
  // duplicate detection first needs it, then kept up to date.
  std::optional<indexer::KeyFilter> key_filter;
  // The near-duplicate bands of the segments `dedup_view` holds.
  indexer::CommittedBands committed_bands;

  // One mutex; a condition variable per kind of waiter, so that a change wakes only
  // the threads it concerns (waking every thread for every article cost a seventh of
  // the CPU in context switches).
  std::mutex mutex;
  std::condition_variable analysers_wake;   // Articles to analyse, or stopping.
  std::condition_variable dispatcher_wake;  // The next article analysed, or lanes done.
  std::vector<std::unique_ptr<std::condition_variable>> lane_wake;  // Work for a lane.
  std::condition_variable progress;         // An article completed (the calling thread).
  std::deque<Queued> to_build;
  std::map<std::uint64_t, Built> built;  // Reorder buffer: analysis finishes out of order.
  std::vector<std::deque<Routed>> lane_queues;
  std::vector<bool> lane_busy;
  bool flush_wanted = false;        // The dispatcher is about to commit: lanes flush.
  std::vector<bool> lane_flushed;
  std::map<std::uint64_t, Finished> finished;  // Reported in submission order.
  std::uint64_t submitted = 0;
  std::uint64_t dispatched = 0;
  std::uint64_t completed = 0;
  std::uint64_t reported = 0;
  bool dispatching = false;  // The dispatcher holds an article or is committing.
  bool stopping = false;
  std::exception_ptr failure;
  std::vector<std::thread> threads;

  // Every queued article written, or writing stopped by a failure (under `mutex`).
  bool settled() const { return failure || (completed == submitted && !dispatching); }

  std::size_t lane_of(const std::string& id_term) const {
    return std::hash<std::string>{}(id_term) % index->lanes();
  }

  const Xapian::Database& duplicates_view() {
    if (!key_filter) {
      key_filter.emplace();
      const Xapian::Database& committed = index->committed();
      for (const std::string_view prefix : {core::schema::kTextHash, core::schema::kUrlKey}) {
        for (auto term = committed.allterms_begin(std::string(prefix)); term != committed.allterms_end(std::string(prefix));
             ++term) {
          key_filter->add(*term);
        }
      }
    }
    if (!dedup_view) {
      if (!keys) keys.emplace(std::string(), Xapian::DB_BACKEND_INMEMORY);
      dedup_view.emplace(index->committed());
      dedup_view->add_database(*keys);
      committed_bands.update(index->committed_names(), index->committed_segments());
    }
    return *dedup_view;
  }

  // Near-duplicate candidates in duplicates_view(): the committed segments' bands from
  // memory, this batch's from its band terms. The view interleaves the docids of its
  // databases (the committed segments, then `keys`): docid d of the i-th of n is
  // (d - 1) * n + i + 1.
  void band_candidates(const std::string& term, std::uint32_t key, const indexer::BandVisitor& visit) {
    const std::size_t n = committed_bands.segments() + 1;
    committed_bands.find(key, [&](std::size_t position, Xapian::docid docid) {
      visit(static_cast<Xapian::docid>((docid - 1) * n + position + 1));
    });
    for (auto it = keys->postlist_begin(term); it != keys->postlist_end(term); ++it) {
      visit(static_cast<Xapian::docid>((*it - 1) * n + n));
    }
  }

  // Remembers the keys of a stored document for the rest of the batch: the id, the
  // exact and near-duplicate keys, and what check_duplicates reads of a candidate.
  void remember_keys(const std::string& id_term, const Xapian::Document& document) {
    Xapian::Document entry;
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      const std::string name = *term;
      if (indexer::is_duplicate_key(name)) {
        entry.add_boolean_term(name);
        key_filter->add(name);
      } else if (name.starts_with(core::schema::kId)) {
        entry.add_boolean_term(name);
      }
    }
    for (const Xapian::valueno slot : {core::schema::kOutletSlot, core::schema::kDateSlot, core::schema::kStorySlot,
                                       core::schema::kSignatureSlot}) {
      const std::string value = document.get_value(slot);
      if (!value.empty()) entry.add_value(slot, value);
    }
    if (const auto signature = indexer::decode_signature(document.get_value(core::schema::kSignatureSlot))) {
      for (const std::string& band : indexer::band_terms(*signature)) entry.add_boolean_term(band);
    }
    keys->replace_document(id_term, entry);
  }

  Decision dispatch(const std::string& id_term, Xapian::Document& document) {
    try {
      if (options.deduplicate) {
        const std::string id = id_term.substr(core::schema::kId.size());
        const Xapian::Database& view = duplicates_view();
        const indexer::DedupResult dedup = indexer::check_duplicates(
            view, document, id, &*key_filter,
            [this](const std::string& term, std::uint32_t key, const indexer::BandVisitor& visit) {
              band_candidates(term, key, visit);
            });
        if (dedup.duplicate != indexer::Duplicate::kNone) return Decision{std::nullopt, AddOutcome::kDuplicate};
        // A story id the input carries stays (DocumentBuilder set it); else the group found.
        if (document.get_value(core::schema::kStorySlot).empty()) indexer::set_story(document, dedup.story);
        remember_keys(id_term, document);
      }
      bool existed = batch_ids.count(id_term) > 0;
      if (index->committed_contains(id_term)) {
        index->delete_committed(id_term);  // The committed copy goes when this batch is published.
        existed = true;
      }
      batch_ids.insert(id_term);
      ++pending;
      return Decision{lane_of(id_term), existed ? AddOutcome::kReplaced : AddOutcome::kAdded};
    } catch (const Xapian::Error& error) {
      indexer::rethrow_index_error(path, error);
    }
  }

  void commit_now() {
    index->commit();
    pending = 0;
    batch_ids.clear();
    keys.reset();
    dedup_view.reset();
  }

  void start_threads() {
    if (!threads.empty()) return;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    unsigned analysers = options.analysis_threads;
    if (analysers == 0) analysers = std::max(1u, cores - 1);
    for (unsigned i = 0; i < analysers; ++i) threads.emplace_back([this] { analyse_loop(); });
    lane_queues.assign(index->lanes(), {});
    lane_busy.assign(index->lanes(), false);
    lane_flushed.assign(index->lanes(), false);
    lane_wake.clear();
    for (std::size_t lane = 0; lane < index->lanes(); ++lane) lane_wake.push_back(std::make_unique<std::condition_variable>());
    for (std::size_t lane = 0; lane < index->lanes(); ++lane) threads.emplace_back([this, lane] { lane_loop(lane); });
    threads.emplace_back([this] { dispatch_loop(); });
  }

  void analyse_loop() {
    indexer::DocumentBuilder local_builder(options.title_weight, options.deduplicate);
    std::unique_lock lock(mutex);
    while (true) {
      analysers_wake.wait(lock, [&] { return stopping || !to_build.empty(); });
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
      const bool awaited = job.sequence == dispatched;
      built.emplace(job.sequence, std::move(result));
      if (awaited) dispatcher_wake.notify_one();
    }
  }

  bool lanes_idle() const {
    for (std::size_t lane = 0; lane < lane_queues.size(); ++lane) {
      if (!lane_queues[lane].empty() || lane_busy[lane]) return false;
    }
    return true;
  }

  void dispatch_loop() {
    std::unique_lock lock(mutex);
    while (true) {
      dispatcher_wake.wait(lock, [&] { return stopping || built.count(dispatched) > 0; });
      const auto next = built.find(dispatched);
      if (next == built.end()) return;  // Stopping with nothing left to dispatch.
      Built job = std::move(next->second);
      built.erase(next);
      dispatching = true;
      const std::uint64_t sequence = dispatched;
      const bool skip = static_cast<bool>(failure);
      lock.unlock();
      Decision decision{std::nullopt, AddOutcome::kAdded};
      std::exception_ptr error;
      if (!skip) {
        try {
          decision = dispatch(job.id_term, job.document);
        } catch (...) {
          error = std::current_exception();
        }
      }
      lock.lock();
      if (error && !failure) failure = error;
      if (!skip && !error) {
        if (decision.lane) {
          lane_queues[*decision.lane].push_back(
              Routed{sequence, std::move(job.id_term), std::move(job.document), std::move(job.done), decision.outcome,
                     std::move(job.spelling)});
          lane_wake[*decision.lane]->notify_one();
        } else {
          finished.emplace(sequence, Finished{std::move(job.done), decision.outcome});
          ++completed;
          progress.notify_one();
        }
      } else {
        ++completed;  // Skipped after a failure: nothing will be reported for it.
        progress.notify_one();
      }
      ++dispatched;
      if (!failure && pending >= options.batch_size) {
        // Each lane writes its segment to disk on its own thread; then one commit
        // publishes them all.
        flush_wanted = true;
        for (auto& wake : lane_wake) wake->notify_one();
        dispatcher_wake.wait(lock, [&] {
          return failure || (lanes_idle() && std::all_of(lane_flushed.begin(), lane_flushed.end(), [](bool f) { return f; }));
        });
        flush_wanted = false;
        lane_flushed.assign(lane_flushed.size(), false);
        if (!failure) {
          lock.unlock();
          try {
            commit_now();
          } catch (...) {
            error = std::current_exception();
          }
          lock.lock();
          if (error && !failure) failure = error;
        }
      }
      dispatching = false;
      progress.notify_one();
    }
  }

  void lane_loop(std::size_t lane) {
    std::unique_lock lock(mutex);
    while (true) {
      lane_wake[lane]->wait(lock, [&] {
        return stopping || !lane_queues[lane].empty() || (flush_wanted && !lane_flushed[lane]);
      });
      if (lane_queues[lane].empty() && flush_wanted && !lane_flushed[lane]) {
        lane_busy[lane] = true;
        const bool skip = static_cast<bool>(failure);
        lock.unlock();
        std::exception_ptr error;
        try {
          if (!skip) index->flush(lane);
        } catch (...) {
          error = std::current_exception();
        }
        lock.lock();
        lane_busy[lane] = false;
        lane_flushed[lane] = true;
        if (error && !failure) failure = error;
        dispatcher_wake.notify_one();
        continue;
      }
      if (lane_queues[lane].empty()) return;
      Routed job = std::move(lane_queues[lane].front());
      lane_queues[lane].pop_front();
      lane_busy[lane] = true;
      const bool skip = static_cast<bool>(failure);
      lock.unlock();
      std::exception_ptr error;
      if (!skip) {
        try {
          for (const auto& [word, count] : job.spelling) index->add_spelling(lane, word, count);
          index->store(lane, job.id_term, job.document);
        } catch (...) {
          error = std::current_exception();
        }
      }
      lock.lock();
      lane_busy[lane] = false;
      if (error && !failure) failure = error;
      if (!skip && !error) finished.emplace(job.sequence, Finished{std::move(job.done), job.outcome});
      ++completed;
      progress.notify_one();
      if (flush_wanted || failure) dispatcher_wake.notify_one();
    }
  }

  // Runs the callbacks of finished articles, in submission order, on the calling thread.
  void run_finished(std::unique_lock<std::mutex>& lock) {
    std::vector<Finished> ready;
    while (true) {
      const auto next = finished.find(reported);
      if (next == finished.end()) break;
      ready.push_back(std::move(next->second));
      finished.erase(next);
      ++reported;
    }
    if (ready.empty()) return;
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
    analysers_wake.notify_all();
    dispatcher_wake.notify_all();
    for (auto& wake : lane_wake) wake->notify_all();
    progress.notify_all();
    for (std::thread& thread : threads) thread.join();
    threads.clear();
    stopping = false;
  }
};

IndexWriter::IndexWriter(const std::string& path, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = options;
  impl_->builder.emplace(options.title_weight, options.deduplicate);
  if (impl_->options.batch_size == 0) impl_->options.batch_size = 1;
  try {
    const unsigned writers = options.writers > 0 ? options.writers : std::max(1u, std::thread::hardware_concurrency());
    indexer::MergePolicy policy;
    policy.tier_floor = std::max<std::size_t>(1, impl_->options.batch_size / writers);
    impl_->index.emplace(path, options.create, policy);
    impl_->index->set_lanes(writers);
  } catch (const std::filesystem::filesystem_error& error) {
    throw IndexError(path + ": " + error.code().message());
  }
}

IndexWriter::~IndexWriter() {
  {
    // Waits for the queued articles to be written, but runs none of their callbacks:
    // the destructor may run while the caller's scope unwinds, and what a callback
    // captured may be gone already (a failure there is the failed call's to report).
    std::unique_lock lock(impl_->mutex);
    impl_->progress.wait(lock, [&] { return impl_->settled(); });
    impl_->finished.clear();
  }
  impl_->stop_threads();
  try {
    if (impl_->failure) {
      impl_->index->rollback();
    } else {
      impl_->commit_now();
      // As Lucene's IndexWriter.close(): the index is left as the merge policy wants it,
      // with the newest small segments merged into one.
      impl_->index->merge_for_close();
    }
  } catch (...) {
    // As above: callers wanting the error call commit() first.
  }
}

namespace {

// Thrown before anything is queued, so that a bad article costs no other.
void check_id(const std::string& id) {
  if (id.empty()) throw Error("article has an empty id");
  if (id.size() > core::schema::kMaxIdBytes) {
    throw Error("article id is " + std::to_string(id.size()) + " bytes long, at most " +
                std::to_string(core::schema::kMaxIdBytes));
  }
}

}  // namespace

void IndexWriter::add_async(Article article, std::function<void(AddOutcome)> done) {
  check_id(article.id);
  impl_->start_threads();
  std::unique_lock lock(impl_->mutex);
  impl_->rethrow_failure();
  impl_->progress.wait(lock, [&] {
    return impl_->failure || impl_->submitted - impl_->completed < Impl::kMaxInFlight;
  });
  impl_->rethrow_failure();
  impl_->to_build.push_back(Impl::Queued{impl_->submitted++, std::move(article), std::move(done)});
  impl_->analysers_wake.notify_one();
  impl_->run_finished(lock);
}

void IndexWriter::drain() {
  std::unique_lock lock(impl_->mutex);
  while (true) {
    impl_->run_finished(lock);
    if (impl_->settled()) break;
    impl_->progress.wait(lock);
  }
  impl_->run_finished(lock);
  impl_->rethrow_failure();
}

AddOutcome IndexWriter::add(const Article& article) {
  check_id(article.id);
  drain();
  Xapian::Document document;
  try {
    document = impl_->builder->build(article);
  } catch (const Xapian::Error& error) {
    indexer::rethrow_index_error(impl_->path, error);
  }
  const std::string id_term = core::schema::id_term(article.id);
  const std::vector<std::pair<std::string, unsigned>> words = impl_->builder->take_spelling_words();
  const Impl::Decision decision = impl_->dispatch(id_term, document);
  if (!decision.lane) return decision.outcome;
  for (const auto& [word, count] : words) impl_->index->add_spelling(*decision.lane, word, count);
  impl_->index->store(*decision.lane, id_term, document);
  if (impl_->pending >= impl_->options.batch_size) impl_->commit_now();
  return decision.outcome;
}

bool IndexWriter::remove(const std::string& id) {
  drain();
  const std::string id_term = core::schema::id_term(id);
  bool removed = impl_->index->remove_uncommitted(impl_->lane_of(id_term), id_term);
  if (removed) {
    impl_->batch_ids.erase(id_term);
    if (impl_->keys) impl_->keys->delete_document(id_term);
  }
  if (impl_->index->committed_contains(id_term)) {
    impl_->index->delete_committed(id_term);
    removed = true;
  }
  if (!removed) return false;
  if (++impl_->pending >= impl_->options.batch_size) impl_->commit_now();
  return true;
}

void IndexWriter::commit() {
  drain();
  impl_->commit_now();
}

void IndexWriter::rollback() {
  drain();
  impl_->index->rollback();
  impl_->pending = 0;
  impl_->batch_ids.clear();
  impl_->keys.reset();
  impl_->dedup_view.reset();
}

std::size_t IndexWriter::article_count() const {
  const_cast<IndexWriter*>(this)->drain();
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
