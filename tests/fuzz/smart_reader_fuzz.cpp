// Fuzz target: the SMART test-collection document reader (".I", ".T", ".A", ".W").
#include <sstream>

#include "indexer/readers/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  std::istringstream input{std::string(fuzz::as_text(data, size))};
  fuzz::expect_only_library_errors([&] {
    indexer::read_smart(input, "fuzz.all", ReadOptions{}, [](ReadItem&&) {});
  });
  return 0;
}
