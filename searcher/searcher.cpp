// The "rank" stage and the assembly of a response: filters, BM25 or date order,
// disjunctive facet counts, hits with snippets.
#include "gazette/search.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include <xapian.h>

#include "core/analysis.h"
#include "core/article_json.h"
#include "core/disk_usage.h"
#include "core/segments.h"
#include "core/schema.h"
#include "core/stopwords.h"
#include "core/xapian_error.h"
#include "gazette/errors.h"
#include "searcher/facets.h"
#include "searcher/query_parser.h"
#include "searcher/searcher_impl.h"
#include "searcher/snippets.h"
#include "searcher/spelling.h"

namespace gazette {
namespace {

namespace schema = core::schema;


}  // namespace

Searcher::Searcher(const std::string& path) : Searcher(std::vector<std::string>{path}) {}

Searcher::Searcher(const std::vector<std::string>& paths) : impl_(std::make_unique<Impl>()) {
  if (paths.empty()) throw IndexError("no index to search");
  impl_->paths = paths;
  for (const std::string& path : paths) impl_->path += (impl_->path.empty() ? "" : ", ") + path;
  impl_->open();
}

Searcher::~Searcher() = default;

void Searcher::reopen() {
  // The segment list may have changed: read it again (Xapian's reopen() would only
  // refresh the segments already open).
  impl_->open();
}

bool Searcher::refresh() {
  if (impl_->same_lists()) {
    // Same segment list. Deletions are applied to segments in place; a single
    // database (the older layout) changes in place too: Xapian's reopen sees both.
    try {
      if (!impl_->database.reopen()) return false;
      impl_->forget_derived();
      return true;
    } catch (const Xapian::DatabaseOpeningError&) {
      // A merge published a new list and removed a segment between the stamp and the
      // reopen: open the new list (open() reads it again until it holds still).
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": " + core::xapian_message(error));
    }
  }
  impl_->open();
  return true;
}

namespace {

// The query, with articles where successive bare words of it stand within the
// proximity window of each other scoring more: NEAR of each pair, weighted as
// the pair's words and scaled by the proximity weight, as an optional extra.
Xapian::Query with_proximity(const searcher::ParsedQuery& parsed, const SearchRequest& request) {
  // The first pairs only: a query of hundreds of words gets no more positional checks
  // than a long sentence.
  constexpr std::size_t kMaxPairs = 32;
  std::vector<Xapian::Query> pairs;
  for (std::size_t i = 0; i + 1 < parsed.bare_words.size() && pairs.size() < kMaxPairs; ++i) {
    const searcher::Positional& left = parsed.bare_words[i];
    const searcher::Positional& right = parsed.bare_words[i + 1];
    if (left.description() == right.description()) continue;
    // Both words within a window of `proximity_window` positions.
    const unsigned slack = std::max(2u, request.proximity_window) - 2;
    pairs.push_back(searcher::to_query(searcher::Positional::near({left, right}, slack)));
  }
  if (pairs.empty()) return parsed.query;
  const Xapian::Query boost(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()),
                            request.proximity_weight);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, parsed.query, boost);
}

}  // namespace

std::string Searcher::Impl::snippet(const Article& article, const searcher::ParsedQuery& parsed,
                                    const core::Stemmer& stemmer, const searcher::SnippetOptions& options) const {
  bool in_body = false;
  std::string from_body = searcher::make_snippet(tokenizer, stemmer, article.body, parsed.highlight, options, &in_body);
  // The comments, when the words matched there and not in the body.
  if (!in_body && !article.comments.empty() && !parsed.comment_highlight.empty()) {
    bool in_comments = false;
    std::string from_comments =
        searcher::make_snippet(tokenizer, stemmer, article.comments, parsed.comment_highlight, options, &in_comments);
    if (in_comments) return "Comments: " + from_comments;
  }
  return from_body;
}

searcher::ParsedQuery Searcher::Impl::parse(const SearchRequest& request) const {
  searcher::QueryParser parser(request.lang, request.default_operator, request.include_comments);
  parser.set_index_languages(index_languages());
  parser.set_term_budget(&database, request.max_query_terms);
  if (request.stopwords != "none" && !request.stopwords.empty()) {
    parser.set_stopwords(core::StopwordList(request.stopwords == "auto" ? request.lang : request.stopwords));
  }
  searcher::ParsedQuery parsed = !request.like_id.empty() ? more_like(request.like_id)
                                 : request.plain_words     ? parser.parse_words(request.query)
                                                           : parser.parse(request.query);
  if (request.proximity_weight > 0 && parsed.scores) parsed.query = with_proximity(parsed, request);
  return parsed;
}

SearchResponse Searcher::search(const SearchRequest& request) const {
  return impl_->retrying([&]() -> SearchResponse {
    const searcher::ParsedQuery parsed = impl_->parse(request);
    const searcher::FilterQueries filters(request.filters);
    const Xapian::doccount all = impl_->database.get_doccount();
    SearchResponse response;
    response.notes = {parsed.ignored, parsed.nothing_searchable};

    try {
      Xapian::Enquire enquire(impl_->database);
      enquire.set_weighting_scheme(searcher::bm25(request.bm25_k1, request.bm25_b));
      enquire.set_query(filters.apply(parsed.query, nullptr));
      if (request.collapse_stories) enquire.set_collapse_key(schema::kStorySlot);
      const bool hybrid = request.sort == SortOrder::kHybrid && parsed.scores;
      const bool by_date = (request.sort != SortOrder::kRelevance && !hybrid) || !parsed.scores;
      if (by_date) {
        const bool newest_first = request.sort != SortOrder::kDateOldest;
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, newest_first);
      }

      // Facets whose own filter is not set count over the main matches; the others need
      // a pass of their own without that filter (disjunctive faceting).
      const bool want_outlets = request.outlet_facet_size > 0;
      if (want_outlets || request.date_facet) ++impl_->faceted_searches;
      const Xapian::valueno date_slot = searcher::date_slot(request.date_granularity);
      searcher::FacetCounter outlet_counter(schema::kOutletSlot,
                                            want_outlets ? impl_->column(schema::kOutletSlot) : nullptr);
      searcher::FacetCounter date_counter(date_slot, request.date_facet ? impl_->column(date_slot) : nullptr);
      const bool outlet_own_pass = want_outlets && filters.outlet.has_value();
      const bool date_own_pass = request.date_facet && filters.date.has_value();
      // Column spies count one segment at a time, in boolean passes of their own (Xapian
      // gives a spy each segment's own document ids); Xapian's spies read values from the
      // documents and can ride on the ranked pass.
      std::vector<searcher::SegmentSpy*> main_column_spies;
      const auto count_on_main = [&](searcher::FacetCounter& counter) {
        if (searcher::SegmentSpy* spy = counter.column_spy()) {
          main_column_spies.push_back(spy);
        } else {
          enquire.add_matchspy(&counter.spy());
        }
      };
      if (want_outlets && !outlet_own_pass) count_on_main(outlet_counter);
      if (request.date_facet && !date_own_pass) count_on_main(date_counter);

      // Facet counts need every match; so does an exact total. Otherwise count a bounded
      // number and let Xapian estimate the rest. A boolean counting pass gives the exact
      // total by itself, so the ranked pass may stop early (unless stories collapse: the
      // total then counts stories, which only the ranked pass knows).
      constexpr Xapian::doccount kCountedWhenEstimating = 1000;
      const bool counting_pass = !main_column_spies.empty() && !request.collapse_stories;
      const bool exact = (request.exact_total || want_outlets || request.date_facet) && !counting_pass;
      const Xapian::doccount check_at_least =
          exact ? all : static_cast<Xapian::doccount>(std::max<std::size_t>(request.offset + request.limit, kCountedWhenEstimating));
      // Hybrid order reranks the best BM25 matches, so it fetches them from the top.
      constexpr std::size_t kHybridDepth = 1000;
      const std::size_t first = hybrid ? 0 : request.offset;
      const std::size_t count = hybrid ? std::max(kHybridDepth, request.offset + request.limit) : request.limit;
      const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(first), static_cast<Xapian::doccount>(count),
                                                 std::max<Xapian::doccount>(check_at_least, static_cast<Xapian::doccount>(count)));
      response.total_is_exact = exact || mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      response.total = mset.get_matches_estimated();
      if (!main_column_spies.empty()) {
        const std::size_t counted = searcher::count_matches(impl_->segments, filters.apply(parsed.query, nullptr), main_column_spies);
        if (counting_pass) {
          response.total = counted;
          response.total_is_exact = true;
        }
      }
      std::size_t date_pass_total = response.total;

      const auto count_pass = [&](const std::optional<Xapian::Query>& left_out, searcher::FacetCounter& counter) {
        const Xapian::Query query = filters.apply(parsed.query, &left_out);
        if (searcher::SegmentSpy* spy = counter.column_spy()) return searcher::count_matches(impl_->segments, query, {spy});
        Xapian::Enquire pass(impl_->database);
        pass.set_weighting_scheme(Xapian::BoolWeight());
        pass.set_query(query);
        pass.add_matchspy(&counter.spy());
        return static_cast<std::size_t>(pass.get_mset(0, 0, all).get_matches_estimated());
      };
      if (outlet_own_pass) count_pass(filters.outlet, outlet_counter);
      if (date_own_pass) date_pass_total = count_pass(filters.date, date_counter);

      if (want_outlets) response.outlet_facet = searcher::top_values(outlet_counter.counts(), request.outlet_facet_size);
      if (request.date_facet) {
        response.date_facet = searcher::date_histogram(date_counter.counts(), request.date_granularity);
        std::size_t dated = 0;
        for (const FacetValue& bucket : response.date_facet) dated += bucket.count;
        response.undated = date_pass_total - dated;
      }

      const core::Stemmer stemmer(request.lang);
      const searcher::SnippetOptions snippet_options{request.snippet_length, request.highlight_open,
                                                     request.highlight_close};
      // The page of results with their scores: BM25's order, or the hybrid reordering.
      std::vector<std::pair<Xapian::MSetIterator, double>> page;
      for (auto it = mset.begin(); it != mset.end(); ++it) page.emplace_back(it, parsed.scores ? it.get_weight() : 0.0);
      if (hybrid) {
        const std::string newest = impl_->database.get_value_upper_bound(schema::kDateSlot);
        const std::string oldest = impl_->database.get_value_lower_bound(schema::kDateSlot);
        const double reference = newest.empty() ? 0.0 : Xapian::sortable_unserialise(newest);
        const double undated_age = oldest.empty() ? 0.0 : reference - Xapian::sortable_unserialise(oldest);
        const double half_life = std::max(request.recency_half_life_days, 1e-6) * 86400.0;
        for (auto& [it, score] : page) {
          const std::string date = it.get_document().get_value(schema::kDateSlot);
          const double age = date.empty() ? undated_age : std::max(0.0, reference - Xapian::sortable_unserialise(date));
          score *= std::exp2(-age / half_life);
        }
        std::stable_sort(page.begin(), page.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        page.erase(page.begin(), page.begin() + static_cast<std::ptrdiff_t>(std::min(request.offset, page.size())));
        if (page.size() > request.limit) page.resize(request.limit);
      }
      response.hits.reserve(page.size());
      std::size_t rank = request.offset;
      constexpr std::size_t kIdColumnFrom = 100;  // Hits; fewer are cheaper read one by one.
      const searcher::FacetColumn* id_column = request.ids_only && page.size() >= kIdColumnFrom ? &impl_->ids() : nullptr;
      for (const auto& [it, page_score] : page) {
        Hit hit;
        if (id_column) {
          if (const std::uint32_t ordinal = id_column->ordinal(*it); ordinal != 0) {
            hit.article.id = id_column->value(ordinal);
            hit.score = page_score;
            hit.rank = ++rank;
            response.hits.push_back(std::move(hit));
            continue;
          }
        }
        const bool need_body = request.include_body || request.snippet_length > 0;
        const Xapian::Document document = it.get_document();
        if (request.ids_only) {
          hit.article.id = document.get_value(schema::kIdSlot);
          if (hit.article.id.empty()) hit.article.id = core::decode_stored(document.get_data(), false).id;  // Older indexes.
          hit.score = page_score;
          hit.rank = ++rank;
          response.hits.push_back(std::move(hit));
          continue;
        }
        hit.article = searcher::stored_article(document, need_body);
        if (request.collapse_stories && !hit.article.story.empty()) {
          hit.other_copies = it.get_collapse_count();
          const std::string story_term = schema::story_term(hit.article.story);
          constexpr std::size_t kMaxAlsoIn = 10;
          for (Xapian::PostingIterator copy = impl_->database.postlist_begin(story_term);
               copy != impl_->database.postlist_end(story_term) && hit.also_in.size() < kMaxAlsoIn; ++copy) {
            if (*copy == *it) continue;
            const std::string outlet = impl_->database.get_document(*copy, Xapian::DOC_ASSUME_VALID).get_value(schema::kOutletSlot);
            if (!outlet.empty() && outlet != hit.article.outlet &&
                std::find(hit.also_in.begin(), hit.also_in.end(), outlet) == hit.also_in.end()) {
              hit.also_in.push_back(outlet);
            }
          }
        }
        hit.score = page_score;
        hit.rank = ++rank;
        if (request.snippet_length > 0) hit.snippet = impl_->snippet(hit.article, parsed, stemmer, snippet_options);
        if (!request.include_body) {
          hit.article.body.clear();  // Read for the snippet only.
          hit.article.comments.clear();
        }
        response.hits.push_back(std::move(hit));
      }
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": search failed: " + core::xapian_message(error));
    }
    if (request.suggest_below > 0 && response.total < request.suggest_below && !request.plain_words && !parsed.nothing_searchable &&
        !request.query.empty()) {
      try {
        const core::Stemmer stemmer(request.lang);
        const std::string respelt = searcher::respell(impl_->database, request.query, {stemmer, request.include_comments});
        if (!respelt.empty()) {
          SearchRequest probe = request;
          probe.query = respelt;
          probe.suggest_below = 0;
          probe.limit = 0;
          probe.outlet_facet_size = 0;
          probe.date_facet = false;
          probe.snippet_length = 0;
          const SearchResponse found = search(probe);
          if (found.total > response.total) {
            response.suggestion = respelt;
            response.suggestion_total = found.total;
          }
        }
      } catch (const QuerySyntaxError&) {
        // A respelling that does not parse is no suggestion.
      } catch (const Xapian::DatabaseModifiedError&) {
        throw;  // Impl::retrying reopens and runs it again.
      } catch (const Xapian::Error& error) {
        throw IndexError(impl_->path + ": spelling suggestion failed: " + core::xapian_message(error));
      }
    }
    return response;
  });
}

QueryNotes Searcher::query_notes(const SearchRequest& request) const {
  return impl_->retrying([&] {
    const searcher::ParsedQuery parsed = impl_->parse(request);
    return QueryNotes{parsed.ignored, parsed.nothing_searchable};
  });
}

std::optional<Article> Searcher::get(const std::string& id) const {
  return impl_->retrying([&]() -> std::optional<Article> {
    try {
      const std::string term = schema::id_term(id);
      Xapian::PostingIterator posting = impl_->database.postlist_begin(term);
      if (posting == impl_->database.postlist_end(term)) return std::nullopt;
      return searcher::stored_article(impl_->database.get_document(*posting), true);
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": " + core::xapian_message(error));
    }
  });
}

std::size_t Searcher::article_count() const {
  return impl_->retrying([&] { return static_cast<std::size_t>(impl_->database.get_doccount()); });
}

IndexStats Searcher::stats(std::size_t top_outlets) const {
  return impl_->retrying([&]() -> IndexStats {
    IndexStats stats;
    try {
      const Xapian::Database& database = impl_->database;
      stats.articles = database.get_doccount();
      const Xapian::doccount dated = database.get_value_freq(schema::kDateSlot);
      stats.undated = stats.articles - dated;
      if (dated > 0) {
        stats.first_date = static_cast<UnixSeconds>(
            Xapian::sortable_unserialise(database.get_value_lower_bound(schema::kDateSlot)));
        stats.last_date = static_cast<UnixSeconds>(
            Xapian::sortable_unserialise(database.get_value_upper_bound(schema::kDateSlot)));
      }
      Xapian::Enquire enquire(database);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_query(searcher::match_all());
      searcher::FacetCounter outlets(schema::kOutletSlot, nullptr);
      enquire.add_matchspy(&outlets.spy());
      enquire.get_mset(0, 0, stats.articles);
      const searcher::ValueCounts counts = outlets.counts();
      stats.outlet_count = counts.size();
      stats.top_outlets = searcher::top_values(counts, top_outlets);
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // Impl::retrying reopens and runs it again.
    } catch (const Xapian::Error& error) {
      throw IndexError(impl_->path + ": " + core::xapian_message(error));
    }
    stats.size_bytes = 0;
    for (const std::string& path : impl_->paths) stats.size_bytes += core::directory_bytes(path);
    return stats;
  });
}

}  // namespace gazette
