// Facet counting (match spies, in-memory facet columns) and facet lists.
#include "searcher/facets.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/schema.h"
#include "searcher/match_bits.h"

namespace gazette::searcher {

FacetColumn::FacetColumn(const std::vector<Xapian::Database>& segments, Xapian::valueno slot) {
  values_.emplace_back();  // Ordinal 0: no value.
  std::unordered_map<std::string, std::uint32_t> known;
  for (const Xapian::Database& database : segments) {
    std::vector<std::uint32_t>& ordinals = ordinals_.emplace_back(database.get_lastdocid() + 1, 0);
    for (auto it = database.valuestream_begin(slot); it != database.valuestream_end(slot); ++it) {
      const auto [entry, added] = known.emplace(*it, static_cast<std::uint32_t>(values_.size()));
      if (added) values_.push_back(entry->first);
      if (it.get_docid() < ordinals.size()) ordinals[it.get_docid()] = entry->second;
    }
  }
}

std::size_t count_matches(const std::vector<Xapian::Database>& segments, const Xapian::Query& query,
                          const std::vector<SegmentSpy*>& spies) {
  std::size_t matches = 0;
  for (std::size_t segment = 0; segment < segments.size(); ++segment) {
    if (const std::optional<MatchBits> bits = match_bits(segments[segment], query)) {
      for (SegmentSpy* spy : spies) spy->set_segment(segment);
      matches += bits->for_each([&](Xapian::docid id) {
        for (SegmentSpy* spy : spies) spy->add(id);
      });
      continue;
    }
    Xapian::Enquire enquire(segments[segment]);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_query(query);
    for (SegmentSpy* spy : spies) {
      spy->set_segment(segment);
      enquire.add_matchspy(spy);
    }
    matches += enquire.get_mset(0, 0, segments[segment].get_doccount()).get_matches_estimated();
  }
  return matches;
}

FacetCounter::FacetCounter(Xapian::valueno slot, const FacetColumn* column) {
  if (column) {
    column_.emplace(*column);
  } else {
    generic_.emplace(slot);
  }
}

Xapian::MatchSpy& FacetCounter::spy() {
  if (column_) return *column_;
  return *generic_;
}

ValueCounts FacetCounter::counts() const {
  ValueCounts counts;
  if (column_) {
    const std::vector<std::size_t>& by_ordinal = column_->counts();
    for (std::uint32_t ordinal = 1; ordinal < by_ordinal.size(); ++ordinal) {
      if (by_ordinal[ordinal] > 0) counts.emplace_back(column_->column().value(ordinal), by_ordinal[ordinal]);
    }
  } else {
    for (auto it = generic_->values_begin(); it != generic_->values_end(); ++it) {
      counts.emplace_back(*it, it.get_termfreq());
    }
  }
  return counts;
}

std::vector<FacetValue> top_values(const ValueCounts& counts, std::size_t size) {
  std::vector<FacetValue> values;
  values.reserve(counts.size());
  for (const auto& [value, count] : counts) values.push_back(FacetValue{value, count});
  const auto by_count = [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  };
  const std::size_t kept = std::min(size, values.size());
  std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(kept), values.end(), by_count);
  values.resize(kept);
  return values;
}

Xapian::valueno date_slot(DateGranularity granularity) {
  return granularity == DateGranularity::kDay ? core::schema::kDaySlot : core::schema::kMonthSlot;
}

std::vector<FacetValue> date_histogram(const ValueCounts& counts, DateGranularity granularity) {
  const std::size_t key_length = granularity == DateGranularity::kYear    ? 4
                                 : granularity == DateGranularity::kMonth ? 6
                                                                          : 8;
  std::map<std::string, std::size_t> buckets;  // Sorted keys are chronological.
  for (const auto& [key, count] : counts) {
    if (key.size() < key_length) continue;
    buckets[key.substr(0, key_length)] += count;
  }
  std::vector<FacetValue> histogram;
  histogram.reserve(buckets.size());
  for (const auto& [key, count] : buckets) {
    std::string label = key.substr(0, 4);
    if (key.size() >= 6) label += "-" + key.substr(4, 2);
    if (key.size() >= 8) label += "-" + key.substr(6, 2);
    histogram.push_back(FacetValue{label, count});
  }
  return histogram;
}

}  // namespace gazette::searcher
