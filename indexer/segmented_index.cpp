// Segments: writing a batch into fresh databases, publishing them, deleting across
// segments, tiered merges by compaction on a thread of their own, and recovery from a
// crashed writer.
#include "indexer/segmented_index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <thread>

#include "core/schema.h"
#include "core/xapian_error.h"
#include "gazette/errors.h"

namespace gazette::indexer {
namespace {

namespace fs = std::filesystem;

using core::kLockFile;

// How long a writer waits for the write lock before reporting the index locked.
constexpr std::chrono::milliseconds kLockWait{1000};

}  // namespace

void rethrow_index_error(const std::string& path, const Xapian::Error& error) {
  if (std::string_view(error.get_type()) == "DatabaseLockError") throw IndexLockedError(path);
  throw IndexError(path + ": " + core::xapian_message(error));
}

SegmentedIndex::SegmentedIndex(const std::string& path, bool create, MergePolicy policy)
    : path_(path), policy_(policy), lanes_(1) {
  std::error_code error;
  if (!fs::is_directory(path_, error)) {
    if (!create) throw core::no_index_error(path_);
    fs::create_directories(path_, error);
    if (error) throw IndexError(path_ + ": " + error.message());
  }
  lock_fd_ = ::open((fs::path(path_) / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    throw IndexError(path_ + ": cannot open the write lock " + kLockFile + ": " + std::strerror(errno) +
                     (errno == EROFS || errno == EACCES ? " (the index can be searched but not written)" : ""));
  }
  // A reader finishing a killed writer's deletions holds the lock for a moment (see
  // core::open_index): the writer waits up to a second for it, polling, as SQLite's busy
  // timeout does, before saying another writer holds the index.
  const auto give_up = std::chrono::steady_clock::now() + kLockWait;
  while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= give_up) {
      ::close(lock_fd_);
      throw IndexLockedError(path_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  try {
    if (!core::has_manifest(path_)) {
      if (core::is_single_database(path_)) {
        convert_single_database();
      } else if (!create) {
        throw core::no_index_error(path_);
      }
    }
    core::Manifest manifest;
    if (core::has_manifest(path_)) manifest = core::read_manifest(path_);
    for (const std::string& segment : manifest.segments) {
      next_number_ = std::max<std::uint64_t>(next_number_, core::segment_number(segment) + 1);
    }
    if (manifest.segments.empty()) {
      // A new index: one empty segment, so that readers always have a database to open.
      const std::string name = reserve_segment();
      Xapian::WritableDatabase(core::segment_path(path_, name), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS).close();
      manifest.segments.push_back(name);
      core::write_manifest(path_, manifest);
    }
    manifest_ = manifest;
    remove_unpublished();
    const core::OpenedIndex opened = open_segments();
    for (std::size_t i = 0; i < manifest_.segments.size(); ++i) {
      sizes_[manifest_.segments[i]] = opened.segments[i].get_doccount();
    }
    if (!manifest_.pending_ids.empty()) apply_pending_deletes();
  } catch (const Xapian::Error& xapian_error) {
    ::close(lock_fd_);
    rethrow_index_error(path_, xapian_error);
  } catch (...) {
    ::close(lock_fd_);
    throw;
  }
  merger_ = std::thread([this] { merge_loop(); });
}

SegmentedIndex::~SegmentedIndex() {
  stop_merging();
  try {
    rollback();
  } catch (...) {
    // An uncommitted segment left behind is removed by the next writer.
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void SegmentedIndex::stop_merging() {
  {
    std::lock_guard lock(state_mutex_);
    stopping_ = true;
  }
  state_changed_.notify_all();
  if (merger_.joinable()) merger_.join();
}

void SegmentedIndex::set_lanes(std::size_t lanes) {
  rollback();
  lanes_.clear();
  lanes_.resize(std::max<std::size_t>(1, lanes));
}

void SegmentedIndex::convert_single_database() {
  // The index directory is itself a Xapian database. Its files are hard-linked into a
  // segment and the manifest written; only then is "iamglass" removed, which is what
  // makes Xapian read the manifest instead. Until that moment the old layout is whole.
  const std::string name = core::segment_name(1);
  const fs::path segment = fs::path(path_) / name;
  fs::remove_all(segment);
  fs::create_directories(segment);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path_)) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || file == kLockFile || file == "flintlock") continue;
    fs::create_hard_link(entry.path(), segment / file);
    files.push_back(entry.path());
  }
  core::write_manifest(path_, core::Manifest{{name}, {}, {}});
  fs::remove(fs::path(path_) / "iamglass");
  for (const fs::path& file : files) fs::remove(file);
  fs::remove(fs::path(path_) / "flintlock");
}

void SegmentedIndex::remove_unpublished() {
  // Segments a crashed writer (or merge) created but never published.
  const std::set<std::string> live(manifest_.segments.begin(), manifest_.segments.end());
  for (const auto& entry : fs::directory_iterator(path_)) {
    const std::string name = entry.path().filename().string();
    const std::uint64_t number = core::segment_number(name);
    if (number == 0 || live.count(name)) continue;
    next_number_ = std::max<std::uint64_t>(next_number_, number + 1);
    fs::remove_all(entry.path());
  }
}

core::OpenedIndex SegmentedIndex::open_segments() {
  // The published list, as readers open it (the merge thread may have just replaced it).
  committed_ = core::open_index(path_, core::Pending::kAsListed);
  return committed_;
}

std::string SegmentedIndex::reserve_segment() { return core::segment_name(next_number_++); }

Xapian::WritableDatabase& SegmentedIndex::open_batch(Lane& lane) {
  if (!lane.batch) {
    // Lanes open their batches from their own threads: segment numbers are atomic.
    lane.name = reserve_segment();
    const std::string directory = core::segment_path(path_, lane.name);
    fs::remove_all(directory);
    lane.batch.emplace(directory, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  }
  return *lane.batch;
}

bool SegmentedIndex::committed_contains(const std::string& id_term) const {
  return !deleted_.count(id_term) && committed_.all.term_exists(id_term);
}

void SegmentedIndex::delete_committed(const std::string& id_term) { deleted_.insert(id_term); }

bool SegmentedIndex::lane_contains(std::size_t lane, const std::string& id_term) {
  const Lane& writing = lanes_[lane];
  return writing.batch && writing.batch->term_exists(id_term);
}

void SegmentedIndex::store(std::size_t lane, const std::string& id_term, const Xapian::Document& document) {
  try {
    open_batch(lanes_[lane]).replace_document(id_term, document);
  } catch (const Xapian::Error& error) {
    rethrow_index_error(path_, error);
  }
}

void SegmentedIndex::add_spelling(std::size_t lane, const std::string& word, Xapian::termcount count) {
  lanes_[lane].spelling[word] += count;
}

bool SegmentedIndex::remove_uncommitted(std::size_t lane, const std::string& id_term) {
  try {
    if (!lane_contains(lane, id_term)) return false;
    lanes_[lane].batch->delete_document(id_term);
    return true;
  } catch (const Xapian::Error& error) {
    rethrow_index_error(path_, error);
  }
}

std::size_t SegmentedIndex::article_count() {
  std::size_t count = committed_.all.get_doccount() - deleted_.size();
  for (const Lane& lane : lanes_) {
    if (lane.batch) count += lane.batch->get_doccount();
  }
  return count;
}

std::size_t SegmentedIndex::segment_count() {
  std::lock_guard lock(state_mutex_);
  return manifest_.segments.size();
}

void SegmentedIndex::flush(std::size_t lane) {
  Lane& writing = lanes_[lane];
  if (!writing.batch && writing.spelling.empty()) return;
  try {
    Xapian::WritableDatabase& batch = open_batch(writing);
    // One add_spelling per distinct word of the batch, not per word per article.
    for (const auto& [word, count] : writing.spelling) batch.add_spelling(word, count);
    writing.spelling.clear();
    batch.commit();
  } catch (const Xapian::Error& error) {
    rethrow_index_error(path_, error);
  }
}

void SegmentedIndex::commit() {
  const bool any_batch = std::any_of(lanes_.begin(), lanes_.end(), [](const Lane& lane) {
    return lane.batch.has_value() || !lane.spelling.empty();
  });
  if (!any_batch && deleted_.empty()) return;
  try {
    std::vector<std::pair<std::string, std::size_t>> added;  // Name, articles.
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      flush(lane);
      Lane& writing = lanes_[lane];
      if (!writing.batch) continue;
      const std::size_t articles = writing.batch->get_doccount();
      const bool has_spelling = writing.batch->spellings_begin() != writing.batch->spellings_end();
      writing.batch->close();
      writing.batch.reset();
      if (articles == 0 && !has_spelling) {
        fs::remove_all(core::segment_path(path_, writing.name));
      } else {
        added.emplace_back(writing.name, articles);
      }
    }
    {
      std::unique_lock lock(state_mutex_);
      if (merge_failure_) std::rethrow_exception(std::exchange(merge_failure_, nullptr));
      core::Manifest next = manifest_;
      for (const auto& [name, articles] : added) {
        next.segments.push_back(name);
        sizes_[name] = articles;
      }
      if (!deleted_.empty()) {
        // Delete from every segment before the first one this commit adds.
        next.pending_before = added.empty() ? "" : added.front().first;
        for (const std::string& id_term : deleted_) next.pending_ids.push_back(id_term.substr(core::schema::kId.size()));
      }
      publish_locked(std::move(next));
    }
    const bool deletes = !deleted_.empty();
    deleted_.clear();
    if (deletes) {
      apply_pending_deletes();  // Opens the segments afresh when done.
    } else {
      open_segments();
    }
    state_changed_.notify_all();  // The merge thread looks at the new list.
  } catch (const Xapian::Error& error) {
    rethrow_index_error(path_, error);
  } catch (const fs::filesystem_error& error) {
    throw IndexError(path_ + ": " + error.what());
  }
}

void SegmentedIndex::rollback() {
  for (Lane& lane : lanes_) {
    lane.spelling.clear();
    if (!lane.batch) continue;
    try {
      lane.batch->close();
    } catch (const Xapian::Error&) {
      // Removed below either way.
    }
    lane.batch.reset();
    std::error_code ignored;
    fs::remove_all(core::segment_path(path_, lane.name), ignored);
  }
  deleted_.clear();
}

void SegmentedIndex::publish_locked(core::Manifest next) {
  const std::vector<std::string> before = manifest_.segments;
  core::write_manifest(path_, next);
  manifest_ = std::move(next);
  for (const std::string& segment : before) {
    if (std::find(manifest_.segments.begin(), manifest_.segments.end(), segment) == manifest_.segments.end()) {
      // Readers that opened it keep their open files; new readers never see it.
      sizes_.erase(segment);
      std::error_code ignored;
      fs::remove_all(core::segment_path(path_, segment), ignored);
    }
  }
}

std::vector<std::size_t> SegmentedIndex::sizes_locked() const {
  std::vector<std::size_t> sizes;
  for (const std::string& segment : manifest_.segments) {
    const auto found = sizes_.find(segment);
    sizes.push_back(found == sizes_.end() ? 0 : found->second);
  }
  return sizes;
}

void SegmentedIndex::apply_pending_deletes() {
  // Merges copy segments: none may run while older segments lose articles.
  std::unique_lock lock(state_mutex_);
  merges_paused_ = true;
  state_changed_.wait(lock, [&] { return !merging_; });
  const core::Manifest pending = manifest_;
  lock.unlock();
  try {
    // Idempotent: a writer that crashed here left the same list, and deleting what is
    // already gone does nothing.
    const auto counts = core::delete_pending(path_, pending);
    lock.lock();
    for (const auto& [segment, articles] : counts) sizes_[segment] = articles;
    core::Manifest done = manifest_;
    done.pending_ids.clear();
    done.pending_before.clear();
    publish_locked(std::move(done));
    merges_paused_ = false;
    lock.unlock();
    state_changed_.notify_all();
  } catch (...) {
    if (!lock.owns_lock()) lock.lock();
    merges_paused_ = false;
    lock.unlock();
    state_changed_.notify_all();
    throw;
  }
  open_segments();
}

std::string SegmentedIndex::merge(const std::vector<std::string>& names) {
  const std::string name = reserve_segment();
  const std::string directory = core::segment_path(path_, name);
  Xapian::Database sources;
  for (const std::string& segment : names) {
    sources.add_database(Xapian::Database(core::segment_path(path_, segment), Xapian::DB_BACKEND_GLASS));
  }
  fs::remove_all(directory);
  // Renumbered into one sequence, blocks filled: a merged segment is never written
  // again except for deletions.
  sources.compact(directory, Xapian::Compactor::FULLER);
  return name;
}

void SegmentedIndex::merge_loop() {
  std::unique_lock lock(state_mutex_);
  while (true) {
    std::optional<MergeRange> range;
    state_changed_.wait(lock, [&] {
      if (stopping_) return true;
      if (merges_paused_ || merge_failure_ || !manifest_.pending_ids.empty()) return false;
      range = choose_merge(sizes_locked(), policy_);
      return range.has_value();
    });
    if (stopping_) return;
    merging_ = true;
    try {
      merge_and_publish(lock, names_of(*range));
    } catch (...) {
      merge_failure_ = std::current_exception();  // Rethrown by the next commit; the index is as before.
    }
    merging_ = false;
    state_changed_.notify_all();
  }
}

void SegmentedIndex::wait_for_merges() {
  std::unique_lock lock(state_mutex_);
  state_changed_.wait(lock, [&] {
    return merge_failure_ || (!merging_ && (merges_paused_ || !choose_merge(sizes_locked(), policy_)));
  });
  if (merge_failure_) std::rethrow_exception(std::exchange(merge_failure_, nullptr));
}

std::vector<std::string> SegmentedIndex::names_of(const MergeRange& range) const {
  return {manifest_.segments.begin() + static_cast<std::ptrdiff_t>(range.first),
          manifest_.segments.begin() + static_cast<std::ptrdiff_t>(range.last)};
}

void SegmentedIndex::merge_and_publish(std::unique_lock<std::mutex>& lock, const std::vector<std::string>& names) {
  std::size_t articles = 0;
  for (const std::string& segment : names) articles += sizes_[segment];
  lock.unlock();
  std::string merged;
  try {
    merged = merge(names);
  } catch (...) {
    lock.lock();
    throw;
  }
  lock.lock();
  // Commits only append, and nothing else changes segments while a merge runs: the
  // merged run is still in place, in order.
  core::Manifest next = manifest_;
  const auto first = std::find(next.segments.begin(), next.segments.end(), names.front());
  const auto position = next.segments.erase(first, first + static_cast<std::ptrdiff_t>(names.size()));
  next.segments.insert(position, merged);
  sizes_[merged] = articles;
  publish_locked(std::move(next));
}

void SegmentedIndex::merge_exclusively(
    const std::function<std::optional<MergeRange>(const std::vector<std::size_t>&)>& choose) {
  std::unique_lock lock(state_mutex_);
  state_changed_.wait(lock, [&] { return !merging_; });
  const std::optional<MergeRange> range = choose(sizes_locked());
  if (!range || merges_paused_ || !manifest_.pending_ids.empty()) return;
  merges_paused_ = true;  // The merge thread stays out until this merge is published.
  std::exception_ptr error;
  try {
    merge_and_publish(lock, names_of(*range));
  } catch (const Xapian::Error& xapian_error) {
    error = std::make_exception_ptr(IndexError(path_ + ": " + core::xapian_message(xapian_error)));
  } catch (...) {
    error = std::current_exception();
  }
  merges_paused_ = false;
  lock.unlock();
  state_changed_.notify_all();
  if (error) std::rethrow_exception(error);
}

void SegmentedIndex::merge_for_close() {
  wait_for_merges();
  merge_exclusively([&](const std::vector<std::size_t>& sizes) { return choose_closing_merge(sizes, policy_); });
}

void SegmentedIndex::merge_all() {
  commit();
  wait_for_merges();
  merge_exclusively([](const std::vector<std::size_t>& sizes) { return MergeRange{0, sizes.size()}; });
  open_segments();
}

}  // namespace gazette::indexer
