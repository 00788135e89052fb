// Searching an index: a request (query, filters, facets, sort, page) in, a response
// (hits with snippets, facet counts, totals) out. Syntax of `query`: docs/query-syntax.md.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gazette/article.h"

namespace gazette {

// kHybrid: BM25 score times a recency decay, 2^(-age / half-life), the age counted back
// from the newest article in the index (corpora are often historical); undated articles
// count as old as the oldest one. Reorders the best max(1000, offset + limit) BM25 matches.
enum class SortOrder { kRelevance, kDateNewest, kDateOldest, kHybrid };
enum class DateGranularity { kDay, kMonth, kYear };
// How bare words combine: kAll requires every word (the default), kAny ranks
// articles holding any of them.
enum class DefaultOperator { kAll, kAny };

// Filters narrow the matches. Values within one facet are ORed; facets are ANDed.
// Articles with no date found (docs/formats.md "Dates"): kept beside the dated ones,
// left out, or the only ones. A date range (from/to) holds dated articles only.
enum class UndatedFilter { kInclude, kExclude, kOnly };

struct Filters {
  std::vector<std::string> outlets;  // Matched case- and accent-insensitively.
  std::vector<std::string> tags;
  std::vector<std::string> langs;
  std::optional<UnixSeconds> from;  // Inclusive; on the publisher's clock.
  std::optional<UnixSeconds> to;    // Inclusive.
  UndatedFilter undated = UndatedFilter::kInclude;
};

struct SearchRequest {
  std::string query;  // Empty lists every article in scope, newest first.
  // More like this: when set, the query is the most telling words of the article with
  // this id (relevance feedback over its terms) and `query` is ignored; the article and
  // its near-duplicate copies (same story) are left out. Filters, facets and the rest
  // apply as usual. Searcher::search throws gazette::Error when no such article exists.
  std::string like_id;
  Filters filters;
  SortOrder sort = SortOrder::kRelevance;
  DefaultOperator default_operator = DefaultOperator::kAll;
  // The query is plain text: its words are searched without any syntax (no operators,
  // phrases or fields), as for test-collection topics.
  bool plain_words = false;
  // Offer SearchResponse::suggestion when the query finds fewer than this many articles
  // (0 turns suggestions off).
  std::size_t suggest_below = 3;
  // Unfielded words also match reader comments cut from scraped pages (comments: always does).
  bool include_comments = false;
  // One hit per story: near-duplicate copies (grouped at indexing) are folded into
  // their best-ranked member, which lists where else the story ran.
  bool collapse_stories = false;
  std::string lang = "en";  // Language whose stemmer analyses the query.
  // The most terms one query may search, counted before it runs: each word once per
  // field it looks in, and every term each wildcard expands to (at most 1,000 a
  // wildcard, its most frequent). A query over it throws QueryLimitError, so that no
  // query's cost is unbounded ("a* OR b* OR ..."); 0 lifts the limit.
  std::size_t max_query_terms = 4096;
  // Stopwords ("the", "of", "which") left out of the ranked words of a query: "auto"
  // uses the query language's list (English only so far), "none" keeps every word, a
  // language code picks that list. Never out of phrases, fields, operands of operators,
  // or a query made only of stopwords ("The Who").
  std::string stopwords = "auto";
  // Proximity: an article holding two successive query words (bare words, stopwords
  // skipped) within `proximity_window` positions of each other scores
  // `proximity_weight` times those words' BM25 weight more; 0 turns it off.
  double proximity_weight = 0.0;
  unsigned proximity_window = 8;
  // BM25 parameters (docs/ranking.md says how the defaults were chosen).
  double recency_half_life_days = 30;  // For SortOrder::kHybrid.
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  std::size_t offset = 0;
  std::size_t limit = 10;
  // True: `total` is exact. False: exact up to 1,000 matches and estimated beyond (as
  // Lucene's default), which is faster for broad queries; ignored when facets are on.
  bool exact_total = true;
  // Facets are counted over every match. Each facet ignores its own filter
  // (disjunctive faceting), so its counts show what choosing another value would add.
  std::size_t outlet_facet_size = 10;  // Top outlets returned; 0 turns the facet off.
  bool date_facet = true;
  DateGranularity date_granularity = DateGranularity::kMonth;
  bool include_body = false;          // Return each hit's full body too.
  // Hits carry only the article id and the score (no stored fields, no snippet): for
  // evaluation runs and exports of ids, which then read no document data.
  bool ids_only = false;
  std::size_t snippet_length = 200;  // Characters, roughly; 0 turns snippets off.
  std::string highlight_open = "<mark>";
  std::string highlight_close = "</mark>";
};

struct Hit {
  Article article;      // Stored fields; body is left empty unless requested.
  double score = 0;     // BM25 score; 0 when sorted by date with an empty query.
  std::size_t rank = 0; // 1-based position in the full result list.
  std::string snippet;  // Body excerpt with matches wrapped in highlight markers.
  // With SearchRequest::collapse_stories: the outlets of the other copies of this
  // story (near-duplicates, e.g. the same wire story run by several outlets), at most
  // ten, and how many other copies match.
  std::vector<std::string> also_in;
  std::size_t other_copies = 0;
};

// What a query left out. Its words are analysed as the articles were; a word or phrase
// in which analysis finds nothing to search (emoji, punctuation, symbols, a word over 64
// bytes) is left out and listed in `ignored`, as written. When every part is left out,
// the query asks for nothing searchable: it matches nothing (`nothing_searchable`),
// where an empty query lists every article.
struct QueryNotes {
  std::vector<std::string> ignored;
  bool nothing_searchable = false;
};

struct FacetValue {
  std::string value;  // Outlet name, or date bucket "2024", "2024-12", "2024-12-07".
  std::size_t count = 0;
};

struct SearchResponse {
  std::size_t total = 0;  // Number of matching articles (see total_is_exact).
  bool total_is_exact = true;
  std::vector<Hit> hits;
  std::vector<FacetValue> outlet_facet;  // Most frequent first; ties by name.
  std::vector<FacetValue> date_facet;    // Chronological.
  std::size_t undated = 0;               // Matches without a date (not in date_facet).
  // "Did you mean": the query with misspelt words replaced from the index's own
  // vocabulary, offered when the query finds few articles and the respelling finds
  // more; empty otherwise. suggestion_total is what it finds.
  std::string suggestion;
  std::size_t suggestion_total = 0;
  QueryNotes notes;  // Parts of the query left out (QueryNotes).
};

struct IndexStats {
  std::size_t articles = 0;
  std::optional<UnixSeconds> first_date;
  std::optional<UnixSeconds> last_date;
  std::size_t undated = 0;
  std::vector<FacetValue> top_outlets;
  std::size_t outlet_count = 0;
  std::size_t size_bytes = 0;  // On disk.
};

struct Timeline;
struct TimelineRequest;
struct OutletsReport;
struct OutletsRequest;
// Orders of Searcher::export_matches: BM25, newest or oldest first (undated last), or
// the order articles were added.
enum class ExportOrder { kRelevance, kDateNewest, kDateOldest, kIndex };

// A Searcher is for one thread at a time (Xapian's databases are); a server opens one
// per thread. It reads the index as of opening until reopen() or refresh(); if a
// writer's commit discards what it was reading, the operation reopens the index and
// runs again, so it never fails because of a commit.
class Searcher {
 public:
  // Opens the index at `path` for reading. Throws IndexError when it is missing or unreadable.
  explicit Searcher(const std::string& path);
  // Opens several indexes searched as one (Xapian's sharded databases): every query,
  // facet, count and export spans them all (an article stored in two is found twice).
  explicit Searcher(const std::vector<std::string>& paths);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs `request`. Throws QuerySyntaxError for a malformed query.
  SearchResponse search(const SearchRequest& request) const;

  // What `request`'s query leaves out (QueryNotes), without running it: for callers of
  // export_matches, timeline and outlets, which answer with counts and rows only.
  // Throws QuerySyntaxError as search() does.
  QueryNotes query_notes(const SearchRequest& request) const;

  // The stored article with this id, if any.
  std::optional<Article> get(const std::string& id) const;

  IndexStats stats(std::size_t top_outlets = 10) const;
  // How many articles the index holds: one read of Xapian's counters, where stats()
  // also counts every outlet (a health check polls this).
  std::size_t article_count() const;

  // Coverage analytics (gazette/analytics.h): matches per time bucket against all
  // articles in scope, and per outlet against each outlet's output.
  Timeline timeline(const TimelineRequest& request) const;
  OutletsReport outlets(const OutletsRequest& request) const;

  // Every match of `request` (its query and filters; offset, limit and facets are
  // ignored) passed to `sink` in `order` until `sink` returns false; returns how many
  // were passed. Hits carry stored fields (the body when request.include_body), no
  // snippet. Date and index orders read the matches in pages of bounded size (constant
  // memory); relevance order holds one (document, score) pair per match.
  std::size_t export_matches(const SearchRequest& request, ExportOrder order,
                             const std::function<bool(const Hit&)>& sink) const;

  // Picks up changes committed by a writer since opening.
  void reopen();
  // The same, only when something was committed since: cheap enough to call before
  // every request (one stat of the manifest, and Xapian's revision check). Returns
  // whether the view changed.
  bool refresh();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gazette
