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
    : path_(path), policy_(policy) {
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
      next_number_ = std::max(next_number_, core::segment_number(segment) + 1);
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
  if (batch_) {
    try {
      rollback();
    } catch (...) {
      // The batch's directory is removed by the next writer.
    }
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
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
    next_number_ = std::max(next_number_, number + 1);
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

Xapian::WritableDatabase& SegmentedIndex::open_batch() {
  if (!batch_) {
    batch_name_ = reserve_segment();
    const std::string directory = core::segment_path(path_, batch_name_);
    fs::remove_all(directory);
    batch_.emplace(directory, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    view_.reset();
  }
  return *batch_;
}

const Xapian::Database& SegmentedIndex::view() {
  if (!view_) {
    view_.emplace(committed_);
    if (batch_) view_->add_database(*batch_);
  }
  return *view_;
}

bool SegmentedIndex::contains(const std::string& id_term) {
  if (batch_ && batch_->term_exists(id_term)) return true;
  return !deleted_.count(id_term) && committed_.term_exists(id_term);
}

bool SegmentedIndex::store(const std::string& id_term, const Xapian::Document& document) {
  try {
    Xapian::WritableDatabase& batch = open_batch();
    bool replaced = batch.term_exists(id_term);
    if (!deleted_.count(id_term) && committed_.term_exists(id_term)) {
      deleted_.insert(id_term);  // The committed copy goes when this batch is published.
      replaced = true;
    }
    batch.replace_document(id_term, document);
    ++pending_changes_;
    return replaced;
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

bool SegmentedIndex::remove(const std::string& id_term) {
  try {
    bool removed = false;
    if (batch_ && batch_->term_exists(id_term)) {
      batch_->delete_document(id_term);
      removed = true;
    }
    if (!deleted_.count(id_term) && committed_.term_exists(id_term)) {
      deleted_.insert(id_term);
      removed = true;
    }
    if (removed) ++pending_changes_;
    return removed;
  } catch (const Xapian::Error& error) {
    rethrow(path_, error);
  }
}

void SegmentedIndex::add_spelling(const std::string& word, Xapian::termcount count) { spelling_[word] += count; }

std::size_t SegmentedIndex::article_count() {
  std::size_t count = committed_.get_doccount() - deleted_.size();
  if (batch_) count += batch_->get_doccount();
  return count;
}

void SegmentedIndex::commit() {
  if (!batch_ && deleted_.empty()) return;
  try {
    core::Manifest next = manifest_;
    if (batch_) {
      for (const auto& [word, count] : spelling_) batch_->add_spelling(word, count);
      batch_->commit();
      const bool empty = batch_->get_doccount() == 0;
      batch_->close();
      batch_.reset();
      view_.reset();
      if (empty) {
        fs::remove_all(core::segment_path(path_, batch_name_));
      } else {
        drop_empty(next);
        next.segments.push_back(batch_name_);
      }
    }
    if (!deleted_.empty()) {
      next.pending_before = next.segments.empty() || next.segments.back() != batch_name_ ? "" : batch_name_;
      for (const std::string& id_term : deleted_) next.pending_ids.push_back(id_term.substr(core::schema::kId.size()));
    }
    spelling_.clear();
    deleted_.clear();
    pending_changes_ = 0;
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
  if (batch_) {
    try {
      batch_->close();
    } catch (const Xapian::Error&) {
      // Removed below either way.
    }
    batch_.reset();
    std::error_code ignored;
    fs::remove_all(core::segment_path(path_, batch_name_), ignored);
  }
  view_.reset();
  deleted_.clear();
  spelling_.clear();
  pending_changes_ = 0;
}

void SegmentedIndex::drop_empty(core::Manifest& next) const {
  // Called before a segment is appended, so the list never ends up empty. Segments
  // with pending deletions are left alone: they are not empty yet.
  if (!next.pending_ids.empty()) return;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < next.segments.size(); ++i) {
    if (i < segments_.size() && next.segments[i] == manifest_.segments[i] && segments_[i].get_doccount() == 0) continue;
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
    if (reader.get_doccount() > 0) kept.push_back(segment);
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

void SegmentedIndex::adopt_segment(const std::string& directory) {
  const std::string name = reserve_segment();
  fs::rename(directory, core::segment_path(path_, name));
  core::Manifest next = manifest_;
  drop_empty(next);
  next.segments.push_back(name);
  publish(std::move(next));
  merge_by_policy();
}

}  // namespace gazette::indexer
