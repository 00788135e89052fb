// Fuzz target: the query syntax (searcher/query_parser.*), with the structure every
// query meets: groups, phrases, fields, wildcards, ranges, boolean operators. Any
// input must give a Xapian::Query or a QuerySyntaxError naming a position.
#include "searcher/query_parser.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gazette;
  static searcher::QueryParser parser("en", DefaultOperator::kAll);
  static const bool configured = [] {
    parser.set_index_languages({"en", "fr", "de"});
    parser.set_stopwords(core::StopwordList("en"));
    return true;
  }();
  (void)configured;
  fuzz::expect_only_library_errors([&] {
    const searcher::ParsedQuery parsed = parser.parse(fuzz::as_text(data, size));
    (void)parsed.query.get_description();  // Walks the whole tree Xapian was given.
  });
  return 0;
}
