// Band keys of stored signatures (indexer/band_index.h).
#include "indexer/band_index.h"

#include <algorithm>

#include "core/schema.h"

namespace gazette::indexer {

SegmentBands::SegmentBands(const Xapian::Database& segment) {
  const Xapian::valueno slot = core::schema::kSignatureSlot;
  entries_.reserve(static_cast<std::size_t>(segment.get_value_freq(slot)) * kBands);
  for (auto it = segment.valuestream_begin(slot); it != segment.valuestream_end(slot); ++it) {
    const std::optional<Signature> signature = decode_signature(*it);
    if (!signature) continue;
    for (const std::uint32_t key : band_keys(*signature)) entries_.push_back(std::uint64_t{key} << 32 | it.get_docid());
  }
  std::sort(entries_.begin(), entries_.end());
}

}  // namespace gazette::indexer
