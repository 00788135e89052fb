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

// One value slot held in memory as docid → value ordinal (what Lucene's doc values
// amount to): counting a match then costs an array lookup per document, where
// Xapian's ValueCountMatchSpy looks each value up through the B-tree (a third of a
// faceted query's instructions). Built by reading the slot's value stream once.
class FacetColumn {
 public:
  FacetColumn(const Xapian::Database& database, Xapian::valueno slot);
  std::uint32_t ordinal(Xapian::docid id) const { return id < ordinals_.size() ? ordinals_[id] : 0; }
  const std::string& value(std::uint32_t ordinal) const { return values_[ordinal]; }
  std::size_t value_count() const { return values_.size(); }  // Ordinal 0 means "no value".
  std::size_t size() const { return ordinals_.size(); }          // Last document id + 1.

 private:
  std::vector<std::uint32_t> ordinals_;
  std::vector<std::string> values_;
};

// Counts a column's values, by ordinal, over the documents a match visits (or over
// every document holding a value, without a match).
class ColumnSpy : public Xapian::MatchSpy {
 public:
  explicit ColumnSpy(const FacetColumn& column) : column_(column), counts_(column.value_count(), 0) {}
  void operator()(const Xapian::Document& document, double) override {
    ++counts_[column_.ordinal(document.get_docid())];
  }
  // Every document in the column, as a match of everything would; deleted documents and
  // those without a value add to ordinal 0.
  void count_all() {
    for (Xapian::docid id = 1; id < column_.size(); ++id) ++counts_[column_.ordinal(id)];
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
