// Which segments to merge: the merge policy, kept apart from the mechanics of merging
// (indexer/segmented_index.cpp) so it can be read, tested and replaced on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace gazette::indexer {

struct MergePolicy {
  // Segments of one tier merged at a time. Each merge makes a segment about this many
  // times larger, so an article is rewritten about log_factor(articles / tier_floor)
  // times in all, and at most (factor - 1) segments wait in each tier.
  std::size_t factor = 10;
  // The size of a freshly written segment (a batch's share of one writing lane): tier 0
  // holds segments below factor × tier_floor, so ten new segments merge into tier 1 at
  // once instead of being merged again with the next small ones.
  std::size_t tier_floor = 1000;
};

// A run of segments [first, last) to merge, or none. `sizes` are the live segments'
// article counts, oldest first. The run is the newest `factor` segments when they all
// belong to the same tier (tier = how many times `factor` fits between the size and
// `tier_floor`); merging only neighbours keeps the segment list in publication order.
struct MergeRange {
  std::size_t first = 0;
  std::size_t last = 0;
};
std::optional<MergeRange> choose_merge(const std::vector<std::size_t>& sizes, const MergePolicy& policy = {});

// The tier of a segment of `size` articles.
std::size_t merge_tier(std::size_t size, const MergePolicy& policy = {});

// The newest run of tier-0 segments, when it has two or more: what a writer merges when
// it closes, so that a bulk load leaves one small segment behind instead of up to
// factor - 1 (queries pay for every segment). Cheap: tier 0 holds little.
std::optional<MergeRange> choose_closing_merge(const std::vector<std::size_t>& sizes, const MergePolicy& policy = {});

}  // namespace gazette::indexer
