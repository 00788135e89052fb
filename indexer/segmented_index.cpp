// Segments: writing a batch into a fresh database, publishing it, deleting across
// segments, tiered merges by compaction, and recovery from a crashed writer.
#include "indexer/segmented_index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/schema.h"
#include "gazette/errors.h"

namespace gazette::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLockFile = "write.lock";

[[noreturn]] void rethrow(const std::string& path, const Xapian::Error& error) {
  if (std::string_view(error.get_type()) == "DatabaseLockError") throw IndexLockedError(path);
  throw IndexError(path + ": " + error.get_msg());
}

std::string id_term_of(const std::string& id) { return core::schema::id_term(id); }

}  // namespace

SegmentedIndex::SegmentedIndex(const std::string& path, bool create, MergePolicy policy)
    : path_(path), policy_(policy), lanes_(1) {
  std::error_code error;
  if (!fs::is_directory(path_, error)) {
    if (!create) throw IndexError("no index at " + path_ + " (create one with 'gazette index')");
    fs::create_directories(path_, error);
    if (error) throw IndexError(path_ + ": " + error.message());
  }
  lock_fd_ = ::open((fs::path(path_) / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw IndexError(path_ + ": cannot create the write lock");
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw IndexLockedError(path_);
  }
  try {
    if (!core::has_manifest(path_)) {
      if (core::is_single_database(path_)) {
        convert_single_database();
      } else if (!create) {
        throw IndexError("no index at " + path_ + " (create one with 'gazette index')");
      }
    }
    if (core::has_manifest(path_)) manifest_ = core::read_manifest(path_);
    for (const std::string& segment : manifest_.segments) {
      next_number_ = std::max<std::uint64_t>(next_number_, core::segment_number(segment) + 1);
    }
    remove_unpublished();
    if (manifest_.segments.empty()) {
      // A new index: one empty segment, so that readers always have a database to open.
      const std::string name = reserve_segment();
      Xapian::WritableDatabase(core::segment_path(path_, name), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS).close();
      manifest_.segments.push_back(name);
      core::write_manifest(path_, manifest_);
    }
    open_segments();
    if (!manifest_.pending_ids.empty()) apply_pending_deletes();
  } catch (const Xapian::Error& xapian_error) {
    ::close(lock_fd_);
    rethrow(path_, xapian_error);
  } catch (...) {
    ::close(lock_fd_);
    throw;
  }
}

SegmentedIndex::~SegmentedIndex() {
  try {
    rollback();
  } catch (...) {
    // An uncommitted segment left behind is removed by the next writer.
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
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

void SegmentedIndex::open_segments() {
  segments_.clear();
  committed_ = Xapian::Database();
  for (const std::string& segment : manifest_.segments) {
    segments_.emplace_back(core::segment_path(path_, segment), Xapian::DB_BACKEND_GLASS);
    committed_.add_database(segments_.back());
  }
  view_.reset();
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

const Xapian::Database& SegmentedIndex::view() {
  if (!view_) {
    view_.emplace(committed_);
    for (const Lane& lane : lanes_) {
      if (lane.batch) view_->add_database(*lane.batch);
    }
  }
  return *view_;
}

bool SegmentedIndex::committed_contains(const std::string& id_term) const {
  return !deleted_.count(id_term) && committed_.term_exists(id_term);
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
    rethrow(path_, error);
  }
}

bool SegmentedIndex::remove_uncommitted(std::size_t lane, const std::string& id_term) {
  try {
    if (!lane_contains(lane, id_term)) return false;
    lanes_[lane].batch->delete_document(id_term);
    view_.reset();
    return true;
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

bool SegmentedIndex::store(const std::string& id_term, const Xapian::Document& document) {
  try {
    const bool had_batch = lanes_[0].batch.has_value();
    bool replaced = lane_contains(0, id_term);
    if (committed_contains(id_term)) {
      delete_committed(id_term);  // The committed copy goes when this batch is published.
      replaced = true;
    }
    store(0, id_term, document);
    if (!had_batch) view_.reset();
    return replaced;
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

bool SegmentedIndex::remove(const std::string& id_term) {
  try {
    bool removed = remove_uncommitted(0, id_term);
    if (committed_contains(id_term)) {
      delete_committed(id_term);
      removed = true;
    }
    return removed;
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

void SegmentedIndex::add_spelling(const std::string& word, Xapian::termcount count) { spelling_[word] += count; }

std::size_t SegmentedIndex::article_count() {
  std::size_t count = committed_.get_doccount() - deleted_.size();
  for (const Lane& lane : lanes_) {
    if (lane.batch) count += lane.batch->get_doccount();
  }
  return count;
}

void SegmentedIndex::commit() {
  const bool any_batch = std::any_of(lanes_.begin(), lanes_.end(), [](const Lane& lane) { return lane.batch.has_value(); });
  if (!any_batch && deleted_.empty()) return;
  try {
    core::Manifest next = manifest_;
    std::vector<std::string> added;
    const bool spelling = !spelling_.empty();
    if (spelling) {
      Xapian::WritableDatabase& first = open_batch(lanes_[0]);
      for (const auto& [word, count] : spelling_) first.add_spelling(word, count);
    }
    for (Lane& lane : lanes_) {
      if (!lane.batch) continue;
      lane.batch->commit();
      // The first lane's segment holds the batch's spelling words, articles or not.
      const bool empty = lane.batch->get_doccount() == 0 && !(spelling && &lane == &lanes_[0]);
      lane.batch->close();
      lane.batch.reset();
      if (empty) {
        fs::remove_all(core::segment_path(path_, lane.name));
      } else {
        added.push_back(lane.name);
      }
    }
    view_.reset();
    if (!added.empty()) drop_empty(next);
    next.segments.insert(next.segments.end(), added.begin(), added.end());
    if (!deleted_.empty()) {
      // Delete from every segment before the first one this commit adds.
      next.pending_before = added.empty() ? "" : added.front();
      for (const std::string& id_term : deleted_) next.pending_ids.push_back(id_term.substr(core::schema::kId.size()));
    }
    spelling_.clear();
    deleted_.clear();
    publish(std::move(next));
    if (!manifest_.pending_ids.empty()) apply_pending_deletes();
    merge_by_policy();
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  } catch (const fs::filesystem_error& error) {
    throw IndexError(path_ + ": " + error.what());
  }
}

void SegmentedIndex::rollback() {
  for (Lane& lane : lanes_) {
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
  view_.reset();
  deleted_.clear();
  spelling_.clear();
}

void SegmentedIndex::drop_empty(core::Manifest& next) const {
  // Called before a segment is appended, so the list never ends up empty. Segments
  // with pending deletions are left alone: they are not empty yet.
  if (!next.pending_ids.empty()) return;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < next.segments.size(); ++i) {
    if (i < segments_.size() && next.segments[i] == manifest_.segments[i] && segments_[i].get_doccount() == 0 &&
        segments_[i].spellings_begin() == segments_[i].spellings_end()) {
      continue;
    }
    kept.push_back(next.segments[i]);
  }
  next.segments = std::move(kept);
}

void SegmentedIndex::publish(core::Manifest next) {
  const std::vector<std::string> before = manifest_.segments;
  core::write_manifest(path_, next);
  manifest_ = std::move(next);
  for (const std::string& segment : before) {
    if (std::find(manifest_.segments.begin(), manifest_.segments.end(), segment) == manifest_.segments.end()) {
      // Readers that opened it keep their open files; new readers never see it.
      std::error_code ignored;
      fs::remove_all(core::segment_path(path_, segment), ignored);
    }
  }
  open_segments();
}

void SegmentedIndex::apply_pending_deletes() {
  // Idempotent: a writer that crashed here left the same list, and deleting what is
  // already gone does nothing.
  const auto end = manifest_.pending_before.empty()
                       ? manifest_.segments.end()
                       : std::find(manifest_.segments.begin(), manifest_.segments.end(), manifest_.pending_before);
  for (auto segment = manifest_.segments.begin(); segment != end; ++segment) {
    const std::string directory = core::segment_path(path_, *segment);
    std::optional<Xapian::WritableDatabase> writable;
    {
      const Xapian::Database reader(directory, Xapian::DB_BACKEND_GLASS);
      bool any = false;
      for (const std::string& id : manifest_.pending_ids) any = any || reader.term_exists(id_term_of(id));
      if (!any) continue;
    }
    writable.emplace(directory, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    for (const std::string& id : manifest_.pending_ids) {
      if (writable->term_exists(id_term_of(id))) writable->delete_document(id_term_of(id));
    }
    writable->commit();
  }
  core::Manifest done = manifest_;
  done.pending_ids.clear();
  done.pending_before.clear();
  // Drop segments the deletions emptied (keeping at least one).
  std::vector<std::string> kept;
  for (const std::string& segment : done.segments) {
    const Xapian::Database reader(core::segment_path(path_, segment), Xapian::DB_BACKEND_GLASS);
    if (reader.get_doccount() > 0 || reader.spellings_begin() != reader.spellings_end()) kept.push_back(segment);
  }
  if (kept.empty()) kept.push_back(done.segments.back());
  done.segments = kept;
  publish(std::move(done));
}

void SegmentedIndex::merge(std::size_t first, std::size_t last) {
  const std::string name = reserve_segment();
  const std::string directory = core::segment_path(path_, name);
  Xapian::Database sources;
  for (std::size_t i = first; i < last; ++i) sources.add_database(segments_[i]);
  fs::remove_all(directory);
  // Renumbered into one sequence, blocks filled: the merged segment is never written
  // again except for deletions.
  sources.compact(directory, Xapian::Compactor::FULLER);
  core::Manifest next = manifest_;
  next.segments.erase(next.segments.begin() + static_cast<std::ptrdiff_t>(first),
                      next.segments.begin() + static_cast<std::ptrdiff_t>(last));
  next.segments.insert(next.segments.begin() + static_cast<std::ptrdiff_t>(first), name);
  publish(std::move(next));
}

void SegmentedIndex::merge_by_policy() {
  while (true) {
    std::vector<std::size_t> sizes;
    for (const Xapian::Database& segment : segments_) sizes.push_back(segment.get_doccount());
    const std::optional<MergeRange> range = choose_merge(sizes, policy_);
    if (!range) return;
    merge(range->first, range->last);
  }
}

void SegmentedIndex::merge_all() {
  commit();
  try {
    if (segments_.size() > 1 || manifest_.segments.size() == 1) merge(0, segments_.size());
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

}  // namespace gazette::indexer
