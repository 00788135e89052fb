// Fuzz target: dates written in text ("March 4, 2019", "2019-03-04T10:00Z", "4 mars
// 2019"), found inside a line and parsed as a whole value.
#include "core/date_text.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  const std::string_view text = fuzz::as_text(data, size);
  if (const auto found = core::find_date(text)) {
    if (found->begin > found->end || found->end > text.size()) __builtin_trap();  // Must lie inside the text.
  }
  (void)core::parse_loose_date(text);
  return 0;
}
