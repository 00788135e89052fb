// Boolean matching into bit sets: which documents of one segment a query matches,
// read straight from posting lists. Counting facets and totals needs only that, while
// Xapian's matcher walks every match through its weighting machinery and hands each
// to the match spies as a Document. Covers queries made of terms and the boolean
// operators (AND, OR, AND_NOT, XOR, FILTER, AND_MAYBE, SYNONYM, MAX, SCALE_WEIGHT,
// match-all); anything else (phrases, wildcards, value ranges, posting sources) gives
// no answer, and its matches are counted through Xapian instead.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <xapian.h>

namespace gazette::searcher {

// Bit d set: document d of the segment matches.
class MatchBits {
 public:
  explicit MatchBits(Xapian::docid last) : words_(last / 64 + 1, 0) {}
  void set(Xapian::docid id) { words_[id / 64] |= std::uint64_t{1} << (id % 64); }
  std::vector<std::uint64_t>& words() { return words_; }
  const std::vector<std::uint64_t>& words() const { return words_; }
  // Keeps only the documents `other` holds too.
  void intersect(const MatchBits& other) {
    for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= other.words_[w];
  }
  std::size_t count() const {
    std::size_t count = 0;
    for (const std::uint64_t word : words_) count += static_cast<std::size_t>(__builtin_popcountll(word));
    return count;
  }
  // Calls `visit(id)` for every set bit, in order; returns how many there are.
  template <typename Visit>
  std::size_t for_each(Visit&& visit) const {
    std::size_t count = 0;
    for (std::size_t word = 0; word < words_.size(); ++word) {
      for (std::uint64_t bits = words_[word]; bits != 0; bits &= bits - 1) {
        visit(static_cast<Xapian::docid>(word * 64 + static_cast<unsigned>(__builtin_ctzll(bits))));
        ++count;
      }
    }
    return count;
  }

 private:
  std::vector<std::uint64_t> words_;
};

// The documents of `segment` that `query` matches, or nothing when the query holds a
// part this does not evaluate.
std::optional<MatchBits> match_bits(const Xapian::Database& segment, const Xapian::Query& query);

}  // namespace gazette::searcher
