// Recursive-descent parser for the query syntax. Grammar (docs/query-syntax.md):
//   or     := and (OR and)*
//   and    := clause ([AND] clause)*        adjacent clauses combine by the default operator
//   clause := (NOT | '-' | '+') clause | near
//   near   := primary (NEAR[/n] primary)*
//   primary:= '(' or ')' | FIELD ':' (word | "phrase" | '(' or ')') | "phrase" | word[*]
#include "searcher/query_parser.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/schema.h"
#include "gazette/errors.h"

namespace gazette::searcher {
namespace {

namespace schema = core::schema;

enum class Kind { kWord, kPhrase, kField, kOpen, kClose, kAnd, kOr, kNot, kNear, kPlus, kMinus, kEnd };

// Words allowed between NEAR's operands when no /n is given.
constexpr unsigned kDefaultNearDistance = 10;

struct Lexeme {
  Kind kind;
  std::string text;      // Word, phrase contents or field name.
  std::size_t position;  // 1-based character column.
  unsigned near_distance = kDefaultNearDistance;
};
constexpr Xapian::termcount kWildcardExpansion = 1000;

struct Field {
  std::string_view name;
  std::string_view prefix;
};
constexpr Field kTextFields[] = {{"title", schema::kTitle},
                                 {"author", schema::kAuthor},
                                 {"outlet", schema::kOutletText},
                                 {"tag", schema::kTagText},
                                 {"comments", schema::kComments}};
constexpr std::string_view kFieldList = "title, author, outlet, tag, comments, date, lang, id";

bool is_word_char(char c) {
  return !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"');
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Lexeme> run() {
    std::vector<Lexeme> out;
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) break;
      const std::size_t column = column_of(pos_);
      const char c = text_[pos_];
      if (c == '(') {
        out.push_back({Kind::kOpen, "(", column});
        ++pos_;
      } else if (c == ')') {
        out.push_back({Kind::kClose, ")", column});
        ++pos_;
      } else if (c == '"') {
        const std::size_t close = text_.find('"', pos_ + 1);
        if (close == std::string_view::npos) {
          throw QuerySyntaxError(column, "unterminated phrase: missing closing \"");
        }
        out.push_back({Kind::kPhrase, std::string(text_.substr(pos_ + 1, close - pos_ - 1)), column});
        pos_ = close + 1;
      } else if ((c == '+' || c == '-') && pos_ + 1 < text_.size() && is_word_char(text_[pos_ + 1]) &&
                 text_[pos_ + 1] != '+' && text_[pos_ + 1] != '-' ) {
        out.push_back({c == '+' ? Kind::kPlus : Kind::kMinus, std::string(1, c), column});
        ++pos_;
      } else if ((c == '+' || c == '-') && pos_ + 1 < text_.size() &&
                 (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '(')) {
        out.push_back({c == '+' ? Kind::kPlus : Kind::kMinus, std::string(1, c), column});
        ++pos_;
      } else {
        lex_word(out, column);
      }
    }
    out.push_back({Kind::kEnd, "", column_of(text_.size())});
    return out;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && !is_word_char(text_[pos_]) && text_[pos_] != '(' &&
           text_[pos_] != ')' && text_[pos_] != '"') {
      ++pos_;
    }
  }

  // The 1-based character column of a byte offset. Offsets only grow while lexing, so
  // counting goes on from the last one (a long query is lexed in linear time).
  std::size_t column_of(std::size_t byte) {
    byte = std::min(byte, text_.size());
    for (; counted_ < byte; ++counted_) {
      if ((static_cast<unsigned char>(text_[counted_]) & 0xC0) != 0x80) ++column_;
    }
    return column_;
  }

  void lex_word(std::vector<Lexeme>& out, std::size_t column) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) {
      // "field:" ends a word so that title:(a b) and title:"a b" work.
      if (text_[pos_] == ':' && pos_ > start && is_field_name(text_.substr(start, pos_ - start))) {
        out.push_back({Kind::kField, std::string(text_.substr(start, pos_ - start)), column});
        ++pos_;
        return;
      }
      ++pos_;
    }
    const std::string word(text_.substr(start, pos_ - start));
    if (word == "AND") {
      out.push_back({Kind::kAnd, word, column});
    } else if (word == "OR") {
      out.push_back({Kind::kOr, word, column});
    } else if (word == "NOT") {
      out.push_back({Kind::kNot, word, column});
    } else if (word == "NEAR" || word.starts_with("NEAR/")) {
      Lexeme near{Kind::kNear, word, column};
      if (word.size() > 5) {
        const std::string digits = word.substr(5);
        if (digits.empty() || digits.size() > 3 ||
            digits.find_first_not_of("0123456789") != std::string::npos || digits == "0") {
          throw QuerySyntaxError(column, "NEAR/n needs a distance from 1 to 999, got '" + word + "'");
        }
        near.near_distance = static_cast<unsigned>(std::stoul(digits));
      }
      out.push_back(near);
    } else {
      const auto colon = word.find(':');
      if (colon != std::string::npos && colon > 0 && colon + 1 < word.size()) {
        const std::string name = word.substr(0, colon);
        if (std::all_of(name.begin(), name.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
          throw QuerySyntaxError(column, "unknown field '" + name + ":' (fields are " +
                                             std::string(kFieldList) + ")");
        }
      }
      out.push_back({Kind::kWord, word, column});
    }
  }

  static bool is_field_name(std::string_view name) {
    for (const Field& field : kTextFields) {
      if (name == field.name) return true;
    }
    return name == "date" || name == "lang" || name == "id";
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t counted_ = 0;  // Bytes before column_.
  std::size_t column_ = 1;
};

// A parsed sub-query. `positional` is its form made of position-bearing terms, usable
// under NEAR (stems carry no positions).
struct Node {
  Xapian::Query query;
  std::optional<Positional> positional;
  bool scores = false;
};

Xapian::Query unweighted(const Xapian::Query& query) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, 0.0);
}

}  // namespace

struct QueryParser::Impl {
  QueryParser& owner;
  std::vector<Lexeme> lexemes;
  std::size_t next = 0;
  HighlightTerms highlight;
  std::vector<Positional> bare_words;
  std::vector<std::string> ignored;  // ParsedQuery::ignored.
  int negated = 0;  // Depth of NOT / '-' around the clause being parsed.
  std::size_t groups = 0;  // Depth of parentheses around the clause being parsed.
  std::size_t terms = 0;   // Searched so far (QueryParser::set_term_budget).
  HighlightTerms comment_highlight;  // ParsedQuery::comment_highlight.

  // Counts `count` more terms searched, refusing the query when they pass the budget.
  void spend(std::size_t count, std::size_t position) {
    terms += count;
    if (owner.max_terms_ > 0 && terms > owner.max_terms_) {
      throw QueryLimitError(position, "max_query_terms",
                            "the query searches over " + std::to_string(owner.max_terms_) +
                                " terms (words, and what its wildcards expand to); narrow its wildcards or "
                                "use fewer words");
    }
  }

  // The terms a wildcard on `start` expands to, as Xapian will expand it (at most
  // kWildcardExpansion), counted in the index before the query runs.
  std::size_t expansion(const std::string& start) const {
    if (!owner.database_) return 1;
    std::size_t count = 0;
    for (auto term = owner.database_->allterms_begin(start);
         term != owner.database_->allterms_end(start) && count < kWildcardExpansion; ++term) {
      ++count;
    }
    return count;
  }

  const Lexeme& peek() const { return lexemes[next]; }
  const Lexeme& take() { return lexemes[next++]; }

  bool starts_clause(Kind kind) const {
    return kind == Kind::kWord || kind == Kind::kPhrase || kind == Kind::kField ||
           kind == Kind::kOpen || kind == Kind::kNot || kind == Kind::kPlus ||
           kind == Kind::kMinus;
  }

  std::optional<Node> parse_or(std::string_view prefix) {
    std::vector<Node> alternatives;
    if (auto first = parse_and(prefix)) alternatives.push_back(std::move(*first));
    while (peek().kind == Kind::kOr) {
      const Lexeme& op = take();
      if (alternatives.empty()) throw QuerySyntaxError(op.position, "OR needs something before it");
      if (!starts_clause(peek().kind)) throw QuerySyntaxError(op.position, "OR needs something after it");
      if (auto node = parse_and(prefix)) alternatives.push_back(std::move(*node));
    }
    if (alternatives.empty()) return std::nullopt;
    if (alternatives.size() == 1) return std::move(alternatives.front());
    std::vector<Xapian::Query> queries;
    bool scores = false;
    for (const Node& node : alternatives) {
      queries.push_back(node.query);
      scores = scores || node.scores;
    }
    return Node{Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end()), std::nullopt, scores};
  }

  std::optional<Node> parse_and(std::string_view prefix) {
    std::vector<Node> optional_nodes, required, prohibited;
    bool explicit_and_pending = false;
    while (true) {
      const Kind kind = peek().kind;
      if (kind == Kind::kAnd) {
        const Lexeme& op = take();
        if (optional_nodes.empty() && required.empty() && prohibited.empty()) {
          throw QuerySyntaxError(op.position, "AND needs something before it");
        }
        if (!starts_clause(peek().kind)) throw QuerySyntaxError(op.position, "AND needs something after it");
        // Both sides of an explicit AND are required, whatever the default operator.
        for (Node& node : optional_nodes) required.push_back(std::move(node));
        optional_nodes.clear();
        explicit_and_pending = true;
        continue;
      }
      if (!starts_clause(kind)) break;
      Kind modifier = Kind::kEnd;
      const Lexeme& start = peek();
      if (kind == Kind::kNot || kind == Kind::kPlus || kind == Kind::kMinus) {
        modifier = kind;
        take();
        if (!starts_clause(peek().kind) || peek().kind == Kind::kNot) {
          throw QuerySyntaxError(start.position, "'" + start.text + "' needs a word, phrase or group after it");
        }
      }
      const bool negation = modifier == Kind::kNot || modifier == Kind::kMinus;
      negated += negation;
      std::optional<Node> node = parse_near(prefix);
      negated -= negation;
      if (!node) continue;
      if (modifier == Kind::kNot || modifier == Kind::kMinus) {
        prohibited.push_back(std::move(*node));
      } else if (modifier == Kind::kPlus || explicit_and_pending) {
        required.push_back(std::move(*node));
      } else {
        optional_nodes.push_back(std::move(*node));
      }
      explicit_and_pending = false;
    }
    if (owner.default_operator_ == DefaultOperator::kAll) {
      for (Node& node : optional_nodes) required.push_back(std::move(node));
      optional_nodes.clear();
    }
    if (required.empty() && optional_nodes.empty() && prohibited.empty()) return std::nullopt;

    const auto combine = [](const std::vector<Node>& nodes, Xapian::Query::op op) {
      std::vector<Xapian::Query> queries;
      for (const Node& node : nodes) queries.push_back(node.query);
      return Xapian::Query(op, queries.begin(), queries.end());
    };
    bool scores = false;
    for (const Node& node : required) scores = scores || node.scores;
    for (const Node& node : optional_nodes) scores = scores || node.scores;

    Xapian::Query positive;
    if (!required.empty() && !optional_nodes.empty()) {
      positive = Xapian::Query(Xapian::Query::OP_AND_MAYBE, combine(required, Xapian::Query::OP_AND),
                               combine(optional_nodes, Xapian::Query::OP_OR));
    } else if (!required.empty()) {
      positive = required.size() == 1 ? required.front().query : combine(required, Xapian::Query::OP_AND);
    } else if (!optional_nodes.empty()) {
      positive = optional_nodes.size() == 1 ? optional_nodes.front().query
                                            : combine(optional_nodes, Xapian::Query::OP_OR);
    } else {
      positive = match_all();  // A purely negative query: everything but.
    }
    if (!prohibited.empty()) {
      positive = Xapian::Query(Xapian::Query::OP_AND_NOT, positive, combine(prohibited, Xapian::Query::OP_OR));
    }
    if (required.size() + optional_nodes.size() == 1 && prohibited.empty()) {
      // Keep the positional form so a single parenthesised clause still works under NEAR.
      Node only = required.empty() ? optional_nodes.front() : required.front();
      return only;
    }
    return Node{positive, std::nullopt, scores};
  }

  std::optional<Node> parse_near(std::string_view prefix) {
    std::optional<Node> left = parse_primary(prefix);
    while (peek().kind == Kind::kNear) {
      const Lexeme op = take();
      if (!left || !left->positional) {
        throw QuerySyntaxError(op.position, "NEAR needs a word or phrase before it");
      }
      std::vector<Positional> operands{*left->positional};
      const unsigned distance = op.near_distance;
      const Kind next_kind = peek().kind;
      if (next_kind != Kind::kWord && next_kind != Kind::kPhrase && next_kind != Kind::kField &&
          next_kind != Kind::kOpen) {
        throw QuerySyntaxError(op.position, "NEAR needs a word or phrase after it");
      }
      std::optional<Node> right = parse_primary(prefix);
      if (!right || !right->positional) {
        throw QuerySyntaxError(op.position, "NEAR needs a word or phrase after it");
      }
      operands.push_back(*right->positional);
      // NEAR/n allows up to n other words between the operands.
      Positional near = Positional::near(std::move(operands), distance);
      Xapian::Query query = to_query(near);
      left = Node{std::move(query), std::move(near), true};
    }
    return left;
  }

  std::optional<Node> parse_primary(std::string_view prefix) {
    const Lexeme& lexeme = take();
    switch (lexeme.kind) {
      case Kind::kOpen: {
        // Each group is a level of recursion here and in every later stage: a bound
        // keeps a hostile query from exhausting the stack.
        if (groups == kMaxGroupDepth) {
          throw QuerySyntaxError(lexeme.position, "groups nested more than " + std::to_string(kMaxGroupDepth) +
                                                      " deep");
        }
        ++groups;
        std::optional<Node> inner = parse_or(prefix);
        --groups;
        if (peek().kind != Kind::kClose) {
          throw QuerySyntaxError(lexeme.position, "missing ')' for the '(' here");
        }
        take();
        return inner;
      }
      case Kind::kPhrase:
        return phrase(lexeme, prefix);
      case Kind::kWord:
        return word(lexeme, prefix);
      case Kind::kField:
        return field(lexeme, prefix);
      case Kind::kClose:
        throw QuerySyntaxError(lexeme.position, "unmatched ')'");
      case Kind::kEnd:
        throw QuerySyntaxError(lexeme.position, "query ends too early");
      default:
        throw QuerySyntaxError(lexeme.position, "unexpected '" + lexeme.text + "'");
    }
  }

  std::optional<Node> field(const Lexeme& lexeme, std::string_view outer_prefix) {
    if (!outer_prefix.empty()) {
      throw QuerySyntaxError(lexeme.position, "field '" + lexeme.text + ":' inside another field");
    }
    const Lexeme& value = peek();
    const bool adjacent = value.position == lexeme.position + lexeme.text.size() + 1;
    if (!adjacent || (value.kind != Kind::kWord && value.kind != Kind::kPhrase && value.kind != Kind::kOpen)) {
      throw QuerySyntaxError(lexeme.position, "'" + lexeme.text + ":' needs a value right after it");
    }
    if (lexeme.text == "date") return date_value(take());
    if (lexeme.text == "lang" || lexeme.text == "id") {
      const Lexeme& term = take();
      if (term.kind == Kind::kOpen) throw QuerySyntaxError(term.position, "'" + lexeme.text + ":' takes one value");
      const std::string boolean = lexeme.text == "lang" ? schema::lang_term(term.text) : schema::id_term(term.text);
      return Node{unweighted(Xapian::Query(boolean)), std::nullopt, false};
    }
    for (const Field& text_field : kTextFields) {
      if (lexeme.text == text_field.name) return parse_primary(text_field.prefix);
    }
    throw QuerySyntaxError(lexeme.position, "unknown field '" + lexeme.text + ":'");
  }

  std::optional<Node> date_value(const Lexeme& value) {
    if (value.kind != Kind::kWord) throw QuerySyntaxError(value.position, "date: needs a date or a range a..b");
    const std::string& text = value.text;
    const auto bad = [&](const std::string& part) {
      return QuerySyntaxError(value.position, "date: cannot read '" + part +
                                                  "' (use YYYY, YYYY-MM, YYYY-MM-DD, or a range a..b)");
    };
    const auto dots = text.find("..");
    if (dots == std::string::npos) {
      const auto period = parse_period(text);
      if (!period) throw bad(text);
      std::string term;
      if (text.size() == 4) term = schema::year_term(period->first);
      else if (text.size() == 7) term = schema::month_term(period->first);
      else if (text.size() == 10) term = schema::day_term(period->first);
      if (!term.empty()) return Node{unweighted(Xapian::Query(term)), std::nullopt, false};
      return Node{date_range(period->first, period->second), std::nullopt, false};
    }
    const std::string low_text = text.substr(0, dots), high_text = text.substr(dots + 2);
    if (low_text.empty() && high_text.empty()) throw bad(text);
    std::optional<UnixSeconds> low, high;
    if (!low_text.empty()) {
      const auto period = parse_period(low_text);
      if (!period) throw bad(low_text);
      low = period->first;
    }
    if (!high_text.empty()) {
      const auto period = parse_period(high_text);
      if (!period) throw bad(high_text);
      high = period->second;
    }
    if (low && high && *low > *high) {
      throw QuerySyntaxError(value.position, "date: range starts after it ends");
    }
    return Node{date_range(low, high), std::nullopt, false};
  }

  static Xapian::Query date_range(std::optional<UnixSeconds> low, std::optional<UnixSeconds> high) {
    const auto serialise = [](UnixSeconds seconds) {
      return Xapian::sortable_serialise(static_cast<double>(seconds));
    };
    if (low && high) {
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, serialise(*low), serialise(*high));
    }
    if (low) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, serialise(*low));
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, serialise(*high));
  }

  std::vector<std::string> analyse(std::string_view text) {
    std::vector<std::string> terms;
    owner.tokenizer_.for_each(text, [&](std::string_view term, std::size_t, std::size_t) {
      terms.emplace_back(term);
    });
    return terms;
  }

  // Stemmed words with their positions: the term itself for one word, a phrase for several.
  Node stems(const std::vector<std::string>& words, std::string_view prefix, std::size_t position) {
    spend(words.size(), position);
    std::vector<Positional> terms;
    Xapian::termpos query_position = static_cast<Xapian::termpos>(position);
    for (const std::string& word : words) {
      const std::string stem = owner.stemmer_(word);
      std::string term = std::string(prefix) + stem;
      Xapian::Query leaf(term, 1, query_position++);
      terms.push_back(Positional::word(std::move(term), std::move(leaf)));
      if (prefix.empty() || prefix == schema::kTitle) highlight.stems.insert(stem);
      if (prefix == schema::kComments) comment_highlight.stems.insert(stem);
    }
    // `plain` uses the query language only: NEAR needs plain terms and phrases.
    Positional plain = Positional::phrase(std::move(terms));
    Xapian::Query scored = to_query(plain);
    if (words.size() == 1 && !owner.other_stemmers_.empty()) {
      // The word as each index language stems it (the normalised word itself for
      // languages without a stemmer), scored as one term.
      std::set<std::string> forms{std::string(prefix) + owner.stemmer_(words.front())};
      for (const core::Stemmer& other : owner.other_stemmers_) forms.insert(std::string(prefix) + other(words.front()));
      if (forms.size() > 1) {
        std::vector<Xapian::Query> synonyms;
        for (const std::string& form : forms) synonyms.emplace_back(form, 1, static_cast<Xapian::termpos>(position));
        scored = Xapian::Query(Xapian::Query::OP_SYNONYM, synonyms.begin(), synonyms.end());
      }
    }
    if (prefix.empty() && owner.include_comments_) {
      // The same words in the comment thread.
      const Node in_comments = stems(words, schema::kComments, position);
      plain = Positional::any({std::move(plain), *in_comments.positional});
      scored = Xapian::Query(Xapian::Query::OP_OR, scored, in_comments.query);
    }
    return Node{scored, std::move(plain), true};
  }

  std::optional<Node> phrase(const Lexeme& lexeme, std::string_view prefix) {
    const std::vector<std::string> words = analyse(lexeme.text);
    if (words.empty()) {
      ignored.push_back("\"" + lexeme.text + "\"");
      return std::nullopt;
    }
    return stems(words, prefix, lexeme.position);
  }

  std::optional<Node> word(const Lexeme& lexeme, std::string_view prefix) {
    if (lexeme.text.size() > 1 && lexeme.text.back() == '*') {
      const std::string stem_text = lexeme.text.substr(0, lexeme.text.size() - 1);
      const std::vector<std::string> words = analyse(stem_text);
      if (words.size() != 1) {
        throw QuerySyntaxError(lexeme.position, "a wildcard applies to one word, not '" + lexeme.text + "'");
      }
      // The index holds stems, so the prefix is matched against stems ("econom*" finds
      // econom, economi, economist: economic, economy, economists).
      if (prefix.empty() || prefix == schema::kTitle) highlight.wildcard_prefixes.push_back(words.front());
      if (prefix == schema::kComments || (prefix.empty() && owner.include_comments_)) {
        comment_highlight.wildcard_prefixes.push_back(words.front());
      }
      auto wildcard = [&](std::string_view field) {
        const std::string start = std::string(field) + words.front();
        spend(expansion(start), lexeme.position);
        return Positional::wildcard(start, Xapian::Query(Xapian::Query::OP_WILDCARD, start, kWildcardExpansion,
                                                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT));
      };
      Positional words_like = wildcard(prefix);
      if (prefix.empty() && owner.include_comments_) words_like = Positional::any({words_like, wildcard(schema::kComments)});
      Xapian::Query query = to_query(words_like);
      return Node{std::move(query), std::move(words_like), true};
    }
    const std::vector<std::string> words = analyse(lexeme.text);
    if (words.empty()) {
      ignored.push_back(lexeme.text);
      return std::nullopt;
    }
    Node node = stems(words, prefix, lexeme.position);  // Several: "Al-Assad", "U.S.-led".
    if (prefix.empty() && words.size() == 1 && negated == 0) bare_words.push_back(*node.positional);
    return node;
  }

  // The lexemes without the bare stopwords: words not under a field, an operator or a
  // sign. Nothing is left out when only stopwords would remain.
  std::vector<Lexeme> without_stopwords(std::vector<Lexeme> all) {
    if (owner.stopwords_.empty()) return all;
    std::vector<bool> stop(all.size(), false);
    std::vector<bool> field_group;  // Per open parenthesis: does it follow a field?
    bool content_left = false;
    for (std::size_t i = 0; i + 1 < all.size(); ++i) {
      const Kind kind = all[i].kind;
      const Kind before = i > 0 ? all[i - 1].kind : Kind::kEnd;
      if (kind == Kind::kOpen) field_group.push_back(before == Kind::kField);
      if (kind == Kind::kClose && !field_group.empty()) field_group.pop_back();
      const bool in_field = std::find(field_group.begin(), field_group.end(), true) != field_group.end();
      if (kind == Kind::kWord && !in_field) {
        const Kind after = all[i + 1].kind;
        const bool bound = before == Kind::kField || before == Kind::kPlus || before == Kind::kMinus ||
                           before == Kind::kNot || before == Kind::kNear || before == Kind::kAnd ||
                           before == Kind::kOr || after == Kind::kNear || after == Kind::kAnd ||
                           after == Kind::kOr;
        const std::vector<std::string> words = analyse(all[i].text);
        stop[i] = !bound && words.size() == 1 && owner.stopwords_.contains(words.front());
      }
      if (!stop[i] && (kind == Kind::kWord || kind == Kind::kPhrase || kind == Kind::kField)) content_left = true;
    }
    if (!content_left) return all;
    std::vector<Lexeme> kept;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!stop[i]) kept.push_back(std::move(all[i]));
    }
    return kept;
  }
};

void QueryParser::set_index_languages(const std::vector<std::string>& langs) {
  other_stemmers_.clear();
  std::set<std::string> seen{stemmer_.language()};
  for (const std::string& lang : langs) {
    core::Stemmer stemmer(lang);
    if (seen.insert(stemmer.language()).second) other_stemmers_.push_back(std::move(stemmer));
  }
}

QueryParser::QueryParser(std::string_view lang, DefaultOperator default_operator,
                         bool include_comments)
    : stemmer_(lang), default_operator_(default_operator), include_comments_(include_comments) {}

namespace {

// A query in capitals only, of five words or more, is a pasted headline ("U.K. OIL
// INDUSTRY SAID NOT PERMANENTLY DAMAGED", "(CORRECTED)-IVORY COAST ..."): its NOT,
// parentheses and dashes are text, not syntax.
bool is_pasted_headline(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    if (c >= 'a' && c <= 'z') return false;
    if (c == ':' || c == '"') return false;  // Fields and phrases are deliberate syntax.
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words >= 5;
}

}  // namespace

ParsedQuery QueryParser::parse(std::string_view text) {
  if (is_pasted_headline(text)) return parse_words(text);
  Impl impl{*this, {}, 0, {}, {}, {}, 0, 0};
  impl.lexemes = impl.without_stopwords(Lexer(text).run());
  ParsedQuery parsed;
  const bool asks = impl.lexemes.size() > 1;  // Anything before the end.
  std::optional<Node> root = impl.parse_or("");
  if (impl.peek().kind == Kind::kClose) throw QuerySyntaxError(impl.peek().position, "unmatched ')'");
  if (impl.peek().kind != Kind::kEnd) {
    throw QuerySyntaxError(impl.peek().position, "unexpected '" + impl.peek().text + "'");
  }
  if (root) {
    parsed.query = root->query;
    parsed.scores = root->scores;
  } else if (asks) {
    parsed.query = Xapian::Query();  // Matches nothing.
    parsed.nothing_searchable = true;
  }
  parsed.highlight = std::move(impl.highlight);
  parsed.comment_highlight = std::move(impl.comment_highlight);
  parsed.bare_words = std::move(impl.bare_words);
  parsed.ignored = std::move(impl.ignored);
  return parsed;
}

ParsedQuery QueryParser::parse_words(std::string_view text) {
  Impl impl{*this, {}, 0, {}, {}, {}, 0, 0};
  ParsedQuery parsed;
  std::vector<std::string> analysed = impl.analyse(text);
  if (std::any_of(analysed.begin(), analysed.end(), [&](const std::string& word) { return !stopwords_.contains(word); })) {
    std::erase_if(analysed, [&](const std::string& word) { return stopwords_.contains(word); });
  }
  std::vector<Xapian::Query> words;
  for (const std::string& word : analysed) {
    const Node node = impl.stems({word}, "", 1);
    words.push_back(node.query);
    parsed.bare_words.push_back(*node.positional);
  }
  if (words.empty()) {
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      parsed.query = Xapian::Query();  // Matches nothing.
      parsed.nothing_searchable = true;
      parsed.ignored.emplace_back(text);
    }
    return parsed;
  }
  const Xapian::Query::op op = default_operator_ == DefaultOperator::kAll ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
  parsed.query = Xapian::Query(op, words.begin(), words.end());
  parsed.scores = true;
  parsed.highlight = std::move(impl.highlight);
  return parsed;
}

}  // namespace gazette::searcher
