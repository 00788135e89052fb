// Fuzz target: the transparent .gz/.zst decoder (indexer/readers/decompress.*), chosen by
// magic bytes. A corrupt stream must end early with error() saying why, never crash or
// spin; what it yields is read to the end.
#include "indexer/readers/decompress.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  const std::string& path = fuzz::scratch_file(fuzz::as_text(data, size));
  fuzz::expect_only_library_errors([&] {
    indexer::InputStream input(path);
    char buffer[4096];
    std::size_t total = 0;
    while (input.read(buffer, sizeof buffer) || input.gcount() > 0) {
      total += static_cast<std::size_t>(input.gcount());
      if (total > (std::size_t{64} << 20)) break;  // A bomb is bounded by the caller's caps.
    }
    (void)input.error();
  });
  return 0;
}
