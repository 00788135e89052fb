// The positions record of core/positions.h: encoding at index time, decoding at query time.
#include "core/positions.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "core/schema.h"

namespace gazette::core::positions {

namespace {

constexpr char kVersion = 1;

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// The `index`-th value of `bits` bits in `packed` (least significant first).
std::uint32_t bits_at(std::string_view packed, std::uint64_t index, unsigned bits) {
  const std::uint64_t bit = index * bits;
  std::size_t byte = bit / 8;
  const unsigned shift = bit % 8;
  std::uint64_t buffer = 0;
  for (unsigned got = 0; got < shift + bits && byte < packed.size(); got += 8, ++byte) {
    buffer |= static_cast<std::uint64_t>(static_cast<unsigned char>(packed[byte])) << got;
  }
  return static_cast<std::uint32_t>((buffer >> shift) & ((std::uint64_t{1} << bits) - 1));
}

// Reads `bits`-bit values in order from `packed`.
class BitReader {
 public:
  BitReader(std::string_view packed, unsigned bits) : packed_(packed), bits_(bits), mask_((std::uint64_t{1} << bits) - 1) {}
  std::uint32_t next() {
    while (filled_ < bits_) {
      buffer_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(packed_[at_++])) << filled_;
      filled_ += 8;
    }
    const auto value = static_cast<std::uint32_t>(buffer_ & mask_);
    buffer_ >>= bits_;
    filled_ -= bits_;
    return value;
  }

 private:
  std::string_view packed_;
  unsigned bits_;
  std::uint64_t mask_;
  std::uint64_t buffer_ = 0;
  unsigned filled_ = 0;
  std::size_t at_ = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  std::uint64_t varint(const char* what) {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ >= data_.size()) fail(std::string("ends inside ") + what);
      const auto byte = static_cast<unsigned char>(data_[at_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    fail(std::string("has an overlong ") + what);
  }

  std::string_view bytes(std::size_t count, const char* what) {
    if (data_.size() - at_ < count) fail(std::string("ends inside ") + what);
    const std::string_view out = data_.substr(at_, count);
    at_ += count;
    return out;
  }

  bool done() const { return at_ == data_.size(); }

  [[noreturn]] static void fail(const std::string& why) {
    throw std::runtime_error("malformed positions record: it " + why);
  }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<Field> field_of(std::string_view term) {
  if (term.starts_with(schema::kComments)) return Field::kComments;
  // Unprefixed terms are case-folded words: they never start with an upper-case letter.
  if (term.empty() || term.front() < 'A' || term.front() > 'Z') return Field::kText;
  return std::nullopt;
}

unsigned index_bits(std::uint32_t distinct) {
  return distinct <= 1 ? 1 : static_cast<unsigned>(std::bit_width(distinct - 1));
}

unsigned hash_bits(std::uint32_t distinct) { return std::min(32u, index_bits(distinct) + kHashSlack); }

std::uint32_t term_hash(std::string_view term, unsigned bits) {
  // FNV-1a, then SplitMix64's finaliser so the high bits depend on every byte. Stored
  // in indexes: never change it.
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : term) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ull;
  hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebull;
  hash ^= hash >> 31;
  return static_cast<std::uint32_t>(hash >> (64 - bits));
}

void Encoder::put_bits(std::string& out, const std::vector<std::uint32_t>& values, unsigned bits) {
  std::uint64_t buffer = 0;
  unsigned filled = 0;
  for (const std::uint32_t value : values) {
    buffer |= static_cast<std::uint64_t>(value) << filled;
    filled += bits;
    while (filled >= 8) {
      out.push_back(static_cast<char>(buffer & 0xff));
      buffer >>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) out.push_back(static_cast<char>(buffer & 0xff));
}

void Encoder::add(Field field, const std::string& term, Xapian::termpos position) {
  FieldPositions& positions = fields_[static_cast<std::size_t>(field)];
  if (!positions.slots.empty() && positions.slots.back().position >= position) {
    throw std::logic_error("positions of a field must increase");
  }
  auto it = positions.terms.find(term);
  if (it == positions.terms.end()) it = positions.terms.emplace(term, 0).first;
  positions.slots.push_back(Slot{position, &it->second});
}

std::string Encoder::finish() {
  bool any = false;
  for (const FieldPositions& field : fields_) any = any || !field.slots.empty();
  std::string out;
  if (any) {
    out.push_back(kVersion);
    for (FieldPositions& field : fields_) {
      const auto distinct = static_cast<std::uint32_t>(field.terms.size());
      put_varint(out, distinct);
      if (distinct == 0) continue;
      // The distinct terms in hash order (ties in term order: the map's order).
      const unsigned bits = hash_bits(distinct);
      std::vector<std::pair<std::uint32_t, std::uint32_t*>> order;
      order.reserve(distinct);
      for (auto& [term, slot_index] : field.terms) order.emplace_back(term_hash(term, bits), &slot_index);
      std::stable_sort(order.begin(), order.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::uint32_t> hashes;
      hashes.reserve(distinct);
      for (std::uint32_t index = 0; index < distinct; ++index) {
        hashes.push_back(order[index].first);
        *order[index].second = index;
      }
      put_bits(out, hashes, bits);

      // Runs of consecutive positions.
      std::vector<std::pair<Xapian::termpos, std::uint64_t>> runs;
      for (const Slot& slot : field.slots) {
        if (!runs.empty() && runs.back().first + runs.back().second == slot.position) {
          ++runs.back().second;
        } else {
          runs.emplace_back(slot.position, 1);
        }
      }
      put_varint(out, runs.size());
      for (const auto& [first, count] : runs) {
        put_varint(out, first);
        put_varint(out, count);
      }

      std::vector<std::uint32_t> indexes;
      indexes.reserve(field.slots.size());
      for (const Slot& slot : field.slots) indexes.push_back(*slot.index);
      put_bits(out, indexes, index_bits(distinct));
    }
  }
  for (FieldPositions& field : fields_) {
    field.slots.clear();
    field.terms.clear();
  }
  return out;
}

Record::Record(std::string_view record) {
  if (record.empty()) return;
  Reader reader(record);
  if (reader.bytes(1, "the version")[0] != kVersion) Reader::fail("has an unknown version");
  for (Packed& field : fields_) {
    const std::uint64_t distinct = reader.varint("a term count");
    if (distinct == 0) continue;
    if (distinct > record.size() * 8) Reader::fail("counts more terms than it could index");
    field.distinct = static_cast<std::uint32_t>(distinct);
    field.hash_bits = hash_bits(field.distinct);
    field.index_bits = index_bits(field.distinct);
    field.hashes = reader.bytes((distinct * field.hash_bits + 7) / 8, "the term hashes");
    BitReader hashes(field.hashes, field.hash_bits);
    for (std::uint32_t i = 0, previous = 0; i < field.distinct; ++i) {
      const std::uint32_t hash = hashes.next();
      if (hash < previous) Reader::fail("has its term hashes out of order");
      previous = hash;
    }
    const std::uint64_t runs = reader.varint("a run count");
    if (runs > record.size()) Reader::fail("has more runs than bytes");
    for (std::uint64_t run = 0; run < runs; ++run) {
      const std::uint64_t first = reader.varint("a run");
      const std::uint64_t count = reader.varint("a run");
      field.total += count;
      if (count > record.size() * 8 || first + count > 0xffffffffu || field.total > record.size() * 8) {
        Reader::fail("has a run out of range");
      }
      field.runs.emplace_back(static_cast<Xapian::termpos>(first), static_cast<std::uint32_t>(count));
    }
    field.indexes = reader.bytes((field.total * field.index_bits + 7) / 8, "the term indexes");
  }
  if (!reader.done()) Reader::fail("has bytes after its last field");
}

std::uint32_t Record::hash_at(Field f, std::uint32_t index) const {
  const Packed& field = fields_[static_cast<std::size_t>(f)];
  return bits_at(field.hashes, index, field.hash_bits);
}

std::pair<std::uint32_t, std::uint32_t> Record::find(Field f, std::uint32_t hash) const {
  const Packed& field = fields_[static_cast<std::size_t>(f)];
  std::uint32_t low = 0, high = field.distinct;  // First index with hash_at >= hash.
  while (low < high) {
    const std::uint32_t middle = low + (high - low) / 2;
    if (bits_at(field.hashes, middle, field.hash_bits) < hash) low = middle + 1; else high = middle;
  }
  std::uint32_t last = low;
  while (last < field.distinct && bits_at(field.hashes, last, field.hash_bits) == hash) ++last;
  return {low, last};
}

template <typename Visit>
void Record::scan(Field f, Visit&& visit) const {
  const Packed& field = fields_[static_cast<std::size_t>(f)];
  BitReader reader(field.indexes, field.index_bits);
  for (const auto& [first, count] : field.runs) {
    for (std::uint32_t k = 0; k < count; ++k) {
      const std::uint32_t index = reader.next();
      if (index >= field.distinct) Reader::fail("points past its terms");
      visit(first + k, index);
    }
  }
}

void Record::positions_of(Field f, const std::vector<std::uint32_t>& indexes, std::vector<Xapian::termpos>& out) const {
  const bool one = indexes.size() == 1;
  const std::uint32_t only = one ? indexes.front() : 0;
  scan(f, [&](Xapian::termpos position, std::uint32_t index) {
    if (one ? index == only : std::find(indexes.begin(), indexes.end(), index) != indexes.end()) out.push_back(position);
  });
}

std::array<FieldPositions, kFields> decode(std::string_view data) {
  std::array<FieldPositions, kFields> fields;
  const Record record(data);
  for (std::size_t f = 0; f < kFields; ++f) {
    const auto field = static_cast<Field>(f);
    FieldPositions& out = fields[f];
    out.distinct = record.distinct(field);
    for (std::uint32_t i = 0; i < out.distinct; ++i) out.hashes.push_back(record.hash_at(field, i));
    record.scan(field, [&](Xapian::termpos position, std::uint32_t index) {
      out.positions.push_back(position);
      out.term_index.push_back(index);
    });
  }
  return fields;
}

}  // namespace gazette::core::positions
