// Cross-validated tuning of Gazette's ranking defaults on a test collection.
//
//   gazette_tune_ranking --docs cran.all.1400 --topics cran.qry --qrels cranqrel --work DIR [--folds 5]
//
// Builds one index per title weight, runs every topic under a grid of BM25 k1 and b,
// and for each fold (topics by position modulo the fold count) picks the setting with
// the best mean nDCG@10 on the other folds (MAP breaks ties), then reports how that
// setting, and the current defaults, score on the held-out fold. The output is the
// Markdown that docs/ranking.md quotes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gazette/gazette.h"

namespace {

struct Setting {
  unsigned title_weight;
  double k1;
  double b;
  bool operator<(const Setting& o) const {
    return std::tie(title_weight, k1, b) < std::tie(o.title_weight, o.k1, o.b);
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

}  // namespace

int main(int argc, char** argv) {
  using namespace gazette;
  const std::string docs = argument(argc, argv, "--docs");
  const std::string work = argument(argc, argv, "--work");
  const std::size_t folds = std::stoul(argument(argc, argv, "--folds", "5"));
  const Qrels qrels = read_qrels(argument(argc, argv, "--qrels"));
  std::vector<Topic> topics = read_topics(argument(argc, argv, "--topics"));
  // Number topics as the judgments do (Cranfield: by position), as gazette eval's auto mode.
  std::size_t by_file = 0, by_position = 0;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    by_file += qrels.count(topics[i].id);
    by_position += qrels.count(std::to_string(i + 1));
  }
  if (by_position > by_file) {
    for (std::size_t i = 0; i < topics.size(); ++i) topics[i].id = std::to_string(i + 1);
  }
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

  const std::vector<unsigned> title_weights = {1, 2, 3, 4, 6};
  const std::vector<double> k1s = {0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 3.0};
  const std::vector<double> bs = {0.3, 0.45, 0.6, 0.75, 0.9};
  std::map<Setting, Scores> results;
  std::filesystem::create_directories(work);
  for (const unsigned weight : title_weights) {
    const std::string path = work + "/title-" + std::to_string(weight);
    std::filesystem::remove_all(path);
    {
      WriterOptions options;
      options.title_weight = weight;
      options.deduplicate = false;  // Judgments name every document.
      IndexWriter writer(path, options);
      for (const Article& article : articles) writer.add(article);
      writer.commit();
    }
    const Searcher searcher(path);
    for (const double k1 : k1s) {
      for (const double b : bs) {
        Scores& scores = results[Setting{weight, k1, b}];
        for (const Topic& topic : topics) {
          SearchRequest request;
          request.query = topic.text;
          request.plain_words = true;
          request.default_operator = DefaultOperator::kAny;
          request.limit = 1000;
          request.exact_total = false;
          request.outlet_facet_size = 0;
          request.date_facet = false;
          request.snippet_length = 0;
          request.ids_only = true;
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
    std::fprintf(stderr, "title weight %u: %zu settings run\n", weight, k1s.size() * bs.size());
  }

  const Setting defaults{3, 1.2, 0.75};
  std::printf("%zu judged topics, %zu folds (topic position modulo %zu); grid: title weight {1,2,3,4,6} x "
              "k1 {0.6..3.0} x b {0.3..0.9}, %zu settings\n\n",
              topics.size(), folds, folds, results.size());
  std::printf("| fold | chosen on the other folds (title weight, k1, b) | held-out nDCG@10 | held-out MAP | "
              "held-out P@10 | defaults (3, 1.2, 0.75) nDCG@10 | defaults MAP |\n|---|---|---|---|---|---|---|\n");
  double chosen_ndcg = 0, chosen_map = 0, default_ndcg = 0, default_map = 0;
  std::vector<double> differences;  // Held-out nDCG@10, chosen minus defaults, per topic.
  std::map<Setting, int> votes;
  for (std::size_t fold = 0; fold < folds; ++fold) {
    std::vector<std::size_t> train, test;
    for (std::size_t t = 0; t < topics.size(); ++t) (t % folds == fold ? test : train).push_back(t);
    const Setting* best = nullptr;
    double best_ndcg = -1, best_map = -1;
    for (const auto& [setting, scores] : results) {
      const double ndcg = mean_over(scores.ndcg, train), map = mean_over(scores.ap, train);
      if (ndcg > best_ndcg + 1e-12 || (std::abs(ndcg - best_ndcg) <= 1e-12 && map > best_map)) {
        best = &setting;
        best_ndcg = ndcg;
        best_map = map;
      }
    }
    ++votes[*best];
    const Scores& chosen = results.at(*best);
    const Scores& standard = results.at(defaults);
    const double n = mean_over(chosen.ndcg, test), m = mean_over(chosen.ap, test), p = mean_over(chosen.p10, test);
    const double dn = mean_over(standard.ndcg, test), dm = mean_over(standard.ap, test);
    chosen_ndcg += n / folds, chosen_map += m / folds, default_ndcg += dn / folds, default_map += dm / folds;
    for (const std::size_t t : test) differences.push_back(chosen.ndcg[t] - standard.ndcg[t]);
    std::printf("| %zu | %u, %.2f, %.2f | %.4f | %.4f | %.4f | %.4f | %.4f |\n", fold + 1, best->title_weight, best->k1,
                best->b, n, m, p, dn, dm);
  }
  std::printf("| mean | | %.4f | %.4f | | %.4f | %.4f |\n\n", chosen_ndcg, chosen_map, default_ndcg, default_map);
  // Paired t-test of the held-out per-topic nDCG@10 differences, and a sign count.
  double mean_difference = 0;
  for (const double d : differences) mean_difference += d / static_cast<double>(differences.size());
  double variance = 0;
  std::size_t better = 0, worse = 0;
  for (const double d : differences) {
    variance += (d - mean_difference) * (d - mean_difference) / static_cast<double>(differences.size() - 1);
    better += d > 1e-12;
    worse += d < -1e-12;
  }
  const double t = mean_difference / std::sqrt(variance / static_cast<double>(differences.size()));
  std::printf("Held-out nDCG@10, tuned minus defaults, per topic: mean %+.4f, paired t = %.2f (|t| > 1.97 is "
              "significant at 5%% for %zu topics); better on %zu topics, worse on %zu, equal on %zu.\n\n",
              mean_difference, t, differences.size(), better, worse, differences.size() - better - worse);

  std::vector<std::pair<double, Setting>> overall;
  std::vector<std::size_t> all(topics.size());
  for (std::size_t t = 0; t < all.size(); ++t) all[t] = t;
  for (const auto& [setting, scores] : results) overall.emplace_back(mean_over(scores.ndcg, all), setting);
  std::sort(overall.rbegin(), overall.rend());
  std::printf("Best settings on all topics (in-sample, for reference):\n\n| title weight | k1 | b | nDCG@10 | MAP |\n|---|---|---|---|---|\n");
  for (std::size_t i = 0; i < std::min<std::size_t>(8, overall.size()); ++i) {
    const Setting& s = overall[i].second;
    std::printf("| %u | %.2f | %.2f | %.4f | %.4f |\n", s.title_weight, s.k1, s.b, overall[i].first,
                mean_over(results.at(s).ap, all));
  }
  std::printf("| 3 (defaults) | 1.20 | 0.75 | %.4f | %.4f |\n", mean_over(results.at(defaults).ndcg, all),
              mean_over(results.at(defaults).ap, all));
  return 0;
}
