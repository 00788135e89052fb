// Near-duplicate candidates of one segment by MinHash band, held in memory and derived
// from the signatures the segment stores (schema::kSignatureSlot), so that the index
// need not store 20 band terms per article (almost all unique, each a posting list of
// its own: a third of the postlist table and of the time spent writing it).
// Work in progress (issue 12): not yet used by the writer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include <xapian.h>

#include "indexer/dedup.h"

namespace gazette::indexer {

class SegmentBands {
 public:
  // Reads every signature of `segment` (one pass over its value stream).
  explicit SegmentBands(const Xapian::Database& segment);

  // Calls `visit(docid)` for each document of the segment with this band key.
  template <typename Visit>
  void find(std::uint32_t key, Visit&& visit) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), std::uint64_t{key} << 32);
    for (; it != entries_.end() && (*it >> 32) == key; ++it) visit(static_cast<Xapian::docid>(*it & 0xffffffffu));
  }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::uint64_t> entries_;  // key << 32 | docid, sorted.
};

}  // namespace gazette::indexer
