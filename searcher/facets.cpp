// Facet lists from match-spy counts; no document is fetched to count.
#include "searcher/facets.h"

#include <algorithm>
#include <map>

#include "core/schema.h"

namespace gazette::searcher {

std::vector<FacetValue> top_values(const Xapian::ValueCountMatchSpy& spy, std::size_t size) {
  std::vector<FacetValue> values;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    values.push_back(FacetValue{*it, it.get_termfreq()});
  }
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

std::vector<FacetValue> date_histogram(const Xapian::ValueCountMatchSpy& date_spy,
                                       DateGranularity granularity) {
  const std::size_t key_length = granularity == DateGranularity::kYear    ? 4
                                 : granularity == DateGranularity::kMonth ? 6
                                                                          : 8;
  std::map<std::string, std::size_t> buckets;  // Sorted keys are chronological.
  for (auto it = date_spy.values_begin(); it != date_spy.values_end(); ++it) {
    const std::string key = *it;
    if (key.size() < key_length) continue;
    buckets[key.substr(0, key_length)] += it.get_termfreq();
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
