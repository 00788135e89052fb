// Fuzz target: the files `gazette eval` and collections read — topics (SMART, TREC and
// TSV, chosen by the first byte), judgments (TREC and Cranfield qrels), TREC runs, and
// a collections file. Each must parse or throw an InputError naming file and line.
#include "gazette/analytics.h"
#include "gazette/eval.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  if (size == 0) return 0;
  const std::string& path = fuzz::scratch_file(fuzz::as_text(data + 1, size - 1));
  switch (data[0] % 6) {
    case 0: fuzz::expect_only_library_errors([&] { (void)read_topics(path, TopicFormat::kAuto); }); break;
    case 1: fuzz::expect_only_library_errors([&] { (void)read_topics(path, TopicFormat::kSmart); }); break;
    case 2:
      fuzz::expect_only_library_errors(
          [&] { (void)read_topics(path, TopicFormat::kTrec, TopicField::kTitleAndDescription); });
      break;
    case 3: fuzz::expect_only_library_errors([&] { (void)read_qrels(path); }); break;
    case 4: fuzz::expect_only_library_errors([&] { (void)read_run(path); }); break;
    case 5: fuzz::expect_only_library_errors([&] { (void)read_collections(path); }); break;
  }
  return 0;
}
