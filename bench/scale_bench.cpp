// The Gazette side of the scale run (bench/scale.sh): indexes a JSON Lines corpus
// through the library's bulk path with the default writer options, as `gazette index`
// does, printing progress every N articles and, at the end, the total time including
// the writer's close (its last commit and the merges it waits for).
// Usage: gazette_scale_bench INDEX_DIR CORPUS.jsonl [--keep-duplicates] [--progress N]
// Prints one JSON object per line: {"kind": "progress"|"done", ...}.
#include <gazette/gazette.h>

#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>

namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: gazette_scale_bench INDEX_DIR CORPUS.jsonl [--keep-duplicates] [--progress N]\n";
    return 2;
  }
  gazette::WriterOptions options;
  std::uint64_t progress_every = 50'000;
  for (int i = 3; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--keep-duplicates")) options.deduplicate = false;
    else if (!std::strcmp(argv[i], "--progress") && i + 1 < argc) progress_every = std::strtoull(argv[++i], nullptr, 10);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  auto writer = std::make_unique<gazette::IndexWriter>(argv[1], options);
  std::uint64_t submitted = 0, stored = 0, bytes = 0;
  gazette::read_articles({argv[2]}, {}, [&](gazette::ReadItem&& item) {
    bytes += item.bytes;
    auto* article = std::get_if<gazette::Article>(&item.result);
    if (!article) return;
    writer->add_async(std::move(*article), [&](gazette::AddOutcome outcome) {
      stored += outcome != gazette::AddOutcome::kDuplicate;
    });
    if (++submitted % progress_every == 0) {
      std::cout << "{\"kind\": \"progress\", \"engine\": \"gazette\", \"articles\": " << submitted
                << ", \"seconds\": " << elapsed() << ", \"peak_rss_mib\": " << peak_rss_mib() << "}" << std::endl;
    }
  });
  writer->commit();
  writer.reset();  // Waits for merges, as the CLI's exit does.
  std::cout << "{\"kind\": \"done\", \"engine\": \"gazette\", \"articles\": " << submitted << ", \"stored\": " << stored
            << ", \"seconds\": " << elapsed() << ", \"bytes\": " << bytes << ", \"peak_rss_mib\": " << peak_rss_mib()
            << "}" << std::endl;
  return 0;
}
