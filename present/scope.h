// What a search covers — query words, filters, collections, language, operator — as a
// front end reads it (the CLI's options, the server's URL parameters), turned into the
// SearchRequest fields it sets. One definition, so `gazette search --from 2020-03` and
// `/v1/search?from=2020-03` cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include "gazette/errors.h"
#include "gazette/search.h"

namespace gazette::present {

struct ScopeText {
  std::string query;
  std::vector<std::string> outlets, tags, langs;  // Empty values are ignored.
  std::string from, to;                           // YYYY, YYYY-MM or YYYY-MM-DD; empty: open.
  std::string undated;                            // "include" (or empty), "exclude", "only".
  std::vector<std::string> collections;           // Names in collections_file: their outlets join `outlets`.
  std::string collections_file;
  std::string query_lang;  // Empty: the one `langs` value when there is one, else English.
  bool any = false;        // Default operator OR instead of AND.
};

// A scope value that cannot be used. field() is the name without decoration ("from",
// "collection"), for the front end to spell as it does ("--from", "from=");
// not_found() marks a name that exists nowhere (an unknown collection).
class ScopeError : public Error {
 public:
  ScopeError(std::string field, const std::string& message, bool not_found = false)
      : Error(message), field_(std::move(field)), not_found_(not_found) {}
  const std::string& field() const { return field_; }
  bool not_found() const { return not_found_; }

 private:
  std::string field_;
  bool not_found_;
};

// Throws ScopeError for a date it cannot read, a range that ends before it starts, or a
// collection the file does not name (or names with no outlets); the file's own read
// errors pass through as the library's Error.
SearchRequest scope_request(const ScopeText& scope);

// The first (`start`) or last second of a period written YYYY, YYYY-MM or YYYY-MM-DD;
// throws ScopeError naming `field` when it cannot read it.
UnixSeconds period_bound(const std::string& field, const std::string& text, bool start);

}  // namespace gazette::present
