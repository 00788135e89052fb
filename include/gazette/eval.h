// Retrieval evaluation: test-collection topics and relevance judgments, and the
// standard measures (nDCG@10 with graded gains, average precision, P@10, recall@1000),
// computed as trec_eval computes them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gazette/search.h"

namespace gazette {

struct Topic {
  std::string id;
  std::string text;  // The query as the collection states it (natural language).
};

enum class TopicFormat {
  kAuto,   // By content: "<top>" is TREC, ".I" is SMART, anything else TSV.
  kSmart,  // ".I N" then ".W" and the text (Cranfield's cran.qry).
  kTrec,   // <top> <num> Number: N <title> ... <desc> Description: ... </top>
  kTsv,    // "ID<TAB>text" per line.
};

enum class TopicField { kTitle, kDescription, kTitleAndDescription };  // TREC topics only.

// Reads topics; throws InputError naming the file and line of a malformed record.
std::vector<Topic> read_topics(const std::string& path, TopicFormat format = TopicFormat::kAuto,
                               TopicField field = TopicField::kTitle);

// Judgments: topic id -> document id -> gain (above 0: relevant, the gain for nDCG).
using Qrels = std::map<std::string, std::map<std::string, int>>;

// How topic ids meet the judgments. SMART query files may number topics in a way the
// judgments do not (Cranfield's cran.qry runs 1, 2, 4, 8, ... while cranqrel counts
// 1..225 in file order): kAuto takes whichever numbering the judgments match better.
enum class TopicIds { kAuto, kAsWritten, kByPosition };

struct TopicNumbering {
  bool by_position = false;  // Topics were renumbered 1..n in file order.
  std::size_t judged = 0;    // Topics whose id the judgments know, under that numbering.
};

// Renumbers `topics` by position when `ids` says so (or, for kAuto, when the judgments
// know more topics that way).
TopicNumbering number_topics(std::vector<Topic>& topics, const Qrels& qrels, TopicIds ids = TopicIds::kAuto);

// The request that runs a topic: its text as plain words (no query syntax), any word
// matching, BM25, the best `depth` ids and scores, no facets or snippets.
SearchRequest topic_request(const std::string& text, std::size_t depth = 1000);

// Reads TREC qrels ("TOPIC ITERATION DOC RELEVANCE": gain = relevance) or Cranfield's
// three-column form ("TOPIC DOC GRADE": grades 1 (complete answer) .. 4 (minimum
// interest) give gains 4 .. 1; any other grade, such as -1, is not relevant).
// Throws InputError naming the file and line of a malformed line.
Qrels read_qrels(const std::string& path);

struct ScoredDocument {
  std::string id;
  double score = 0;
};

// A TREC run file ("TOPIC Q0 DOC RANK SCORE TAG" per line): topic id -> its documents.
// Throws InputError naming the file and line of a malformed line.
std::map<std::string, std::vector<ScoredDocument>> read_run(const std::string& path);

struct QueryEvaluation {
  std::string topic;
  bool judged = false;  // False when the topic has no relevant document: no measure is defined.
  double ndcg_at_10 = 0;
  double average_precision = 0;
  double precision_at_10 = 0;
  double recall_at_1000 = 0;
  std::size_t relevant = 0;            // Judged relevant documents.
  std::size_t retrieved = 0;           // Documents in the run (at most 1000 count).
  std::size_t relevant_retrieved = 0;  // In the first 1000.
};

// Evaluates one topic's run. Like trec_eval, the run is ordered by decreasing score,
// ties by decreasing document id, whatever order it comes in; documents without a
// judgment count as not relevant. nDCG uses the judgments' gains with a log2(rank + 1)
// discount, normalised by the ideal ordering of all judged documents.
QueryEvaluation evaluate_topic(const std::string& topic, std::vector<ScoredDocument> run,
                               const std::map<std::string, int>& judgments);

struct MeanEvaluation {
  std::size_t topics = 0;    // Topics averaged: those with relevant documents.
  std::size_t unjudged = 0;  // Topics left out: no relevant document judged.
  double ndcg_at_10 = 0;
  double average_precision = 0;  // MAP.
  double precision_at_10 = 0;
  double recall_at_1000 = 0;
};

MeanEvaluation mean_of(const std::vector<QueryEvaluation>& evaluations);

}  // namespace gazette
