// Cost of coverage analytics against a plain search, on the same index and words.
//
//   gazette_analytics_bench INDEX [--reps N] [--words "oil gold ..."] [--cli path/to/gazette]
//
// For each one-word query and repetition, interleaved, times: a top-10 search without
// facets (the plain search), a top-10 search with the default facets, a timeline by day
// over the whole index, and an outlets report; each once with a Searcher opened for the
// call (as the CLI runs: columns read from disk) and once on a long-lived Searcher.
// With --cli, also times the gazette binary end to end (`search WORD` against
// `timeline --by day WORD`, output to /dev/null). Prints the medians in microseconds
// and the ratios to the plain search, as Markdown.
#include <gazette/gazette.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double time_us(const std::function<void()>& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gazette_analytics_bench INDEX [--reps N] [--words \"oil gold ...\"]\n");
    return 2;
  }
  const std::string index = argv[1];
  int reps = 11;
  std::string cli;
  std::string word_list = "oil gold dollar bank wheat coffee opec yen strike trade profit merger tax shares loan "
                          "copper sugar rates inflation debt";
  for (int i = 2; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--words")) word_list = argv[++i];
    else if (!std::strcmp(argv[i], "--cli")) cli = argv[++i];
  }
  std::vector<std::string> words;
  std::istringstream split(word_list);
  for (std::string word; split >> word;) words.push_back(word);

  const auto plain = [](const std::string& word) {
    gazette::SearchRequest request;
    request.query = word;
    request.outlet_facet_size = 0;
    request.date_facet = false;
    return request;
  };
  const auto faceted = [](const std::string& word) {
    gazette::SearchRequest request;
    request.query = word;
    return request;
  };
  const auto timeline = [](const std::string& word) {
    gazette::TimelineRequest request;
    request.search.query = word;
    request.by = gazette::TimeBucket::kDay;
    return request;
  };
  const auto outlets = [](const std::string& word) {
    gazette::OutletsRequest request;
    request.search.query = word;
    return request;
  };

  const std::vector<std::string> kinds = {"search, top 10, no facets", "search, top 10, outlet and date facets",
                                          "timeline --by day", "outlets"};
  std::map<std::string, std::vector<double>> cold, warm;
  const gazette::Searcher shared(index);
  std::size_t checksum = 0;
  for (int rep = 0; rep <= reps; ++rep) {  // Repetition 0 warms the page cache and is not counted.
    for (const std::string& word : words) {
      for (const bool fresh : {true, false}) {
        auto& samples = fresh ? cold : warm;
        const auto searcher_for = [&]() -> std::unique_ptr<gazette::Searcher> {
          return fresh ? std::make_unique<gazette::Searcher>(index) : nullptr;
        };
        const auto run = [&](const std::string& kind, const std::function<void(const gazette::Searcher&)>& body) {
          double us = 0;
          if (fresh) {
            us = time_us([&] {
              const auto own = searcher_for();
              body(*own);
            });
          } else {
            us = time_us([&] { body(shared); });
          }
          if (rep > 0) samples[kind].push_back(us);
        };
        run(kinds[0], [&](const gazette::Searcher& s) { checksum += s.search(plain(word)).total; });
        run(kinds[1], [&](const gazette::Searcher& s) { checksum += s.search(faceted(word)).total; });
        run(kinds[2], [&](const gazette::Searcher& s) { checksum += s.timeline(timeline(word)).matches; });
        run(kinds[3], [&](const gazette::Searcher& s) { checksum += s.outlets(outlets(word)).matches; });
      }
    }
  }
  std::printf("%zu one-word queries x %d repetitions, interleaved; medians in microseconds (checksum %zu)\n\n",
              words.size(), reps, checksum);
  std::printf("| operation | Searcher opened per call (as the CLI) | ratio to plain search | long-lived Searcher | "
              "ratio to plain search |\n|---|---|---|---|---|\n");
  const double cold_base = median(cold[kinds[0]]), warm_base = median(warm[kinds[0]]);
  for (const std::string& kind : kinds) {
    const double c = median(cold[kind]), w = median(warm[kind]);
    std::printf("| %s | %.0f | %.2fx | %.0f | %.2fx |\n", kind.c_str(), c, c / cold_base, w, w / warm_base);
  }
  if (!cli.empty()) {
    std::vector<double> search_runs, timeline_runs;
    for (int rep = 0; rep <= reps; ++rep) {
      for (const std::string& word : words) {
        const std::string base = "'" + cli + "' ";
        const std::string tail = " -i '" + index + "' " + word + " >/dev/null 2>&1";
        const double s = time_us([&] { std::system((base + "search" + tail).c_str()); });
        const double t = time_us([&] { std::system((base + "timeline --by day" + tail).c_str()); });
        if (rep > 0) search_runs.push_back(s), timeline_runs.push_back(t);
      }
    }
    const double s = median(search_runs), t = median(timeline_runs);
    std::printf("\nThe binary, end to end (process start, index open, output to /dev/null): `gazette search WORD` "
                "%.0f us, `gazette timeline --by day WORD` %.0f us: %.2fx.\n", s, t, t / s);
  }
  return 0;
}
