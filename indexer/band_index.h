// Near-duplicate candidates of the committed index by MinHash band, held in memory and
// derived from the signatures each segment stores (schema::kSignatureSlot), so that the
// index need not store 20 band terms per article (almost all unique, each a posting
// list of its own: a third of the postlist table and of the time spent writing it).
// Segments are immutable once published apart from deletions, so each segment's bands
// are read once (one pass over its value stream) and kept until a merge retires it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/dedup.h"

namespace gazette::indexer {

// One segment's (band key, docid) pairs, sorted.
class SegmentBands {
 public:
  explicit SegmentBands(const Xapian::Database& segment);

  // Calls `visit(docid)` for each document of the segment with this band key. An
  // article deleted after the segment was read is still visited: its signature is gone,
  // so the caller's check of the candidate drops it.
  template <typename Visit>
  void find(std::uint32_t key, Visit&& visit) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), std::uint64_t{key} << 32);
    for (; it != entries_.end() && (*it >> 32) == key; ++it) visit(static_cast<Xapian::docid>(*it & 0xffffffffu));
  }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::uint64_t> entries_;  // key << 32 | docid.
};

// The bands of every committed segment, in the order the segments are opened.
class CommittedBands {
 public:
  // Brings the cache up to date with the committed segments (names and databases in
  // the same order): reads segments it has not seen, forgets those merged away.
  void update(const std::vector<std::string>& names, const std::vector<Xapian::Database>& segments);

  // Calls `visit(position, docid)` for each committed document with this band key:
  // its segment's position in the list given to update() and its docid there.
  template <typename Visit>
  void find(std::uint32_t key, Visit&& visit) const {
    for (std::size_t position = 0; position < bands_.size(); ++position) {
      bands_[position]->find(key, [&](Xapian::docid docid) { visit(position, docid); });
    }
  }
  std::size_t segments() const { return bands_.size(); }
  std::size_t size() const;

 private:
  std::vector<std::string> names_;
  std::vector<std::shared_ptr<const SegmentBands>> bands_;
};

}  // namespace gazette::indexer
