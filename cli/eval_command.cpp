// `gazette eval`: runs a test collection's topics against an index, writes a TREC run
// file and prints nDCG@10, MAP, P@10 and recall@1000 (per topic on request).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "gazette/errors.h"
#include "gazette/eval.h"
#include "gazette/search.h"

namespace gazette::cli {
namespace {

struct EvalOptions {
  std::string index;
  std::string topics;
  std::string qrels;
  std::string topics_format = "auto";
  std::string topic_field = "title";
  std::string topic_ids = "auto";
  std::string run;
  std::string score_run;
  std::string tag = "gazette";
  std::string query_lang = "en";
  std::size_t depth = 1000;
  bool per_query = false;
  bool json_output = false;
  RankingOptions ranking;
};

// Topic ids as the judgments know them (number_topics), described for the output.
std::string renumber(std::vector<Topic>& topics, const Qrels& qrels, const std::string& mode) {
  const TopicNumbering numbering = number_topics(topics, qrels,
                                                 mode == "position" ? TopicIds::kByPosition
                                                 : mode == "file"   ? TopicIds::kAsWritten
                                                                    : TopicIds::kAuto);
  return std::string(numbering.by_position ? "position in the topics file (" : "as written (") +
         std::to_string(numbering.judged) + " of " + std::to_string(topics.size()) + " judged)";
}

int run_eval(const EvalOptions& options) {
  TopicFormat format = TopicFormat::kAuto;
  if (options.topics_format == "smart") format = TopicFormat::kSmart;
  else if (options.topics_format == "trec") format = TopicFormat::kTrec;
  else if (options.topics_format == "tsv") format = TopicFormat::kTsv;
  TopicField field = TopicField::kTitle;
  if (options.topic_field == "desc") field = TopicField::kDescription;
  else if (options.topic_field == "title+desc") field = TopicField::kTitleAndDescription;

  const Qrels qrels = read_qrels(options.qrels);
  std::vector<QueryEvaluation> evaluations;
  static const std::map<std::string, int> kNoJudgments;
  std::vector<Topic> topics;
  std::string numbering;
  if (!options.score_run.empty()) {
    // Score an existing run (another engine's): every judged topic counts, retrieved or not.
    const auto run = read_run(options.score_run);
    static const std::vector<ScoredDocument> kNothing;
    for (const auto& [topic, judgments] : qrels) {
      const auto found = run.find(topic);
      evaluations.push_back(evaluate_topic(topic, found == run.end() ? kNothing : found->second, judgments));
      topics.push_back(Topic{topic, {}});
    }
    numbering = "from the run file " + options.score_run;
  } else {
    if (options.index.empty() || options.topics.empty()) {
      throw UsageError("eval needs --index and --topics, or --score-run");
    }
    topics = read_topics(options.topics, format, field);
    numbering = renumber(topics, qrels, options.topic_ids);
  }

  std::unique_ptr<std::ofstream> run_file;
  if (!options.run.empty()) {
    run_file = std::make_unique<std::ofstream>(options.run);
    if (!*run_file) throw InputError(options.run, 0, "cannot write the run file");
    run_file->precision(12);  // Enough that re-scoring the file reproduces the order.
  }

  const std::optional<Searcher> searcher =
      options.score_run.empty() ? std::optional<Searcher>(std::in_place, options.index) : std::nullopt;
  for (const Topic& topic : searcher ? topics : std::vector<Topic>{}) {
    SearchRequest request = topic_request(topic.text, options.depth);
    request.lang = options.query_lang;
    options.ranking.apply_to(request);
    const SearchResponse response = searcher->search(request);
    std::vector<ScoredDocument> ranked;
    for (const Hit& hit : response.hits) {
      ranked.push_back(ScoredDocument{hit.article.id, hit.score});
      if (run_file) {
        *run_file << topic.id << " Q0 " << hit.article.id << ' ' << hit.rank << ' ' << hit.score << ' '
                  << options.tag << '\n';
      }
    }
    const auto judged = qrels.find(topic.id);
    evaluations.push_back(evaluate_topic(topic.id, std::move(ranked), judged == qrels.end() ? kNoJudgments : judged->second));
  }
  const MeanEvaluation mean = mean_of(evaluations);

  if (options.json_output) {
    nlohmann::ordered_json out;
    out["topics"] = topics.size();
    out["topic_ids"] = numbering;
    out["evaluated"] = mean.topics;
    out["without_relevant_documents"] = mean.unjudged;
    out["ndcg@10"] = mean.ndcg_at_10;
    out["map"] = mean.average_precision;
    out["p@10"] = mean.precision_at_10;
    out["recall@1000"] = mean.recall_at_1000;
    if (options.per_query) {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const QueryEvaluation& e : evaluations) {
        rows.push_back({{"topic", e.topic}, {"judged", e.judged}, {"ndcg@10", e.ndcg_at_10}, {"ap", e.average_precision},
                        {"p@10", e.precision_at_10}, {"recall@1000", e.recall_at_1000}, {"relevant", e.relevant},
                        {"relevant_retrieved", e.relevant_retrieved}});
      }
      out["per_topic"] = std::move(rows);
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (options.per_query) {
    std::printf("%-8s %8s %8s %8s %8s %9s\n", "topic", "nDCG@10", "AP", "P@10", "R@1000", "relevant");
    for (const QueryEvaluation& e : evaluations) {
      if (!e.judged) {
        std::printf("%-8s %8s %8s %8s %8s %9zu  (no relevant document judged)\n", e.topic.c_str(), "-", "-", "-", "-",
                    e.relevant);
        continue;
      }
      std::printf("%-8s %8.4f %8.4f %8.4f %8.4f %9zu\n", e.topic.c_str(), e.ndcg_at_10, e.average_precision,
                  e.precision_at_10, e.recall_at_1000, e.relevant);
    }
    std::printf("\n");
  }
  std::printf("topics: %zu (ids %s); evaluated %zu, without relevant documents %zu\n", topics.size(),
              numbering.c_str(), mean.topics, mean.unjudged);
  std::printf("nDCG@10 %.4f   MAP %.4f   P@10 %.4f   Recall@1000 %.4f\n", mean.ndcg_at_10, mean.average_precision,
              mean.precision_at_10, mean.recall_at_1000);
  if (run_file) std::printf("run file: %s\n", options.run.c_str());
  return kExitOk;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* command = app.add_subcommand("eval", "Evaluate ranking on a test collection (nDCG@10, MAP, P@10, R@1000)");
  command->add_option("--index,-i", options->index, "Index directory");
  command->add_option("--topics", options->topics, "Topics (queries): SMART, TREC or TSV");
  command->add_option("--score-run", options->score_run,
                      "Score this TREC run file (another engine's) instead of searching an index");
  command->add_option("--qrels", options->qrels, "Relevance judgments: TREC qrels or Cranfield's 3 columns")->required();
  command->add_option("--topics-format", options->topics_format, "Topics file format")
      ->check(CLI::IsMember({"auto", "smart", "trec", "tsv"}))
      ->capture_default_str();
  command->add_option("--topic-field", options->topic_field, "TREC topics: which field is the query")
      ->check(CLI::IsMember({"title", "desc", "title+desc"}))
      ->capture_default_str();
  command->add_option("--topic-ids", options->topic_ids,
                      "Topic numbering: as written, by position in the file, or whichever the judgments match")
      ->check(CLI::IsMember({"auto", "file", "position"}))
      ->capture_default_str();
  command->add_option("--run", options->run, "Write a TREC run file (topic Q0 doc rank score tag)");
  command->add_option("--tag", options->tag, "Run tag in the run file")->capture_default_str();
  command->add_option("--query-lang", options->query_lang, "Language for stemming the topics")->capture_default_str();
  add_ranking_options(command, options->ranking);
  command->add_option("--depth", options->depth, "Results per topic")->check(CLI::Range(1, 100000))->capture_default_str();
  command->add_flag("--per-query", options->per_query, "Also print each topic's measures");
  command->add_flag("--json", options->json_output, "JSON output");
  command->callback([options, &exit_code] { exit_code = run_eval(*options); });
}

}  // namespace gazette::cli
