// The measures, each in the form trec_eval computes it (ndcg_cut.10, map, P.10,
// recall.1000), so figures compare with published runs.
#include <algorithm>
#include <cmath>

#include "gazette/eval.h"

namespace gazette {

namespace {

constexpr std::size_t kCutoff = 10;
constexpr std::size_t kDepth = 1000;

}  // namespace

QueryEvaluation evaluate_topic(const std::string& topic, std::vector<ScoredDocument> run,
                               const std::map<std::string, int>& judgments) {
  QueryEvaluation result;
  result.topic = topic;
  std::vector<int> ideal;
  for (const auto& [document, gain] : judgments) {
    if (gain > 0) ideal.push_back(gain);
  }
  result.relevant = ideal.size();
  std::stable_sort(run.begin(), run.end(), [](const ScoredDocument& a, const ScoredDocument& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id > b.id;
  });
  if (run.size() > kDepth) run.resize(kDepth);
  result.retrieved = run.size();
  if (result.relevant == 0) return result;
  result.judged = true;

  double dcg = 0, precision_sum = 0;
  for (std::size_t rank = 1; rank <= run.size(); ++rank) {
    const auto judged = judgments.find(run[rank - 1].id);
    const int gain = judged == judgments.end() ? 0 : judged->second;
    if (gain <= 0) continue;
    ++result.relevant_retrieved;
    precision_sum += static_cast<double>(result.relevant_retrieved) / static_cast<double>(rank);
    if (rank <= kCutoff) {
      dcg += gain / std::log2(static_cast<double>(rank) + 1.0);
      result.precision_at_10 += 1.0 / kCutoff;
    }
  }
  std::sort(ideal.begin(), ideal.end(), std::greater<>());
  double ideal_dcg = 0;
  for (std::size_t rank = 1; rank <= std::min(kCutoff, ideal.size()); ++rank) {
    ideal_dcg += ideal[rank - 1] / std::log2(static_cast<double>(rank) + 1.0);
  }
  result.ndcg_at_10 = dcg / ideal_dcg;
  result.average_precision = precision_sum / static_cast<double>(result.relevant);
  result.recall_at_1000 = static_cast<double>(result.relevant_retrieved) / static_cast<double>(result.relevant);
  return result;
}

MeanEvaluation mean_of(const std::vector<QueryEvaluation>& evaluations) {
  MeanEvaluation mean;
  for (const QueryEvaluation& evaluation : evaluations) {
    if (!evaluation.judged) {
      ++mean.unjudged;
      continue;
    }
    ++mean.topics;
    mean.ndcg_at_10 += evaluation.ndcg_at_10;
    mean.average_precision += evaluation.average_precision;
    mean.precision_at_10 += evaluation.precision_at_10;
    mean.recall_at_1000 += evaluation.recall_at_1000;
  }
  if (mean.topics > 0) {
    const double n = static_cast<double>(mean.topics);
    mean.ndcg_at_10 /= n;
    mean.average_precision /= n;
    mean.precision_at_10 /= n;
    mean.recall_at_1000 /= n;
  }
  return mean;
}

}  // namespace gazette
