// Micro-benchmarks of the analysis chain on real text (Reuters bodies): segmentation
// with normalisation, normalisation alone, stemming. Reports bytes/s and tokens/s.
// Usage: gazette_analysis_bench [--text FILE.jsonl] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/article_json.h"

namespace {

std::string& sample_text() {
  static std::string text;
  return text;
}

// A fixed sample: the bodies of the first articles of a JSON Lines file, ~1 MB.
void load_sample(const char* path) {
  std::ifstream input(path);
  for (std::string line; std::getline(input, line) && sample_text().size() < (1 << 20);) {
    const auto article = gazette::core::article_from_json(nlohmann::json::parse(line));
    sample_text() += article.title + "\n" + article.body + "\n";
  }
}

void BM_Tokenize(benchmark::State& state) {
  gazette::core::Tokenizer tokenizer;
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokenizer.for_each(sample_text(), [&](std::string_view term, std::size_t, std::size_t) {
      benchmark::DoNotOptimize(term.data());
      ++tokens;
    });
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sample_text().size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

std::vector<std::string> sample_words() {
  std::vector<std::string> words;
  gazette::core::Tokenizer tokenizer;
  for (const auto& token : tokenizer.tokens(sample_text())) {
    words.push_back(sample_text().substr(token.begin, token.end - token.begin));
  }
  return words;
}

void BM_NormalizeWord(benchmark::State& state) {
  const std::vector<std::string> words = sample_words();
  for (auto _ : state) {
    for (const std::string& word : words) benchmark::DoNotOptimize(gazette::core::normalize_word(word));
  }
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(state.iterations() * words.size()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NormalizeWord)->Unit(benchmark::kMillisecond);

void BM_NormalizeWordAccented(benchmark::State& state) {
  const std::vector<std::string> words = {"Déraa", "São", "Łódź", "Αθήνα", "straße", "naïve", "Ørsted", "café"};
  for (auto _ : state) {
    for (const std::string& word : words) benchmark::DoNotOptimize(gazette::core::normalize_word(word));
  }
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(state.iterations() * words.size()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NormalizeWordAccented);

void BM_Stem(benchmark::State& state) {
  std::vector<std::string> terms;
  for (const std::string& word : sample_words()) terms.push_back(gazette::core::normalize_word(word));
  const gazette::core::Stemmer stemmer("en");
  for (auto _ : state) {
    for (const std::string& term : terms) benchmark::DoNotOptimize(stemmer(term));
  }
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(state.iterations() * terms.size()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Stem)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  const char* text = "bench-data/reuters.jsonl";
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--text") && i + 1 < argc) {
      text = argv[++i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  load_sample(text);
  if (sample_text().empty()) {
    std::fprintf(stderr, "no sample text in %s (pass --text FILE.jsonl)\n", text);
    return 2;
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
