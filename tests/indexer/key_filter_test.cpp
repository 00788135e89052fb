// Tests for the duplicate-key Bloom filter (indexer/key_filter.*).
#include <gtest/gtest.h>

#include <string>

#include "indexer/key_filter.h"

namespace gazette::indexer {
namespace {

TEST(KeyFilter, EveryAddedKeyIsFoundAndFewOthersAre) {
  KeyFilter filter;
  EXPECT_FALSE(filter.may_contain("XBanything"));
  // More keys than the first part holds, so lookups span two parts.
  constexpr int kKeys = 1'500'000;
  for (int i = 0; i < kKeys; ++i) filter.add("XB" + std::to_string(i));
  EXPECT_EQ(filter.size(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; i += 997) EXPECT_TRUE(filter.may_contain("XB" + std::to_string(i))) << i;
  int false_positives = 0;
  constexpr int kOthers = 100'000;
  for (int i = 0; i < kOthers; ++i) false_positives += filter.may_contain("XH" + std::to_string(i));
  // About 1% per part; two parts are consulted.
  EXPECT_LT(false_positives, kOthers * 3 / 100);
}

}  // namespace
}  // namespace gazette::indexer
