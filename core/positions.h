// Word positions of the long text fields as one compact record per article.
//
// Xapian keeps a position list per word and article in its position table: one B-tree
// entry per (term, article), keyed by the term and the document id. For news text that
// table was the largest part of an index (2.1 of 5.6 GB at a million articles) and a
// third of the time spent writing it. The default field (title and body) and the reader
// comments therefore keep their positions here instead, in value slot
// schema::kPositionsSlot: the field's distinct terms as short hashes, and for each
// position which of them stands there, packed in as few bits as the article needs.
// Phrases and NEAR read the record back (searcher/positional.h): a query word's hash
// finds its index without reading anything else of the article (a word whose hash
// another of the article's words shares is told apart through the article's termlist,
// about one word in 2^kHashSlack). Short fields (title, author, outlet, tags) keep
// Xapian's position lists.
//
// Record: a version byte (1), then per field in Field order: varint K (the field's
// distinct terms; 0 = no positions), and when K > 0: the K term hashes in ascending
// order (ties in term byte order), each in hash_bits(K) bits; varint runs, per run
// varint first position and varint count; then one index (into the hash order) per
// position of every run in order, each in index_bits(K) bits. Bit fields are packed
// least significant first; each of the two packed sequences is padded to a byte.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace gazette::core::positions {

enum class Field : std::uint8_t { kText = 0, kComments = 1 };
inline constexpr std::size_t kFields = 2;

// The field whose positions a term keeps in the record, if any (by its prefix).
std::optional<Field> field_of(std::string_view term);

// Bits per term index: bit_width(K - 1), at least 1.
unsigned index_bits(std::uint32_t distinct);
// Bits per term hash: enough to tell K terms apart, plus kHashSlack.
inline constexpr unsigned kHashSlack = 6;
unsigned hash_bits(std::uint32_t distinct);
// A term's hash in `bits` bits (the high bits of a 64-bit hash of its bytes).
std::uint32_t term_hash(std::string_view term, unsigned bits);

// Collects an article's positions while it is analysed. Positions of a field must come
// in increasing order.
class Encoder {
 public:
  void add(Field field, const std::string& term, Xapian::termpos position);
  // The record ("" when nothing was added); the encoder is empty again afterwards.
  std::string finish();

 private:
  struct Slot {
    Xapian::termpos position;
    const std::uint32_t* index;  // The term's entry in `terms`, set by finish().
  };
  struct FieldPositions {
    std::map<std::string, std::uint32_t, std::less<>> terms;  // Distinct terms → index.
    std::vector<Slot> slots;
  };
  static void put_bits(std::string& out, const std::vector<std::uint32_t>& values, unsigned bits);
  std::array<FieldPositions, kFields> fields_;
};

// One field's positions, decoded.
struct FieldPositions {
  std::uint32_t distinct = 0;              // K: the field's distinct terms.
  std::vector<std::uint32_t> hashes;       // Per distinct term, ascending (hash_bits(K) bits).
  std::vector<Xapian::termpos> positions;  // Ascending.
  std::vector<std::uint32_t> term_index;   // Per position: index into `hashes`.
};

// Throws std::runtime_error naming what is wrong with a malformed record.
std::array<FieldPositions, kFields> decode(std::string_view record);

// A record read in place, for phrase matching: each query word needs a look-up among
// the hashes and one pass over the indexes, not the record unpacked.
class Record {
 public:
  // Checks the record's layout and its hash order (std::runtime_error when malformed).
  explicit Record(std::string_view record);

  std::uint32_t distinct(Field field) const { return fields_[static_cast<std::size_t>(field)].distinct; }
  // Indexes [first, last) of the field's distinct terms with this hash.
  std::pair<std::uint32_t, std::uint32_t> find(Field field, std::uint32_t hash) const;
  // Positions, ascending, where a term of `indexes` stands (appended to `out`).
  void positions_of(Field field, const std::vector<std::uint32_t>& indexes, std::vector<Xapian::termpos>& out) const;
  std::uint32_t hash_at(Field field, std::uint32_t index) const;

 private:
  struct Packed {
    std::uint32_t distinct = 0;
    unsigned hash_bits = 0, index_bits = 0;
    std::string_view hashes, indexes;
    std::vector<std::pair<Xapian::termpos, std::uint32_t>> runs;  // First position, count.
    std::uint64_t total = 0;
  };
  // Calls `visit(position, index)` for every position of the field, in order (defined
  // where used, in positions.cpp).
  template <typename Visit>
  void scan(Field field, Visit&& visit) const;
  friend std::array<FieldPositions, kFields> decode(std::string_view record);

  std::array<Packed, kFields> fields_;
};

}  // namespace gazette::core::positions
