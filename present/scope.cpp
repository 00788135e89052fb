#include "present/scope.h"

#include "gazette/analytics.h"

namespace gazette::present {
UnixSeconds period_bound(const std::string& field, const std::string& text, bool start) {
  const auto period = parse_period(text);
  if (!period) throw ScopeError(field, "cannot read '" + text + "' (use YYYY, YYYY-MM or YYYY-MM-DD)");
  return start ? period->first : period->second;
}

namespace {

std::vector<std::string> non_empty(const std::vector<std::string>& values) {
  std::vector<std::string> kept;
  for (const std::string& value : values) {
    if (!value.empty()) kept.push_back(value);
  }
  return kept;
}

}  // namespace

SearchRequest scope_request(const ScopeText& scope) {
  SearchRequest request;
  request.query = scope.query;
  request.filters.outlets = non_empty(scope.outlets);
  request.filters.tags = non_empty(scope.tags);
  request.filters.langs = non_empty(scope.langs);
  if (!scope.collections.empty()) {
    const auto collections = read_collections(scope.collections_file);
    for (const std::string& name : scope.collections) {
      const auto found = collections.find(name);
      if (found == collections.end()) {
        std::string known;
        for (const auto& [known_name, outlets] : collections) known += (known.empty() ? "" : ", ") + known_name;
        throw ScopeError("collection",
                         "no collection '" + name + "' in " + scope.collections_file +
                             " (it has: " + (known.empty() ? "none" : known) + ")",
                         true);
      }
      if (found->second.empty()) throw ScopeError("collection", "'" + name + "' names no outlets");
      request.filters.outlets.insert(request.filters.outlets.end(), found->second.begin(), found->second.end());
    }
  }
  if (!scope.from.empty()) request.filters.from = period_bound("from", scope.from, true);
  if (!scope.to.empty()) request.filters.to = period_bound("to", scope.to, false);
  if (request.filters.from && request.filters.to && *request.filters.from > *request.filters.to) {
    throw ScopeError("from", "the range starts (" + scope.from + ") after it ends (" + scope.to + ")");
  }
  if (scope.undated == "exclude") {
    request.filters.undated = UndatedFilter::kExclude;
  } else if (scope.undated == "only") {
    if (request.filters.from || request.filters.to) {
      throw ScopeError("undated", "only undated articles cannot fall in a date range (--from/--to)");
    }
    request.filters.undated = UndatedFilter::kOnly;
  } else if (!scope.undated.empty() && scope.undated != "include") {
    throw ScopeError("undated", "expected include, exclude or only, not '" + scope.undated + "'");
  }
  request.default_operator = scope.any ? DefaultOperator::kAny : DefaultOperator::kAll;
  request.lang = !scope.query_lang.empty()          ? scope.query_lang
                 : request.filters.langs.size() == 1 ? request.filters.langs.front()
                                                     : std::string("en");
  return request;
}

}  // namespace gazette::present
