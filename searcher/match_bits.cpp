// Boolean matching of term queries into bit sets (searcher/match_bits.h).
#include "searcher/match_bits.h"

#include <algorithm>
#include <string>

namespace gazette::searcher {

namespace {

class Evaluator {
 public:
  explicit Evaluator(const Xapian::Database& segment) : segment_(segment), last_(segment.get_lastdocid()) {}

  std::optional<MatchBits> operator()(const Xapian::Query& query) {
    using Q = Xapian::Query;
    switch (query.get_type()) {
      case Q::LEAF_TERM:
        return term(*query.get_terms_begin());
      case Q::LEAF_MATCH_ALL:
        return term(std::string());
      case Q::LEAF_MATCH_NOTHING:
        return MatchBits(last_);
      case Q::OP_SCALE_WEIGHT:
        return (*this)(query.get_subquery(0));
      case Q::OP_AND_MAYBE:  // The optional side only adds weight.
        return (*this)(query.get_subquery(0));
      case Q::OP_AND:
      case Q::OP_FILTER:
        return intersect(query);
      case Q::OP_OR:
      case Q::OP_SYNONYM:
      case Q::OP_MAX:
      case Q::OP_XOR:
      case Q::OP_AND_NOT:
        return combine(query);
      default:
        return std::nullopt;
    }
  }

 private:
  MatchBits term(const std::string& name) {
    MatchBits bits(last_);
    for (auto it = segment_.postlist_begin(name); it != segment_.postlist_end(name); ++it) bits.set(*it);
    return bits;
  }

  // AND and FILTER: a term much more frequent than the matches so far is checked at
  // those matches (skipping through its posting list, as Xapian's matcher does) rather
  // than read whole.
  std::optional<MatchBits> intersect(const Xapian::Query& query) {
    std::vector<std::string> terms;
    std::optional<MatchBits> out;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const Xapian::Query part = query.get_subquery(i);
      if (part.get_type() == Xapian::Query::LEAF_TERM && !(*part.get_terms_begin()).empty()) {
        terms.push_back(*part.get_terms_begin());
        continue;
      }
      std::optional<MatchBits> bits = (*this)(part);
      if (!bits) return std::nullopt;
      if (!out) {
        out = std::move(bits);
      } else {
        out->intersect(*bits);
      }
    }
    std::sort(terms.begin(), terms.end(), [&](const std::string& a, const std::string& b) {
      return segment_.get_termfreq(a) < segment_.get_termfreq(b);
    });
    for (const std::string& name : terms) {
      if (!out) {
        out = term(name);
        continue;
      }
      const std::size_t matches = out->count();
      if (segment_.get_termfreq(name) < 8 * matches) {
        out->intersect(term(name));
        continue;
      }
      MatchBits kept(last_);
      Xapian::PostingIterator it = segment_.postlist_begin(name);
      const Xapian::PostingIterator end = segment_.postlist_end(name);
      out->for_each([&](Xapian::docid id) {
        if (it == end) return;
        it.skip_to(id);
        if (it != end && *it == id) kept.set(id);
      });
      out = std::move(kept);
    }
    return out ? std::move(out) : std::optional<MatchBits>(MatchBits(last_));
  }

  // OR, SYNONYM, MAX, XOR and AND_NOT: word by word.
  std::optional<MatchBits> combine(const Xapian::Query& query) {
    const Xapian::Query::op op = query.get_type();
    std::optional<MatchBits> out;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      std::optional<MatchBits> part = (*this)(query.get_subquery(i));
      if (!part) return std::nullopt;
      if (!out) {
        out = std::move(part);
        continue;
      }
      std::vector<std::uint64_t>& into = out->words();
      const std::vector<std::uint64_t>& from = part->words();
      for (std::size_t w = 0; w < into.size(); ++w) {
        switch (op) {
          case Xapian::Query::OP_AND_NOT:
            into[w] &= ~from[w];
            break;
          case Xapian::Query::OP_XOR:
            into[w] ^= from[w];
            break;
          default:  // OR, SYNONYM, MAX.
            into[w] |= from[w];
            break;
        }
      }
    }
    return out ? std::move(out) : std::optional<MatchBits>(MatchBits(last_));
  }

  const Xapian::Database& segment_;
  Xapian::docid last_;
};

}  // namespace

std::optional<MatchBits> match_bits(const Xapian::Database& segment, const Xapian::Query& query) {
  return Evaluator(segment)(query);
}

}  // namespace gazette::searcher
