// The "facet" stage: counts of outlet and date values over every match, turned into
// the response's facet lists. No document is fetched to count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "gazette/search.h"

namespace gazette::searcher {

// (value, count) pairs in no particular order.
using ValueCounts = std::vector<std::pair<std::string, std::size_t>>;

// One value slot held in memory as (segment, document id) → value ordinal (what
// Lucene's doc values amount to): counting a match then costs an array lookup per
// document, where Xapian's ValueCountMatchSpy looks each value up through the B-tree
// (a third of a faceted query's instructions). Built by reading each segment's value
// stream once. Ordinals are shared by all segments, so counts add up across them.
class FacetColumn {
 public:
  FacetColumn(const std::vector<Xapian::Database>& segments, Xapian::valueno slot);
  // The ordinal of document `id` of segment `segment` (Xapian's own numbering there).
  std::uint32_t ordinal(std::size_t segment, Xapian::docid id) const {
    const std::vector<std::uint32_t>& ordinals = ordinals_[segment];
    return id < ordinals.size() ? ordinals[id] : 0;
  }
  // The ordinal of a document numbered as in the whole index (an MSet's ids): Xapian
  // numbers document d of segment s (of n) as (d - 1) * n + s + 1.
  std::uint32_t ordinal(Xapian::docid id) const {
    const auto n = static_cast<Xapian::docid>(ordinals_.size());
    return ordinal((id - 1) % n, (id - 1) / n + 1);
  }
  const std::string& value(std::uint32_t ordinal) const { return values_[ordinal]; }
  std::size_t value_count() const { return values_.size(); }  // Ordinal 0 means "no value".
  std::size_t segment_count() const { return ordinals_.size(); }
  std::size_t size(std::size_t segment) const { return ordinals_[segment].size(); }  // Last id + 1.

 private:
  std::vector<std::vector<std::uint32_t>> ordinals_;  // Per segment, by document id.
  std::vector<std::string> values_;
};

// A match spy that counts from columns. With several segments Xapian hands a spy each
// segment's own document ids, so matches are counted one segment at a time
// (count_matches) and the spy is told which segment it is watching.
class SegmentSpy : public Xapian::MatchSpy {
 public:
  void set_segment(std::size_t segment) { segment_ = segment; }
  // A match: document `id` of the segment watched.
  virtual void add(Xapian::docid id) = 0;
  void operator()(const Xapian::Document& document, double) override { add(document.get_docid()); }

 protected:
  std::size_t segment_ = 0;
};

// Finds the matches of `query` in every segment, each spy counting them; returns how
// many there are. Queries of terms and boolean operators are matched into bit sets
// straight from the posting lists (searcher/match_bits.h); others run through Xapian
// with BoolWeight (no scores: counting needs none).
std::size_t count_matches(const std::vector<Xapian::Database>& segments, const Xapian::Query& query,
                          const std::vector<SegmentSpy*>& spies);

// Counts a column's values, by ordinal, over the documents a match visits (or over
// every document holding a value, without a match).
class ColumnSpy : public SegmentSpy {
 public:
  explicit ColumnSpy(const FacetColumn& column) : column_(column), counts_(column.value_count(), 0) {}
  void add(Xapian::docid id) override { ++counts_[column_.ordinal(segment_, id)]; }
  // Every document in the column, as a match of everything would; deleted documents and
  // those without a value add to ordinal 0.
  void count_all() {
    for (std::size_t segment = 0; segment < column_.segment_count(); ++segment) {
      for (Xapian::docid id = 1; id < column_.size(segment); ++id) ++counts_[column_.ordinal(segment, id)];
    }
  }
  const FacetColumn& column() const { return column_; }
  const std::vector<std::size_t>& counts() const { return counts_; }  // By ordinal.

 private:
  const FacetColumn& column_;
  std::vector<std::size_t> counts_;
};

// Counts one slot's values over the documents a match visits: from a FacetColumn when
// one is given, otherwise with Xapian's ValueCountMatchSpy.
class FacetCounter {
 public:
  FacetCounter(Xapian::valueno slot, const FacetColumn* column);
  Xapian::MatchSpy& spy();
  // The column spy, or null when counting with Xapian's spy (any database will do).
  SegmentSpy* column_spy() { return column_ ? &*column_ : nullptr; }
  ValueCounts counts() const;

 private:
  std::optional<Xapian::ValueCountMatchSpy> generic_;
  std::optional<ColumnSpy> column_;
};

// The `size` most frequent values, ties broken by value so output is stable.
std::vector<FacetValue> top_values(const ValueCounts& counts, std::size_t size);

// The value slot whose counts give a histogram at this granularity (fewer distinct
// values count faster: months serve years too).
Xapian::valueno date_slot(DateGranularity granularity);

// Day ("YYYYMMDD") or month ("YYYYMM") counts rolled up into chronological buckets
// labelled "YYYY", "YYYY-MM" or "YYYY-MM-DD".
std::vector<FacetValue> date_histogram(const ValueCounts& counts, DateGranularity granularity);

}  // namespace gazette::searcher
