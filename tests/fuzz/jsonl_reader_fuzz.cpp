// Fuzz target: the JSON Lines reader (indexer/readers/jsonl_reader.cpp). Every line
// must give an article or an InputError naming it, and the read must reach the end.
#include <sstream>

#include "indexer/readers/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  std::istringstream input{std::string(fuzz::as_text(data, size))};
  ReadOptions options;
  options.max_article_bytes = 64 * 1024;
  fuzz::expect_only_library_errors([&] {
    indexer::read_jsonl(input, "fuzz.jsonl", options, [](ReadItem&&) {});
  });
  return 0;
}
