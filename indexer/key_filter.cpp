// The duplicate-key Bloom filter: 10 bits and 7 probes per key (about 1% false
// positives), probes by double hashing of one 64-bit hash.
#include "indexer/key_filter.h"

namespace gazette::indexer {
namespace {

constexpr std::size_t kBitsPerKey = 10;
constexpr int kProbes = 7;
constexpr std::size_t kFirstCapacity = 1 << 20;

std::uint64_t hash_key(std::string_view key) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, then a SplitMix64 finish.
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  hash ^= hash >> 31;
  hash *= 0xBF58476D1CE4E5B9ull;
  hash ^= hash >> 29;
  return hash;
}

}  // namespace

bool KeyFilter::test(const Part& part, std::uint64_t hash) {
  const std::uint64_t bits = part.bits.size() * 64;
  const std::uint64_t step = (hash >> 32) | 1;
  for (int probe = 0; probe < kProbes; ++probe) {
    const std::uint64_t bit = (hash + static_cast<std::uint64_t>(probe) * step) % bits;
    if (!(part.bits[bit / 64] & (std::uint64_t{1} << (bit % 64)))) return false;
  }
  return true;
}

void KeyFilter::add(std::string_view key) {
  if (parts_.empty() || parts_.back().keys >= parts_.back().capacity) {
    Part part;
    part.capacity = parts_.empty() ? kFirstCapacity : parts_.back().capacity * 2;
    part.bits.assign(part.capacity * kBitsPerKey / 64 + 1, 0);
    parts_.push_back(std::move(part));
  }
  Part& part = parts_.back();
  const std::uint64_t hash = hash_key(key);
  const std::uint64_t bits = part.bits.size() * 64;
  const std::uint64_t step = (hash >> 32) | 1;
  for (int probe = 0; probe < kProbes; ++probe) {
    const std::uint64_t bit = (hash + static_cast<std::uint64_t>(probe) * step) % bits;
    part.bits[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  ++part.keys;
  ++keys_;
}

bool KeyFilter::may_contain(std::string_view key) const {
  const std::uint64_t hash = hash_key(key);
  for (const Part& part : parts_) {
    if (test(part, hash)) return true;
  }
  return false;
}

}  // namespace gazette::indexer
