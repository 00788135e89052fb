// Article → Xapian document: stems with their positions, filter terms, values, data.
#include "indexer/document_builder.h"

#include <optional>
#include <string>

#include "core/article_json.h"
#include "core/language.h"
#include "core/schema.h"
#include "indexer/dedup.h"

namespace gazette::indexer {

namespace schema = core::schema;

Xapian::termpos DocumentBuilder::index_text(Xapian::Document& document, std::string_view text,
                                            std::string_view prefix,
                                            CachingStemmer& stemmer, Xapian::termpos start,
                                            Xapian::termcount weight, FingerprintBuilder* print, bool body) {
  Xapian::termpos position = start;
  std::string term(prefix);
  const std::size_t term_prefix = term.size();
  const bool spelling = prefix == schema::kText;
  // Long fields keep their positions in the article's positions record.
  const std::optional<core::positions::Field> recorded = core::positions::field_of(term);
  tokenizer_.for_each(text, [&](std::string_view word, std::size_t, std::size_t) {
    if (print) body ? print->body_word(word) : print->title_word(word);
    // Dictionary words for suggestions: no numbers, nothing too short or too long.
    if (spelling && word.size() >= 3 && word.size() <= 32 &&
        word.find_first_of("0123456789") == std::string_view::npos) {
      ++spelling_words_[std::string(word)];
    }
    term.resize(term_prefix);
    term.append(stemmer(word));
    if (recorded) {
      document.add_term(term, weight);
      positions_.add(*recorded, term, position++);
    } else {
      document.add_posting(term, position++, weight);
    }
  });
  return position;
}

const std::string& DocumentBuilder::CachingStemmer::operator()(std::string_view word) {
  std::string key(word);
  if (const auto it = stems_.find(key); it != stems_.end()) return it->second;
  if (stems_.size() >= kMaxEntries) stems_.clear();  // Bounded memory on huge vocabularies.
  std::string stem = stemmer_(key);
  return stems_.emplace(std::move(key), std::move(stem)).first->second;
}

DocumentBuilder::CachingStemmer& DocumentBuilder::stemmer_for(const std::string& lang) {
  auto it = stemmers_.find(lang);
  if (it == stemmers_.end()) it = stemmers_.emplace(lang, CachingStemmer(lang)).first;
  return it->second;
}

std::vector<std::pair<std::string, unsigned>> DocumentBuilder::take_spelling_words() {
  std::vector<std::pair<std::string, unsigned>> words(spelling_words_.begin(), spelling_words_.end());
  spelling_words_.clear();
  return words;
}

Xapian::Document DocumentBuilder::build(const Article& given) {
  spelling_words_.clear();
  positions_.finish();  // Nothing left from an article whose build threw.
  // An article that names no language gets the detected one, stored and shown with
  // where it came from.
  std::optional<Article> completed;
  if (given.lang.empty()) {
    const core::DetectedLanguage detected = core::detect_language(given.title + "\n" + given.body);
    if (!detected.code.empty()) {
      completed = given;
      completed->lang = detected.code;
      completed->provenance.emplace_back("lang", "detected by CLD2 (" + std::to_string(detected.percent) + "% of the text)");
    }
  }
  const Article& article = completed ? *completed : given;
  Xapian::Document document;
  CachingStemmer& stemmer = stemmer_for(article.lang);

  // Default field: title (weighted) then body, a gap between so phrases stay inside one.
  std::optional<FingerprintBuilder> print;
  if (fingerprints_) print.emplace();
  FingerprintBuilder* print_sink = print ? &*print : nullptr;
  Xapian::termpos next = index_text(document, article.title, schema::kText, stemmer, 1,
                                    title_weight_, print_sink, false);
  index_text(document, article.body, schema::kText, stemmer, next + schema::kFieldGap, 1, print_sink, true);

  index_text(document, article.title, schema::kTitle, stemmer, 1, 1);
  Xapian::termpos author_position = 1;
  for (const std::string& author : article.authors) {
    author_position =
        index_text(document, author, schema::kAuthor, stemmer, author_position, 1) +
        schema::kFieldGap;
  }
  index_text(document, article.outlet, schema::kOutletText, stemmer, 1, 1);
  // Comments with positions but no within-document frequency: they match (phrases too)
  // but add nothing to the document length, so a long thread does not push the article's
  // own words down the ranking.
  index_text(document, article.comments, schema::kComments, stemmer, 1, 0);
  Xapian::termpos tag_position = 1;
  for (const std::string& tag : article.tags) {
    tag_position = index_text(document, tag, schema::kTagText, stemmer, tag_position, 1) +
                   schema::kFieldGap;
    document.add_boolean_term(schema::tag_term(tag));
  }

  document.add_boolean_term(schema::id_term(article.id));
  document.add_value(schema::kIdSlot, article.id);
  document.add_boolean_term(schema::lang_term(article.lang));
  if (!article.outlet.empty()) {
    document.add_boolean_term(schema::outlet_term(article.outlet));
    document.add_value(schema::kOutletSlot, article.outlet);
  }
  if (article.date) {
    // Days, months, years and the date value all read the publisher's clock, so that
    // filters, facets and timelines agree on an article's day (docs/formats.md).
    const UnixSeconds clock = publisher_clock(article);
    document.add_boolean_term(schema::day_term(clock));
    document.add_boolean_term(schema::month_term(clock));
    document.add_boolean_term(schema::year_term(clock));
    document.add_value(schema::kDateSlot, Xapian::sortable_serialise(static_cast<double>(clock)));
    const std::string day = schema::day_key(clock);
    document.add_value(schema::kDaySlot, day);
    document.add_value(schema::kMonthSlot, day.substr(0, 6));
  }
  if (std::string record = positions_.finish(); !record.empty()) {
    document.add_value(schema::kPositionsSlot, record);
  }
  if (print) add_fingerprint(document, article, print->finish());
  // A story id the input carries (a news aggregator's cluster) is the article's story
  // whether or not duplicates are looked for.
  if (!article.story.empty()) set_story(document, article.story);
  document.set_data(core::encode_stored(article));
  return document;
}

}  // namespace gazette::indexer
