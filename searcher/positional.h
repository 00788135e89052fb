// Phrases and NEAR: the part of the "query" stage that checks where words stand.
//
// The query parser describes each position-bearing clause as a Positional tree (a word,
// a wildcard, alternatives, a phrase, a NEAR). to_query() turns it into the Xapian
// query that ranks it: a phrase or NEAR weighs what its words weigh (as Xapian's own
// OP_PHRASE does), and a posting source keeps only the articles whose words stand where
// the tree says, reading each candidate's positions from its positions record
// (core/positions.h) or, for the short fields and for indexes written before the
// record, from Xapian's position lists.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

namespace gazette::searcher {

struct Positional {
  enum class Kind { kTerm, kWildcard, kAny, kPhrase, kNear };

  Kind kind = Kind::kTerm;
  // kTerm: the term; kWildcard: what its terms start with (prefix included).
  std::string term;
  // kTerm and kWildcard: the Xapian query that matches and ranks the word.
  Xapian::Query leaf;
  // kAny: alternatives; kPhrase: words in order, adjacent; kNear: in any order, close.
  std::vector<Positional> children;
  // kNear: how many other words may stand between the operands.
  unsigned slack = 0;

  static Positional word(std::string term, Xapian::Query leaf);
  static Positional wildcard(std::string prefix, Xapian::Query leaf);
  static Positional any(std::vector<Positional> alternatives);
  static Positional phrase(std::vector<Positional> words);
  static Positional near(std::vector<Positional> operands, unsigned slack);

  // A readable form, e.g. PHRASE(oil, price): equal trees have equal descriptions.
  std::string description() const;
};

// The query matching and ranking what `node` describes.
Xapian::Query to_query(const Positional& node);

}  // namespace gazette::searcher
