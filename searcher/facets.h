// The "facet" stage: turns Xapian value counts into the response's facet lists.
#pragma once

#include <cstddef>
#include <vector>

#include <xapian.h>

#include "gazette/search.h"

namespace gazette::searcher {

// The `size` most frequent values, ties broken by value so output is stable.
std::vector<FacetValue> top_values(const Xapian::ValueCountMatchSpy& spy, std::size_t size);

// The value slot whose counts give a histogram at this granularity (fewer distinct
// values count faster: months serve years too).
Xapian::valueno date_slot(DateGranularity granularity);

// Day ("YYYYMMDD") or month ("YYYYMM") counts rolled up into chronological buckets
// labelled "YYYY", "YYYY-MM" or "YYYY-MM-DD".
std::vector<FacetValue> date_histogram(const Xapian::ValueCountMatchSpy& date_spy,
                                       DateGranularity granularity);

}  // namespace gazette::searcher
