// Searcher's internals, shared by the search path (searcher.cpp) and the analytics
// (analytics.cpp): the open database, cached columns, query parsing and filters.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"
#include "core/article_json.h"
#include "core/schema.h"
#include "core/segments.h"
#include "gazette/errors.h"
#include "gazette/search.h"
#include "searcher/facets.h"
#include "searcher/query_parser.h"
#include "searcher/snippets.h"

namespace gazette {
namespace searcher {

// BM25 as Lucene computes it: k2 = 0 (no extra length correction), k3 = 1 (query term
// frequency counts linearly), Xapian's default min_normlen.
inline Xapian::BM25Weight bm25(double k1, double b) { return Xapian::BM25Weight(k1, 0, 1, b, 0.5); }

// The article a document stores (its body only when asked), with its story id.
inline Article stored_article(const Xapian::Document& document, bool with_body) {
  Article article = core::decode_stored(document.get_data(), with_body);
  article.story = document.get_value(core::schema::kStorySlot);
  return article;
}

inline Xapian::Query any_of(const std::vector<std::string>& values, std::string (*term)(std::string_view)) {
  std::vector<Xapian::Query> terms;
  for (const std::string& value : values) terms.emplace_back(term(value));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The filters of a request as separate queries, so each facet can leave its own out.
struct FilterQueries {
  std::optional<Xapian::Query> outlet, tag, lang, date;

  explicit FilterQueries(const Filters& filters) {
    if (!filters.outlets.empty()) outlet = any_of(filters.outlets, core::schema::outlet_term);
    if (!filters.tags.empty()) tag = any_of(filters.tags, core::schema::tag_term);
    if (!filters.langs.empty()) lang = any_of(filters.langs, core::schema::lang_term);
    const auto serialise = [](UnixSeconds seconds) {
      return Xapian::sortable_serialise(static_cast<double>(seconds));
    };
    const std::vector<std::string> days =
        filters.from && filters.to ? core::schema::calendar_terms(*filters.from, *filters.to) : std::vector<std::string>{};
    if (!days.empty()) {
      // Whole days: their year, month and day terms, which posting lists answer (and
      // boolean counting reads directly) where a value range reads every value.
      date = Xapian::Query(Xapian::Query::OP_OR, days.begin(), days.end());
    } else if (filters.from && filters.to) {
      date = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, core::schema::kDateSlot,
                           serialise(*filters.from), serialise(*filters.to));
    } else if (filters.from) {
      date = Xapian::Query(Xapian::Query::OP_VALUE_GE, core::schema::kDateSlot, serialise(*filters.from));
    } else if (filters.to) {
      date = Xapian::Query(Xapian::Query::OP_VALUE_LE, core::schema::kDateSlot, serialise(*filters.to));
    }
    // With the date filter, so that the date facet, which leaves it out, still shows
    // how many are dated and how many not.
    const Xapian::Query dated(Xapian::Query::OP_VALUE_GE, core::schema::kDateSlot, std::string(1, '\0'));
    if (filters.undated == UndatedFilter::kExclude && !date) date = dated;
    if (filters.undated == UndatedFilter::kOnly) {
      date = Xapian::Query(Xapian::Query::OP_AND_NOT, searcher::match_all(), dated);
    }
  }

  // `query` filtered by every filter but `left_out` (which may be null).
  Xapian::Query apply(const Xapian::Query& query, const std::optional<Xapian::Query>* left_out) const {
    std::vector<Xapian::Query> active;
    for (const auto* filter : {&outlet, &tag, &lang, &date}) {
      if (filter != left_out && filter->has_value()) active.push_back(**filter);
    }
    if (active.empty()) return query;
    return Xapian::Query(Xapian::Query::OP_FILTER, query,
                         Xapian::Query(Xapian::Query::OP_AND, active.begin(), active.end()));
  }
};

}  // namespace searcher

struct Searcher::Impl {
  std::vector<std::string> paths;  // The indexes searched as one (usually one).
  std::string path;                // Their names, for messages.
  Xapian::Database database;               // Every segment: where queries run.
  std::vector<Xapian::Database> segments;  // Each segment on its own: where columns count.
  mutable core::Tokenizer tokenizer;  // For snippets.
  // Facet columns are built on a Searcher's second faceted search: a one-shot search
  // (the CLI) does not pay for reading whole slots; a long-lived Searcher does, once.
  mutable std::size_t faceted_searches = 0;
  mutable std::map<Xapian::valueno, std::unique_ptr<searcher::FacetColumn>> columns;
  mutable std::optional<std::vector<std::string>> languages;  // Of the articles; cleared on reopen.

  // The query for "more like this": the article's 25 most telling text terms (Xapian's
  // expand set from a relevance set of that one article), each weighted by its
  // expansion weight, without the article itself and the copies of its story.
  searcher::ParsedQuery more_like(const std::string& id) const {
    const std::string id_term = core::schema::id_term(id);
    Xapian::PostingIterator posting = database.postlist_begin(id_term);
    if (posting == database.postlist_end(id_term)) throw Error("no article with id '" + id + "'");
    const Xapian::docid docid = *posting;
    struct TextTerms : Xapian::ExpandDecider {
      // Unprefixed stems (prefixes start with a capital), no numbers, no one- or two-letter words.
      bool operator()(const std::string& term) const override {
        return term.size() > 2 && !(term[0] >= 'A' && term[0] <= 'Z') &&
               term.find_first_of("0123456789") == std::string::npos;
      }
    } decider;
    Xapian::Enquire enquire(database);
    Xapian::RSet relevant;
    relevant.add_document(docid);
    constexpr Xapian::termcount kTerms = 25;
    Xapian::ESet expansion;
    try {
      // Exact term frequencies: over several segments Xapian otherwise estimates them
      // from the segment holding the article, which for a small segment makes every
      // word look common.
      expansion = enquire.get_eset(kTerms, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(path + ": more like '" + id + "' failed: " + error.get_msg());
    }
    searcher::ParsedQuery parsed;
    std::vector<Xapian::Query> terms;
    for (auto it = expansion.begin(); it != expansion.end(); ++it) {
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), it.get_weight());
      parsed.highlight.stems.insert(*it);
    }
    if (terms.empty()) {
      parsed.query = Xapian::Query::MatchNothing;
      return parsed;
    }
    std::vector<Xapian::Query> excluded{Xapian::Query(id_term)};
    const std::string story = database.get_document(docid).get_value(core::schema::kStorySlot);
    if (!story.empty()) excluded.emplace_back(std::string(core::schema::kStory) + story);
    parsed.query = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                 Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    parsed.scores = true;
    return parsed;
  }

  const std::vector<std::string>& index_languages() const {
    if (!languages) {
      languages.emplace();
      const std::string prefix(core::schema::kLang);
      for (auto it = database.allterms_begin(prefix); it != database.allterms_end(prefix); ++it) {
        languages->push_back((*it).substr(prefix.size()));
      }
    }
    return *languages;
  }

  // The id slot in memory, for deep id-only result lists (evaluation runs, exports):
  // reading each hit's value through the B-tree costs a value-chunk decode per hit.
  const searcher::FacetColumn& ids() const { return full_column(core::schema::kIdSlot); }

  // Opens (again) the live segments of every index, and notes which lists it opened.
  // Several indexes are one Xapian database of all their segments (Xapian interleaves
  // their document ids), so every query, facet and count spans them all.
  void open() {
    std::vector<core::ManifestStamp> before;
    for (const std::string& index : paths) before.push_back(core::manifest_stamp(index));
    Xapian::Database all;
    std::vector<Xapian::Database> all_segments;
    for (const std::string& index : paths) {
      core::OpenedIndex opened = core::open_index(index);
      for (Xapian::Database& segment : opened.segments) {
        all.add_database(segment);
        all_segments.push_back(std::move(segment));
      }
    }
    database = std::move(all);
    segments = std::move(all_segments);
    forget_derived();
    opened_stamps = std::move(before);  // A list published meanwhile is seen by the next refresh().
  }
  std::vector<core::ManifestStamp> opened_stamps;
  bool same_lists() const {
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (core::manifest_stamp(paths[i]) != opened_stamps[i]) return false;
    }
    return true;
  }

  // Drops what was read from the previous revision: built again when next needed.
  void forget_derived() {
    columns.clear();
    languages.reset();
  }

  // Runs `run` (one public operation of the Searcher) on a fresh view of the index
  // when a writer's commit discarded the revision it was reading (Xapian's
  // DatabaseModifiedError): a search never fails because of a commit. `may_retry`
  // says whether running again is still possible (an export that has passed hits on
  // cannot start over).
  template <typename Run>
  auto retrying(Run&& run, const std::function<bool()>& may_retry = {}) {
    constexpr int kAttempts = 10;
    for (int attempt = 1;; ++attempt) {
      try {
        return run();
      } catch (const Xapian::DatabaseModifiedError& error) {
        if (attempt == kAttempts || (may_retry && !may_retry())) {
          throw IndexError(path + ": the index kept changing while being read (" + std::to_string(attempt) +
                           (attempt == 1 ? " attempt" : " attempts") + "): " + error.get_msg());
        }
        open();
      }
    }
  }

  // A hit's snippet: from the body, or from the reader comments when the query's words
  // matched there and not in the body (comments:, --include-comments).
  std::string snippet(const Article& article, const searcher::ParsedQuery& parsed, const core::Stemmer& stemmer,
                      const searcher::SnippetOptions& options) const;

  // The request's query as parsed (stopwords, proximity, more like this applied).
  searcher::ParsedQuery parse(const SearchRequest& request) const;

  // What analytics count: the request's matches, and every article its filters admit.
  struct Scope {
    Xapian::Query matching;
    Xapian::Query everything;
    bool filtered = false;  // False: `everything` is the whole index.
    QueryNotes notes;       // What the query left out.
  };
  Scope scope(const SearchRequest& request) const {
    const searcher::FilterQueries filters(request.filters);
    const Filters& f = request.filters;
    searcher::ParsedQuery parsed = parse(request);
    return Scope{filters.apply(parsed.query, nullptr), filters.apply(searcher::match_all(), nullptr),
                 !f.outlets.empty() || !f.tags.empty() || !f.langs.empty() || f.from || f.to,
                 QueryNotes{std::move(parsed.ignored), parsed.nothing_searchable}};
  }

  // A slot's column, built now if need be (analytics read whole columns anyway).
  const searcher::FacetColumn& full_column(Xapian::valueno slot) const {
    auto& column = columns[slot];
    if (!column) column = std::make_unique<searcher::FacetColumn>(segments, slot);
    return *column;
  }

  const searcher::FacetColumn* column(Xapian::valueno slot) const {
    if (faceted_searches < 2) return nullptr;
    auto& column = columns[slot];
    if (!column) column = std::make_unique<searcher::FacetColumn>(segments, slot);
    return column.get();
  }
};


}  // namespace gazette
