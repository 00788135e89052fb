// Query latency of Gazette through its library, measured the way bench/peers/* measure
// theirs: one warm-up pass, then timed passes; top 10 with stored fields; facets optional.
// Usage: gazette_query_bench INDEX QUERIES [--reps N] [--facets] [--filtered]
// QUERIES has one query per line, or (with --filtered) "query<TAB>outlet<TAB>YYYY-MM".
// Prints one JSON object: {"engine", "latencies_us": [...], "hits": total matches summed}.
#include <gazette/gazette.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

struct BenchQuery {
  std::string text, outlet, month;
};

std::vector<BenchQuery> read_queries(const std::string& path, bool filtered) {
  std::vector<BenchQuery> queries;
  std::ifstream input(path);
  for (std::string line; std::getline(input, line);) {
    if (line.empty()) continue;
    BenchQuery query;
    std::istringstream fields(line);
    std::getline(fields, query.text, '\t');
    if (filtered) {
      std::getline(fields, query.outlet, '\t');
      std::getline(fields, query.month, '\t');
    }
    queries.push_back(query);
  }
  return queries;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: gazette_query_bench INDEX QUERIES [--reps N] [--facets] [--filtered]\n";
    return 2;
  }
  int reps = 5;
  bool facets = false, filtered = false;
  for (int i = 3; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--facets")) facets = true;
    else if (!std::strcmp(argv[i], "--filtered")) filtered = true;
  }
  const std::vector<BenchQuery> queries = read_queries(argv[2], filtered);
  const gazette::Searcher searcher(argv[1]);

  std::vector<gazette::SearchRequest> requests;
  for (const BenchQuery& query : queries) {
    gazette::SearchRequest request;
    request.query = query.text;
    request.default_operator = gazette::DefaultOperator::kAny;  // As the peers' parsers do.
    request.limit = 10;
    request.exact_total = facets;  // Without facets, count like Lucene's default (1,000).
    request.snippet_length = 0;  // Peers return stored fields, not snippets.
    request.outlet_facet_size = facets ? 10 : 0;
    request.date_facet = facets;
    request.date_granularity = gazette::DateGranularity::kMonth;
    if (filtered) {
      request.filters.outlets = {query.outlet};
      const auto month = gazette::parse_period(query.month);
      request.filters.from = month->first;
      request.filters.to = month->second;
    }
    requests.push_back(request);
  }

  std::vector<long long> latencies;
  std::size_t hits = 0;
  for (int rep = 0; rep <= reps; ++rep) {
    for (const gazette::SearchRequest& request : requests) {
      const auto start = std::chrono::steady_clock::now();
      const gazette::SearchResponse response = searcher.search(request);
      std::size_t stored = 0;
      for (const gazette::Hit& hit : response.hits) stored += hit.article.title.size();
      const auto end = std::chrono::steady_clock::now();
      if (rep == 0) continue;  // Warm-up.
      latencies.push_back(std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
      if (rep == 1) hits += response.total + (stored == 0 ? 0 : 0);
    }
  }
  std::cout << "{\"engine\": \"gazette\", \"hits\": " << hits << ", \"latencies_us\": [";
  for (std::size_t i = 0; i < latencies.size(); ++i) std::cout << (i ? ", " : "") << latencies[i];
  std::cout << "]}\n";
  return 0;
}
