// The scale run: indexes a large JSON Lines corpus through the library's bulk path,
// recording throughput and peak RSS every 50,000 articles, and query latency (p50 over
// a query set, facets on) when the index reaches 10k, 100k and 1M articles.
// Usage: gazette_scale_bench INDEX_DIR CORPUS.jsonl QUERIES.txt
// Prints one JSON object per line: {"kind": "progress"|"queries", ...}.
#include <gazette/gazette.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

double query_p50_ms(const std::string& index, const std::vector<std::string>& queries) {
  const gazette::Searcher searcher(index);
  std::vector<double> latencies;
  for (int pass = 0; pass < 4; ++pass) {
    for (const std::string& query : queries) {
      gazette::SearchRequest request;
      request.query = query;
      request.default_operator = gazette::DefaultOperator::kAny;
      request.snippet_length = 0;
      const auto start = std::chrono::steady_clock::now();
      searcher.search(request);
      const auto end = std::chrono::steady_clock::now();
      if (pass > 0) latencies.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
  }
  std::nth_element(latencies.begin(), latencies.begin() + latencies.size() / 2, latencies.end());
  return latencies[latencies.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: gazette_scale_bench INDEX_DIR CORPUS.jsonl QUERIES.txt\n";
    return 2;
  }
  const std::string index = argv[1];
  std::vector<std::string> queries;
  std::ifstream query_file(argv[3]);
  for (std::string line; std::getline(query_file, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  const std::set<std::uint64_t> checkpoints = {10'000, 100'000, 1'000'000};
  constexpr std::uint64_t kProgressEvery = 50'000;

  gazette::IndexWriter writer(index);
  std::uint64_t submitted = 0, bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  auto window_start = start;
  const auto elapsed = [&](auto from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  gazette::read_articles({argv[2]}, {}, [&](gazette::ReadItem&& item) {
    bytes += item.bytes;
    auto* article = std::get_if<gazette::Article>(&item.result);
    if (!article) return;
    writer.add_async(std::move(*article), [](gazette::AddOutcome) {});
    ++submitted;
    if (submitted % kProgressEvery == 0) {
      writer.drain();
      std::cout << "{\"kind\": \"progress\", \"articles\": " << submitted << ", \"seconds\": " << elapsed(start)
                << ", \"articles_per_s_window\": " << kProgressEvery / elapsed(window_start)
                << ", \"peak_rss_mib\": " << peak_rss_mib() << "}" << std::endl;
      window_start = std::chrono::steady_clock::now();
    }
    if (checkpoints.count(submitted)) {
      writer.commit();
      std::cout << "{\"kind\": \"queries\", \"articles\": " << submitted
                << ", \"p50_ms\": " << query_p50_ms(index, queries) << "}" << std::endl;
      window_start = std::chrono::steady_clock::now();  // Query time is not indexing time.
    }
  });
  writer.commit();
  std::cout << "{\"kind\": \"done\", \"articles\": " << submitted << ", \"seconds\": " << elapsed(start)
            << ", \"bytes\": " << bytes << ", \"peak_rss_mib\": " << peak_rss_mib() << "}" << std::endl;
  return 0;
}
