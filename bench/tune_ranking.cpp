// Cross-validated tuning of Gazette's ranking defaults on a test collection.
//
//   gazette_tune_ranking --docs cran.all.1400 --topics cran.qry --qrels cranqrel --work DIR [--folds 5] [--threads 2]
//
// Builds one index per stemmer and title weight, runs every topic under a grid of
// stopword handling, proximity boost and BM25 k1 and b, and for each fold (topics by
// position modulo the fold count) picks the setting with the best mean nDCG@10 on the
// other folds (MAP breaks ties), then reports how that setting, and the current
// defaults, score on the held-out fold; then what each choice is worth with the others
// at their defaults. The output is the Markdown that docs/ranking.md quotes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "gazette/gazette.h"

namespace {

// One way of ranking. Stemmers: Snowball's English ("en", Porter2), Porter's original
// ("porter"), Lovins's ("lovins"), none ("none": words as normalised).
struct Setting {
  std::string stemmer;
  bool stopwords;
  double proximity_weight;
  unsigned proximity_window;
  unsigned title_weight;
  double k1;
  double b;
  auto key() const { return std::tie(stemmer, stopwords, proximity_weight, proximity_window, title_weight, k1, b); }
  bool operator<(const Setting& o) const { return key() < o.key(); }
  bool operator==(const Setting& o) const { return key() == o.key(); }
  std::string describe() const {
    char text[160];
    std::snprintf(text, sizeof text, "%s, %s, %s, %u, %.2f, %.2f", stemmer.c_str(), stopwords ? "dropped" : "kept",
                  proximity_weight == 0 ? "off" : (std::to_string(proximity_weight).substr(0, 4) + "/" +
                                                   std::to_string(proximity_window)).c_str(),
                  title_weight, k1, b);
    return text;
  }
};

struct Scores {
  std::vector<double> ndcg, ap, p10;  // Per topic, in topic order.
};

double mean_over(const std::vector<double>& values, const std::vector<std::size_t>& topics) {
  double sum = 0;
  for (const std::size_t t : topics) sum += values[t];
  return topics.empty() ? 0 : sum / static_cast<double>(topics.size());
}

std::string argument(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  if (fallback.empty()) {
    std::fprintf(stderr, "missing %s\n", name.c_str());
    std::exit(2);
  }
  return fallback;
}

// Paired t statistic of per-topic differences.
double paired_t(const std::vector<double>& differences) {
  double mean = 0;
  for (const double d : differences) mean += d / static_cast<double>(differences.size());
  double variance = 0;
  for (const double d : differences) {
    variance += (d - mean) * (d - mean) / static_cast<double>(differences.size() - 1);
  }
  return variance == 0 ? 0 : mean / std::sqrt(variance / static_cast<double>(differences.size()));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gazette;
  const std::string docs = argument(argc, argv, "--docs");
  const std::string work = argument(argc, argv, "--work");
  const std::size_t folds = std::stoul(argument(argc, argv, "--folds", "5"));
  const unsigned threads = static_cast<unsigned>(std::stoul(argument(argc, argv, "--threads", "2")));
  const Qrels qrels = read_qrels(argument(argc, argv, "--qrels"));
  std::vector<Topic> topics = read_topics(argument(argc, argv, "--topics"));
  number_topics(topics, qrels);  // As the judgments do (Cranfield: by position).
  // Only judged topics take part.
  std::erase_if(topics, [&](const Topic& topic) {
    const auto it = qrels.find(topic.id);
    return it == qrels.end() ||
           std::none_of(it->second.begin(), it->second.end(), [](const auto& j) { return j.second > 0; });
  });

  std::vector<Article> articles;
  ReadOptions read_options;
  read_options.format = InputFormat::kSmart;
  read_articles({docs}, read_options, [&](ReadItem&& item) {
    if (auto* article = std::get_if<Article>(&item.result)) articles.push_back(std::move(*article));
  });

  const std::vector<std::string> stemmers = {"en", "porter", "lovins", "none"};
  const std::vector<unsigned> title_weights = {1, 2, 3, 4, 6};
  const std::vector<double> k1s = {0.6, 0.9, 1.2, 1.5, 2.0, 2.5};
  const std::vector<double> bs = {0.3, 0.5, 0.75, 0.9};
  // Proximity pairs cost position-list reads (a Cranfield run takes about 18 times
  // longer), so they are tried with Snowball stems, b 0.75 and k1 1.2 or 2.0 only.
  const std::vector<std::pair<double, unsigned>> proximities = {{0, 0}, {0.1, 4}, {0.1, 10}, {0.25, 10}, {0.5, 10}};
  const auto tried = [](const std::string& stemmer, double proximity_weight, double k1, double b) {
    return proximity_weight == 0 || (stemmer == "en" && b == 0.75 && (k1 == 1.2 || k1 == 2.0));
  };
  // The library's defaults (proximity window irrelevant when proximity is off).
  const SearchRequest standard_request;
  Setting defaults{"en", standard_request.stopwords != "none", standard_request.proximity_weight,
                   standard_request.proximity_weight == 0 ? 0 : standard_request.proximity_window,
                   WriterOptions().title_weight, standard_request.bm25_k1, standard_request.bm25_b};

  // One index per stemmer and title weight; the query-side settings run over each.
  std::vector<std::pair<std::string, unsigned>> indexes;
  for (const std::string& stemmer : stemmers) {
    for (const unsigned weight : title_weights) indexes.emplace_back(stemmer, weight);
  }
  std::filesystem::create_directories(work);
  std::map<Setting, Scores> results;
  std::mutex results_mutex;
  std::size_t next_index = 0;
  const auto worker = [&] {
    while (true) {
      std::size_t mine;
      {
        const std::lock_guard lock(results_mutex);
        if (next_index == indexes.size()) return;
        mine = next_index++;
      }
      const auto& [stemmer, weight] = indexes[mine];
      const std::string path = work + "/" + stemmer + "-title-" + std::to_string(weight);
      std::filesystem::remove_all(path);
      {
        WriterOptions options;
        options.title_weight = weight;
        options.deduplicate = false;  // Judgments name every document.
        IndexWriter writer(path, options);
        for (Article article : articles) {
          article.lang = stemmer;
          writer.add(article);
        }
        writer.commit();
      }
      const Searcher searcher(path);
      std::map<Setting, Scores> local;
      for (const bool stopwords : {false, true}) {
        for (const auto& [proximity_weight, proximity_window] : proximities) {
          for (const double k1 : k1s) {
            for (const double b : bs) {
              if (!tried(stemmer, proximity_weight, k1, b)) continue;
              Scores& scores = local[Setting{stemmer, stopwords, proximity_weight, proximity_window, weight, k1, b}];
              for (const Topic& topic : topics) {
                SearchRequest request = topic_request(topic.text);
                request.lang = stemmer;
                request.stopwords = stopwords ? "en" : "none";
                request.proximity_weight = proximity_weight;
                request.proximity_window = proximity_window;
                request.bm25_k1 = k1;
                request.bm25_b = b;
                std::vector<ScoredDocument> run;
                for (const Hit& hit : searcher.search(request).hits) run.push_back({hit.article.id, hit.score});
                const QueryEvaluation e = evaluate_topic(topic.id, std::move(run), qrels.at(topic.id));
                scores.ndcg.push_back(e.ndcg_at_10);
                scores.ap.push_back(e.average_precision);
                scores.p10.push_back(e.precision_at_10);
              }
            }
          }
        }
      }
      const std::lock_guard lock(results_mutex);
      std::fprintf(stderr, "stemmer %s, title weight %u: %zu settings run\n", stemmer.c_str(), weight, local.size());
      results.merge(local);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
  for (std::thread& thread : pool) thread.join();

  std::vector<std::size_t> all(topics.size());
  for (std::size_t t = 0; t < all.size(); ++t) all[t] = t;
  // The best setting for `topics_in` among those `allowed` (nDCG@10, then MAP).
  const auto best_for = [&](const std::vector<std::size_t>& topics_in, const auto& allowed) {
    const Setting* best = nullptr;
    double best_ndcg = -1, best_map = -1;
    for (const auto& [setting, scores] : results) {
      if (!allowed(setting)) continue;
      const double ndcg = mean_over(scores.ndcg, topics_in), map = mean_over(scores.ap, topics_in);
      if (ndcg > best_ndcg + 1e-12 || (std::abs(ndcg - best_ndcg) <= 1e-12 && map > best_map)) {
        best = &setting;
        best_ndcg = ndcg;
        best_map = map;
      }
    }
    return *best;
  };

  std::printf("%zu judged topics, %zu folds (topic position modulo %zu); grid: stemmer {Snowball English, Porter, "
              "Lovins, none} x stopwords {kept, dropped} x proximity {off, weight/window 0.1/4, 0.1/10, 0.25/10, 0.5/10 (Snowball, b 0.75, k1 1.2 or 2.0 only)} x "
              "title weight {1,2,3,4,6} x k1 {0.6..2.5} x b {0.3..0.9}: %zu settings\n\n",
              topics.size(), folds, folds, results.size());
  std::printf("Settings read: stemmer, stopwords, proximity weight/window, title weight, k1, b. Defaults: %s.\n\n",
              defaults.describe().c_str());
  std::printf("| fold | chosen on the other folds | held-out nDCG@10 | held-out MAP | held-out P@10 | defaults "
              "nDCG@10 | defaults MAP |\n|---|---|---|---|---|---|---|\n");
  double chosen_ndcg = 0, chosen_map = 0, default_ndcg = 0, default_map = 0;
  std::vector<double> differences;  // Held-out nDCG@10, chosen minus defaults, per topic.
  for (std::size_t fold = 0; fold < folds; ++fold) {
    std::vector<std::size_t> train, test;
    for (std::size_t t = 0; t < topics.size(); ++t) (t % folds == fold ? test : train).push_back(t);
    const Setting best = best_for(train, [](const Setting&) { return true; });
    const Scores& chosen = results.at(best);
    const Scores& standard = results.at(defaults);
    const double n = mean_over(chosen.ndcg, test), m = mean_over(chosen.ap, test), p = mean_over(chosen.p10, test);
    const double dn = mean_over(standard.ndcg, test), dm = mean_over(standard.ap, test);
    chosen_ndcg += n / folds, chosen_map += m / folds, default_ndcg += dn / folds, default_map += dm / folds;
    for (const std::size_t t : test) differences.push_back(chosen.ndcg[t] - standard.ndcg[t]);
    std::printf("| %zu | %s | %.4f | %.4f | %.4f | %.4f | %.4f |\n", fold + 1, best.describe().c_str(), n, m, p, dn,
                dm);
  }
  std::printf("| mean | | %.4f | %.4f | | %.4f | %.4f |\n\n", chosen_ndcg, chosen_map, default_ndcg, default_map);
  std::size_t better = 0, worse = 0;
  for (const double d : differences) better += d > 1e-12, worse += d < -1e-12;
  std::printf("Held-out nDCG@10, tuned minus defaults, per topic: paired t = %.2f (|t| > 1.97 is significant at 5%% "
              "for %zu topics); better on %zu topics, worse on %zu, equal on %zu.\n\n",
              paired_t(differences), differences.size(), better, worse, differences.size() - better - worse);

  // One choice at a time, the others at the defaults (in-sample, all topics), with a
  // paired t against the defaults: what each choice is worth.
  std::printf("Each choice with the others at the defaults (all topics):\n\n| choice | setting | nDCG@10 | MAP | "
              "P@10 | t vs defaults (nDCG@10) |\n|---|---|---|---|---|---|\n");
  const auto row = [&](const char* choice, const Setting& setting) {
    const auto found = results.find(setting);
    if (found == results.end()) return;
    const Scores& scores = found->second;
    std::vector<double> d;
    for (const std::size_t t : all) d.push_back(scores.ndcg[t] - results.at(defaults).ndcg[t]);
    std::printf("| %s | %s | %.4f | %.4f | %.4f | %s |\n", choice, setting.describe().c_str(),
                mean_over(scores.ndcg, all), mean_over(scores.ap, all), mean_over(scores.p10, all),
                setting == defaults ? "(defaults)" : (std::to_string(paired_t(d)).substr(0, 5)).c_str());
  };
  row("defaults", defaults);
  for (const std::string& stemmer : stemmers) {
    Setting s = defaults;
    s.stemmer = stemmer;
    if (!(s == defaults)) row("stemmer", s);
  }
  {
    Setting s = defaults;
    s.stopwords = !s.stopwords;
    row("stopwords", s);
  }
  for (const auto& [weight, window] : proximities) {
    Setting s = defaults;
    s.proximity_weight = weight;
    s.proximity_window = window;
    if (!(s == defaults)) row("proximity", s);
  }
  for (const unsigned weight : title_weights) {
    Setting s = defaults;
    s.title_weight = weight;
    if (!(s == defaults)) row("title weight", s);
  }
  std::printf("\n");

  std::vector<std::pair<double, Setting>> overall;
  for (const auto& [setting, scores] : results) overall.emplace_back(mean_over(scores.ndcg, all), setting);
  std::sort(overall.begin(), overall.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::printf("Best settings on all topics (in-sample, for reference):\n\n| setting | nDCG@10 | MAP |\n|---|---|---|\n");
  for (std::size_t i = 0; i < std::min<std::size_t>(8, overall.size()); ++i) {
    std::printf("| %s | %.4f | %.4f |\n", overall[i].second.describe().c_str(), overall[i].first,
                mean_over(results.at(overall[i].second).ap, all));
  }
  return 0;
}
