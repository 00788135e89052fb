// Band keys of stored signatures (indexer/band_index.h).
#include "indexer/band_index.h"

#include <algorithm>
#include <unordered_map>

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

void CommittedBands::update(const std::vector<std::string>& names, const std::vector<Xapian::Database>& segments) {
  std::unordered_map<std::string, std::shared_ptr<const SegmentBands>> known;
  for (std::size_t i = 0; i < names_.size(); ++i) known.emplace(names_[i], std::move(bands_[i]));
  names_ = names;
  bands_.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto found = known.find(names[i]);
    bands_.push_back(found != known.end() ? found->second : std::make_shared<const SegmentBands>(segments[i]));
  }
}

std::size_t CommittedBands::size() const {
  std::size_t total = 0;
  for (const auto& bands : bands_) total += bands->size();
  return total;
}

}  // namespace gazette::indexer
