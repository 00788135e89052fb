// Fuzz target: a plain-text article as `gazette index` reads one (binary and UTF-8
// checks, then the scraped-text cleaner: title, by-line, dates, banners, comment thread,
// page-dump furniture, the prose measure), and the cleaner alone.
#include "indexer/clean/scraped_text.h"
#include "indexer/readers/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_only_library_errors([&] {
    (void)indexer::parse_text_article(text, "fuzz.txt", "fuzz.txt", ReadOptions{}, UnixSeconds{0});
  });
  (void)indexer::clean::clean_scraped_text(text);  // Documented never to throw.
  return 0;
}
