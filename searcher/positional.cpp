// Phrase and NEAR matching over positions records and Xapian position lists.
#include "searcher/positional.h"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <utility>

#include "core/positions.h"
#include "core/schema.h"

namespace gazette::searcher {

Positional Positional::word(std::string term, Xapian::Query leaf) {
  Positional node;
  node.kind = Kind::kTerm;
  node.term = std::move(term);
  node.leaf = std::move(leaf);
  return node;
}

Positional Positional::wildcard(std::string prefix, Xapian::Query leaf) {
  Positional node = word(std::move(prefix), std::move(leaf));
  node.kind = Kind::kWildcard;
  return node;
}

Positional Positional::any(std::vector<Positional> alternatives) {
  if (alternatives.size() == 1) return std::move(alternatives.front());
  Positional node;
  node.kind = Kind::kAny;
  node.children = std::move(alternatives);
  return node;
}

Positional Positional::phrase(std::vector<Positional> words) {
  if (words.size() == 1) return std::move(words.front());
  Positional node;
  node.kind = Kind::kPhrase;
  node.children = std::move(words);
  return node;
}

Positional Positional::near(std::vector<Positional> operands, unsigned slack) {
  Positional node;
  node.kind = Kind::kNear;
  node.children = std::move(operands);
  node.slack = slack;
  return node;
}

std::string Positional::description() const {
  switch (kind) {
    case Kind::kTerm:
      return term;
    case Kind::kWildcard:
      return term + "*";
    default:
      break;
  }
  std::string out = kind == Kind::kAny ? "ANY(" : kind == Kind::kPhrase ? "PHRASE(" : "NEAR/" + std::to_string(slack) + "(";
  for (std::size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + children[i].description();
  return out + ")";
}

namespace {

using Span = std::pair<Xapian::termpos, Xapian::termpos>;  // First and last position.
namespace positions = core::positions;

// A malformed positions record, reported as Xapian reports a damaged database.
[[noreturn]] void corrupt_record(Xapian::docid docid, const std::runtime_error& error) {
  throw Xapian::DatabaseCorruptError("document " + std::to_string(docid) + ": " + error.what());
}

// One article's word positions, read as the tree asks for them.
class ArticlePositions {
 public:
  // `record`: the article's positions record ("" when it has none).
  ArticlePositions(const Xapian::Database& database, Xapian::docid docid, std::string record)
      : database_(database), docid_(docid), bytes_(std::move(record)) {
    if (bytes_.empty()) return;
    try {
      record_.emplace(bytes_);
    } catch (const std::runtime_error& error) {
      corrupt_record(docid, error);
    }
  }

  // Positions of a word, or of every word starting with a wildcard's prefix. `present`:
  // the article is known to hold the word (the query requires it).
  std::vector<Xapian::termpos> of(const Positional& leaf, bool present) {
    const bool prefix = leaf.kind == Positional::Kind::kWildcard;
    std::vector<Xapian::termpos> out;
    const std::optional<positions::Field> field = positions::field_of(leaf.term);
    if (record_ && field) {
      const std::uint32_t distinct = record_->distinct(*field);
      if (distinct == 0) return out;
      std::vector<std::uint32_t> indexes;
      if (!prefix) {
        const auto [low, high] = record_->find(*field, positions::term_hash(leaf.term, positions::hash_bits(distinct)));
        if (low == high) return out;  // No word of the article has its hash.
        if (high - low == 1 && present) {
          indexes.push_back(low);
        } else {
          // Shared hash, or a word the article may lack: its termlist decides.
          const std::vector<std::string>& terms = ordered_terms(*field);
          for (std::uint32_t index = low; index < high; ++index) {
            if (terms[index] == leaf.term) indexes.push_back(index);
          }
        }
      } else {
        const std::vector<std::string>& terms = ordered_terms(*field);
        for (std::size_t index = 0; index < terms.size(); ++index) {
          if (terms[index].starts_with(leaf.term)) indexes.push_back(static_cast<std::uint32_t>(index));
        }
      }
      if (indexes.empty()) return out;
      try {
        record_->positions_of(*field, indexes, out);
      } catch (const std::runtime_error& error) {
        corrupt_record(docid_, error);
      }
      return out;
    }
    if (!prefix) {
      for (auto it = database_.positionlist_begin(docid_, leaf.term); it != database_.positionlist_end(docid_, leaf.term); ++it) {
        out.push_back(*it);
      }
      return out;
    }
    Xapian::TermIterator term = database_.termlist_begin(docid_);
    for (term.skip_to(leaf.term); term != database_.termlist_end(docid_) && (*term).starts_with(leaf.term); ++term) {
      for (auto it = term.positionlist_begin(); it != term.positionlist_end(); ++it) out.push_back(*it);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  // A recorded field's distinct terms in the record's order (by hash, then by term),
  // from the article's termlist.
  const std::vector<std::string>& ordered_terms(positions::Field field) {
    if (!terms_loaded_) {
      for (auto term = database_.termlist_begin(docid_); term != database_.termlist_end(docid_); ++term) {
        if (const auto field = positions::field_of(*term)) terms_[static_cast<std::size_t>(*field)].push_back(*term);
      }
      for (std::size_t g = 0; g < positions::kFields; ++g) {
        const auto recorded = static_cast<positions::Field>(g);
        const std::uint32_t distinct = record_->distinct(recorded);
        const unsigned bits = positions::hash_bits(distinct);
        std::vector<std::pair<std::uint32_t, std::string>> keyed;
        for (std::string& term : terms_[g]) keyed.emplace_back(positions::term_hash(term, bits), std::move(term));
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        terms_[g].clear();
        bool fits = keyed.size() == distinct;
        for (std::size_t i = 0; fits && i < keyed.size(); ++i) {
          fits = keyed[i].first == record_->hash_at(recorded, static_cast<std::uint32_t>(i));
          terms_[g].push_back(std::move(keyed[i].second));
        }
        if (!fits) {
          throw Xapian::DatabaseCorruptError("the positions record of document " + std::to_string(docid_) +
                                             " does not match its terms");
        }
      }
      terms_loaded_ = true;
    }
    return terms_[static_cast<std::size_t>(field)];
  }

  const Xapian::Database& database_;
  Xapian::docid docid_;
  std::string bytes_;
  std::optional<positions::Record> record_;  // Reads `bytes_`; none when it is empty.
  bool terms_loaded_ = false;
  std::array<std::vector<std::string>, positions::kFields> terms_;
};

// Where `node` stands in the article: the spans it covers, sorted. `present`: the
// query requires every word of `node` (no alternatives above it).
std::vector<Span> spans(const Positional& node, ArticlePositions& article, bool present = true) {
  std::vector<Span> out;
  switch (node.kind) {
    case Positional::Kind::kTerm:
    case Positional::Kind::kWildcard:
      for (const Xapian::termpos position : article.of(node, present)) out.emplace_back(position, position);
      return out;
    case Positional::Kind::kAny:
      for (const Positional& child : node.children) {
        const std::vector<Span> more = spans(child, article, false);
        out.insert(out.end(), more.begin(), more.end());
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    case Positional::Kind::kPhrase: {
      out = spans(node.children.front(), article, present);
      for (std::size_t i = 1; i < node.children.size() && !out.empty(); ++i) {
        const std::vector<Span> next = spans(node.children[i], article, present);
        std::vector<Span> joined;
        for (const Span& left : out) {
          // The next word's spans that start right after this one ends.
          auto it = std::lower_bound(next.begin(), next.end(), Span{left.second + 1, 0});
          for (; it != next.end() && it->first == left.second + 1; ++it) joined.emplace_back(left.first, it->second);
        }
        std::sort(joined.begin(), joined.end());
        out = std::move(joined);
      }
      return out;
    }
    case Positional::Kind::kNear: {
      std::vector<std::vector<Span>> operands;
      for (const Positional& child : node.children) {
        operands.push_back(spans(child, article, present));
        if (operands.back().empty()) return out;
      }
      // From each position an operand starts at, the nearest occurrence of every
      // operand at or after it: they match when the words between them are few enough.
      std::vector<Xapian::termpos> starts;
      for (const auto& operand : operands) {
        for (const Span& span : operand) starts.push_back(span.first);
      }
      std::sort(starts.begin(), starts.end());
      starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
      for (const Xapian::termpos start : starts) {
        Xapian::termpos first = 0, last = 0;
        std::uint64_t own = 0;
        bool complete = true;
        for (const auto& operand : operands) {
          const Span* best = nullptr;
          for (auto it = std::lower_bound(operand.begin(), operand.end(), Span{start, 0}); it != operand.end(); ++it) {
            if (!best || it->second < best->second) best = &*it;
            if (best->second < it->first) break;  // Later spans end later still.
          }
          if (!best) {
            complete = false;
            break;
          }
          first = first == 0 ? best->first : std::min(first, best->first);
          last = std::max(last, best->second);
          own += best->second - best->first + 1;
        }
        if (!complete) break;  // Some operand has no occurrence this late.
        const std::uint64_t covered = last - first + 1;
        if (covered <= own + node.slack) out.emplace_back(first, last);
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    }
  }
  return out;
}

// The articles whose words stand where a phrase or NEAR says: a filter beside the
// query of its words, so it is only asked about articles holding all of them.
class PositionFilter : public Xapian::PostingSource {
 public:
  explicit PositionFilter(std::shared_ptr<const Positional> node) : node_(std::move(node)) {}

  void init(const Xapian::Database& database) override {
    database_ = database;
    documents_ = database.get_doccount();
    all_ = Xapian::PostingIterator();
    records_ = database.valuestream_begin(core::schema::kPositionsSlot);
    records_at_ = 0;
    started_ = false;
    at_end_ = documents_ == 0;
    current_ = 0;
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  // As many as the database holds, so Xapian checks the words' matches against the
  // filter rather than walking it.
  Xapian::doccount get_termfreq_est() const override { return documents_; }
  Xapian::doccount get_termfreq_max() const override { return documents_; }

  void next(double) override { advance(current_ + 1); }
  void skip_to(Xapian::docid docid, double) override {
    if (!started_ || docid > current_) advance(std::max(docid, current_ + 1));
  }
  bool check(Xapian::docid docid, double) override {
    started_ = true;
    current_ = docid;
    return matches(docid);  // False leaves the position open: next() moves on from `docid`.
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }
  PositionFilter* clone() const override { return new PositionFilter(node_); }
  std::string get_description() const override { return "PositionFilter(" + node_->description() + ")"; }

 private:
  bool matches(Xapian::docid docid) {
    ArticlePositions article(database_, docid, record_of(docid));
    return !spans(*node_, article).empty();
  }

  // The records are read as a stream, in document order, as Xapian asks about articles.
  std::string record_of(Xapian::docid docid) {
    if (docid < records_at_) {
      records_ = database_.valuestream_begin(core::schema::kPositionsSlot);
      records_at_ = 0;
    }
    records_at_ = docid;
    const Xapian::ValueIterator end = database_.valuestream_end(core::schema::kPositionsSlot);
    if (records_ == end) return {};
    if (records_.get_docid() < docid) records_.skip_to(docid);
    return records_ != end && records_.get_docid() == docid ? *records_ : std::string();
  }

  // To the first matching article at or after `from`.
  void advance(Xapian::docid from) {
    if (all_ == Xapian::PostingIterator()) all_ = database_.postlist_begin(std::string());
    started_ = true;
    all_.skip_to(from);
    while (all_ != database_.postlist_end(std::string()) && !matches(*all_)) ++all_;
    at_end_ = all_ == database_.postlist_end(std::string());
    if (!at_end_) current_ = *all_;
  }

  std::shared_ptr<const Positional> node_;
  Xapian::Database database_;
  Xapian::doccount documents_ = 0;
  Xapian::PostingIterator all_;
  Xapian::ValueIterator records_;
  Xapian::docid records_at_ = 0;
  bool started_ = false;
  bool at_end_ = false;
  Xapian::docid current_ = 0;
};

// What every match of `node` must hold, whatever the positions: the query ranking it.
Xapian::Query words_of(const Positional& node) {
  switch (node.kind) {
    case Positional::Kind::kTerm:
    case Positional::Kind::kWildcard:
      return node.leaf;
    case Positional::Kind::kAny:
    case Positional::Kind::kPhrase:
    case Positional::Kind::kNear: {
      std::vector<Xapian::Query> parts;
      for (const Positional& child : node.children) parts.push_back(words_of(child));
      const auto op = node.kind == Positional::Kind::kAny ? Xapian::Query::OP_OR : Xapian::Query::OP_AND;
      return Xapian::Query(op, parts.begin(), parts.end());
    }
  }
  return Xapian::Query();
}

}  // namespace

Xapian::Query to_query(const Positional& node) {
  switch (node.kind) {
    case Positional::Kind::kTerm:
    case Positional::Kind::kWildcard:
      return node.leaf;
    case Positional::Kind::kAny: {
      std::vector<Xapian::Query> parts;
      for (const Positional& child : node.children) parts.push_back(to_query(child));
      return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
    case Positional::Kind::kPhrase:
    case Positional::Kind::kNear: {
      auto* filter = new PositionFilter(std::make_shared<const Positional>(node));
      return Xapian::Query(Xapian::Query::OP_FILTER, words_of(node), Xapian::Query(filter->release()));
    }
  }
  return Xapian::Query();
}

}  // namespace gazette::searcher
