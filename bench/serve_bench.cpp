// Serving benchmark (docs/benchmarks.md, "Serving"): the same faceted searches through
// the library in process and over HTTP from `gazette serve`, in one run.
//
//   gazette_serve_bench GAZETTE_BINARY INDEX QUERIES [--seconds S] [--clients 1,4,16]
//
// In process: one Searcher answers each query of QUERIES (one per line) in turn, after
// a warm-up pass, as a search request with the outlet facet (top 10) and the month
// histogram; then again with the answer encoded as the server's JSON. Over HTTP: the binary serves INDEX on a free loopback port; for each
// client count, that many threads (one keep-alive connection each) send the same
// requests as GET /v1/search for S seconds after a warm-up second; before them, one
// client sends GET /v1/health (the transport floor: no search). Prints one JSON
// object per line: {"mode", "clients", "requests", "seconds", "rps", "p50_ms", "p99_ms"}.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "gazette/search.h"
#include "present/json.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

void report(const char* mode, int clients, const std::vector<double>& latencies_ms, double seconds) {
  std::printf("{\"mode\": \"%s\", \"clients\": %d, \"requests\": %zu, \"seconds\": %.2f, \"rps\": %.1f, "
              "\"p50_ms\": %.3f, \"p99_ms\": %.3f}\n",
              mode, clients, latencies_ms.size(), seconds, static_cast<double>(latencies_ms.size()) / seconds,
              percentile(latencies_ms, 0.5), percentile(latencies_ms, 0.99));
  std::fflush(stdout);
}

gazette::SearchRequest faceted(const std::string& query) {
  gazette::SearchRequest request;
  request.query = query;
  request.outlet_facet_size = 10;
  request.date_facet = true;
  request.date_granularity = gazette::DateGranularity::kMonth;
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s GAZETTE_BINARY INDEX QUERIES [--seconds S] [--clients 1,4,16]\n", argv[0]);
    return 2;
  }
  const std::string binary = argv[1], index = argv[2];
  double seconds = 10;
  std::vector<int> client_counts = {1, 4, 16};
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--seconds") seconds = std::stod(argv[i + 1]);
    if (option == "--clients") {
      client_counts.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) client_counts.push_back(std::stoi(item));
    }
  }
  std::vector<std::string> queries;
  {
    std::ifstream file(argv[3]);
    for (std::string line; std::getline(file, line);) {
      if (!line.empty()) queries.push_back(line);
    }
  }
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", argv[3]);
    return 2;
  }

  // In process, one thread: the library alone, then the library and the JSON text
  // the server would send (present/json.h), which is the server's own work per search.
  for (const bool encode : {false, true}) {
    gazette::Searcher searcher(index);
    for (const std::string& query : queries) searcher.search(faceted(query));  // Warm-up.
    std::vector<double> latencies;
    std::size_t bytes = 0;
    const auto started = Clock::now();
    for (int pass = 0; pass < 3; ++pass) {
      for (const std::string& query : queries) {
        const auto before = Clock::now();
        const gazette::SearchRequest request = faceted(query);
        const gazette::SearchResponse response = searcher.search(request);
        if (encode) {
          bytes += gazette::present::json_text(gazette::present::search_json(request, response, {})).size();
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
      }
    }
    report(encode ? "library+json" : "library", 1, latencies, std::chrono::duration<double>(Clock::now() - started).count());
    if (encode && bytes == 0) return 1;
  }

  // Over HTTP: the real binary on a free loopback port.
  const std::string log = "/tmp/gazette-serve-bench-" + std::to_string(::getpid()) + ".log";
  std::vector<std::string> args = {binary, "serve", "-i", index, "--listen", "127.0.0.1:0", "--quiet"};
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t server = -1;
  if (posix_spawn(&server, arg_pointers[0], &actions, nullptr, arg_pointers.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", binary.c_str());
    return 1;
  }
  posix_spawn_file_actions_destroy(&actions);
  int port = 0;
  for (int waited = 0; port == 0 && waited < 600; ++waited) {
    std::ifstream file(log);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::smatch match;
    if (std::regex_search(text, match, std::regex(R"(on http://127\.0\.0\.1:([0-9]+)/)"))) port = std::stoi(match[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (port == 0) {
    std::fprintf(stderr, "gazette serve did not start (see %s)\n", log.c_str());
    ::kill(server, SIGKILL);
    return 1;
  }
  std::vector<std::string> targets;
  for (const std::string& query : queries) {
    targets.push_back("/v1/search?facet_size=10&date_facet=month&q=" + httplib::detail::encode_query_param(query));
  }
  // The transport floor: GET /v1/health (no search, a few bytes of JSON) from one
  // client, the cost of a request round trip through the kernel, httplib and the
  // pool on this machine. Then the searches at each client count.
  const std::vector<std::string> floor = {"/v1/health"};
  int status = 0;
  const auto load = [&](const char* mode, const std::vector<std::string>& targets, int clients) {
    std::atomic<bool> measuring = false, stop = false;
    std::atomic<int> failures = 0;
    std::vector<std::vector<double>> latencies(clients);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        for (std::size_t i = static_cast<std::size_t>(c) * 7; !stop; ++i) {
          const auto before = Clock::now();
          const auto result = client.Get(targets[i % targets.size()]);
          const double ms = std::chrono::duration<double, std::milli>(Clock::now() - before).count();
          if (!result || result->status != 200) ++failures;
          if (measuring) latencies[c].push_back(ms);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // Warm-up: searchers opened, caches filled.
    measuring = true;
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    measuring = false;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    stop = true;
    for (std::thread& thread : threads) thread.join();
    std::vector<double> all;
    for (const auto& per_client : latencies) all.insert(all.end(), per_client.begin(), per_client.end());
    report(mode, clients, all, elapsed);
    if (failures > 0) {
      std::fprintf(stderr, "%d failed requests at %d clients\n", failures.load(), clients);
      status = 1;
    }
  };
  load("http-floor", floor, 1);
  // Paired: each query through the library (search and JSON text, in this process)
  // and then over HTTP, back to back, three passes; the median of the differences is
  // the HTTP overhead, with the machine's drift between phases taken out.
  {
    gazette::Searcher searcher(index);
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    std::vector<double> differences;
    for (int pass = 0; pass < 4; ++pass) {
      for (std::size_t i = 0; i < queries.size(); ++i) {
        auto before = Clock::now();
        const gazette::SearchRequest request = faceted(queries[i]);
        const std::string text = gazette::present::json_text(gazette::present::search_json(request, searcher.search(request), {}));
        const double library_ms = std::chrono::duration<double, std::milli>(Clock::now() - before).count();
        before = Clock::now();
        const auto result = client.Get(targets[i]);
        const double http_ms = std::chrono::duration<double, std::milli>(Clock::now() - before).count();
        if (!result || result->status != 200) status = 1;
        if (pass > 0) differences.push_back(http_ms - library_ms);  // The first pass warms both.
      }
    }
    std::sort(differences.begin(), differences.end());
    std::printf("{\"mode\": \"paired\", \"clients\": 1, \"requests\": %zu, \"overhead_p50_ms\": %.3f, "
                "\"overhead_p25_ms\": %.3f, \"overhead_p75_ms\": %.3f}\n",
                differences.size(), differences[differences.size() / 2], differences[differences.size() / 4],
                differences[differences.size() * 3 / 4]);
    std::fflush(stdout);
  }
  for (const int clients : client_counts) load("http", targets, clients);
  ::kill(server, SIGTERM);
  ::waitpid(server, nullptr, 0);
  std::remove(log.c_str());
  return status;
}
