// A Bloom filter over the duplicate-detection keys already in an index (text hashes,
// URLs, MinHash bands): most keys of a new article are in no other article, and the
// filter says so from memory, where asking the index means a B-tree look-up in every
// segment. Grows by adding larger filters, so it needs no size up front.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace gazette::indexer {

class KeyFilter {
 public:
  void add(std::string_view key);
  // False only when `key` was never added; true for every added key and, about once in
  // a hundred, for another.
  bool may_contain(std::string_view key) const;
  std::size_t size() const { return keys_; }

 private:
  struct Part {
    std::vector<std::uint64_t> bits;
    std::size_t capacity = 0;  // Keys it takes before the next part starts.
    std::size_t keys = 0;
  };
  static bool test(const Part& part, std::uint64_t hash);
  std::vector<Part> parts_;
  std::size_t keys_ = 0;
};

}  // namespace gazette::indexer
