// The tiered merge policy: merge the newest `factor` segments once they share a tier.
#include "indexer/merge_policy.h"

namespace gazette::indexer {

std::size_t merge_tier(std::size_t size, const MergePolicy& policy) {
  std::size_t tier = 0;
  for (std::size_t bound = policy.tier_floor * policy.factor; size >= bound && tier < 32; bound *= policy.factor) {
    ++tier;
  }
  return tier;
}

std::optional<MergeRange> choose_merge(const std::vector<std::size_t>& sizes, const MergePolicy& policy) {
  if (policy.factor < 2 || sizes.size() < policy.factor) return std::nullopt;
  const std::size_t first = sizes.size() - policy.factor;
  const std::size_t tier = merge_tier(sizes[first], policy);
  for (std::size_t i = first + 1; i < sizes.size(); ++i) {
    // A newer segment in a higher tier than an older one (a large bulk commit after
    // small ones) does not block: it joins the merge of the tier below it.
    if (merge_tier(sizes[i], policy) < tier) return std::nullopt;
  }
  return MergeRange{first, sizes.size()};
}

}  // namespace gazette::indexer

namespace gazette::indexer {

std::optional<MergeRange> choose_closing_merge(const std::vector<std::size_t>& sizes, const MergePolicy& policy) {
  std::size_t first = sizes.size();
  while (first > 0 && merge_tier(sizes[first - 1], policy) == 0) --first;
  if (sizes.size() - first < 2) return std::nullopt;
  return MergeRange{first, sizes.size()};
}

}  // namespace gazette::indexer
