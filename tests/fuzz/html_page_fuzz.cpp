// Fuzz target: an HTML page read as `gazette index` reads one — decoding (charset,
// invalid UTF-8), Gumbo's parse, the page cleaner (main text, metadata, JSON-LD, by-lines,
// dates) — then the same markup through the cleaner alone.
#include "indexer/clean/html_page.h"
#include "indexer/readers/readers.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  const std::string_view page = fuzz::as_text(data, size);
  fuzz::expect_only_library_errors([&] {
    (void)indexer::parse_html_article(page, "fuzz.html", "fuzz.html", ReadOptions{}, UnixSeconds{0});
  });
  (void)indexer::clean::clean_html_page(page);  // Documented never to throw.
  return 0;
}
