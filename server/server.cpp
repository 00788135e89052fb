// The HTTP server (server/server.h): routes, parameters, errors, the Searcher pool, and
// what every request must pass before its body is read (server/http.h carries them).
#include "server/server.h"

#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "server/http.h"
#include "gazette/analytics.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/reader.h"
#include "gazette/search.h"
#include "present/csv.h"
#include "present/json.h"
#include "present/scope.h"
#include "core/schema.h"

namespace gazette::server {
namespace {

using present::Json;
using Clock = std::chrono::steady_clock;

// A request the server refuses, as its JSON error says.
struct HttpError {
  int status;
  std::string code;
  std::string message;
  std::optional<std::size_t> position;
};

HttpError bad_parameter(const std::string& name, const std::string& message) {
  return HttpError{400, "bad_parameter", name + ": " + message, std::nullopt};
}

// Headers on every answer: nothing the server sends is sniffed into another type,
// framed by another site, or (the page) runs code from anywhere but the server.
void add_safety_headers(http::Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  const bool page = response.content_type.starts_with("text/html");
  response.headers.emplace_back("Content-Security-Policy",
                                page ? "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                                       "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
                                     : "default-src 'none'; frame-ancestors 'none'");
}

http::Response json_response(const Json& body, int status = 200) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.body = present::json_text(body);
  return response;
}

http::Response error_response(const HttpError& error) {
  Json detail = {{"code", error.code}, {"message", error.message}};
  if (error.position) detail["position"] = *error.position;
  return json_response(Json{{"error", detail}}, error.status);
}

// The query parameters of a request, checked against the names an endpoint knows: a
// misspelt parameter is an error, not a silently ignored filter.
class Params {
 public:
  Params(const http::Request& request, const std::set<std::string>& known,
         const std::set<std::string>& repeatable = kRepeatable)
      : params_(request.params) {
    std::set<std::string> seen;
    for (const auto& [name, value] : params_) {
      if (!known.count(name)) {
        std::string list;
        for (const std::string& option : known) list += (list.empty() ? "" : ", ") + option;
        throw HttpError{400, "bad_parameter", "unknown parameter '" + name + "' (this endpoint takes: " + list + ")",
                        std::nullopt};
      }
      if (!seen.insert(name).second && !repeatable.count(name)) {
        throw bad_parameter(name, "given more than once (only outlet, tag, lang and collection repeat)");
      }
    }
  }

  std::optional<std::string> get(const std::string& name) const {
    for (const auto& [key, value] : params_) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
  std::string get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
  }
  // Every value of a repeatable parameter; "a,b" counts as two values only where the
  // caller splits it.
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : params_) {
      if (key == name && !value.empty()) values.push_back(value);
    }
    return values;
  }
  std::size_t count(const std::string& name, std::size_t fallback, std::size_t max) const {
    const auto text = get(name);
    if (!text) return fallback;
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size()) {
      throw bad_parameter(name, "expected a whole number, got '" + *text + "'");
    }
    if (value > max) throw bad_parameter(name, "at most " + std::to_string(max) + ", got " + *text);
    return value;
  }
  double positive(const std::string& name, double fallback) const {
    const auto text = get(name);
    if (!text) return fallback;
    try {
      std::size_t used = 0;
      const double value = std::stod(*text, &used);
      if (used == text->size() && value > 0) return value;
    } catch (const std::exception&) {
    }
    throw bad_parameter(name, "expected a positive number, got '" + *text + "'");
  }
  bool flag(const std::string& name) const {
    const auto text = get(name);
    if (!text) return false;
    if (*text == "" || *text == "1" || *text == "true" || *text == "yes") return true;
    if (*text == "0" || *text == "false" || *text == "no") return false;
    throw bad_parameter(name, "expected true or false, got '" + *text + "'");
  }
  template <typename T>
  T choice(const std::string& name, T fallback, std::optional<T> (*from_name)(std::string_view),
           const char* names) const {
    const auto text = get(name);
    if (!text) return fallback;
    if (const std::optional<T> value = from_name(*text)) return *value;
    throw bad_parameter(name, "expected one of " + std::string(names) + ", got '" + *text + "'");
  }

 private:
  static inline const std::set<std::string> kRepeatable = {"outlet", "tag", "lang", "collection"};
  const http::Fields& params_;
};

const std::set<std::string> kScopeParams = {"q",          "outlet",     "tag", "lang",   "from", "to",
                                            "collection", "query_lang", "any", "undated"};

std::set<std::string> with_scope(std::initializer_list<std::string> more) {
  std::set<std::string> names = kScopeParams;
  names.insert(more.begin(), more.end());
  return names;
}

// The query, filters, language and operator of a request, read as `gazette search`
// reads its options (present/scope.h); `collection` names come from `collections_file`.
SearchRequest scope_request(const Params& params, const std::string& collections_file, std::size_t max_query_terms) {
  present::ScopeText scope;
  scope.query = params.get_or("q", "");
  scope.outlets = params.all("outlet");
  scope.tags = params.all("tag");
  scope.langs = params.all("lang");
  scope.from = params.get_or("from", "");
  scope.to = params.get_or("to", "");
  scope.undated = params.get_or("undated", "");
  scope.collections = params.all("collection");
  scope.collections_file = collections_file;
  scope.query_lang = params.get_or("query_lang", "");
  scope.any = params.flag("any");
  try {
    SearchRequest request = present::scope_request(scope);
    request.max_query_terms = max_query_terms;
    return request;
  } catch (const present::ScopeError& error) {
    if (error.not_found()) throw HttpError{404, "not_found", error.what(), std::nullopt};
    throw bad_parameter(error.field(), error.what());
  } catch (const Error& error) {
    throw bad_parameter("collection", error.what());  // The collections file's own errors.
  }
}

// Paging, order, facets and output of /v1/search and /v1/similar.
constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxDepth = 100000;  // offset + limit

void result_options(const Params& params, SearchRequest& request, present::HitFields& fields) {
  request.sort = params.choice("sort", SortOrder::kRelevance, present::sort_from_name, "relevance, date, date-asc, hybrid");
  request.recency_half_life_days = params.positive("half_life", request.recency_half_life_days);
  request.offset = params.count("offset", 0, kMaxDepth);
  request.limit = params.count("limit", 10, kMaxLimit);
  if (request.offset + request.limit > kMaxDepth) {
    throw bad_parameter("offset", "offset + limit may be at most " + std::to_string(kMaxDepth));
  }
  const std::string collapse = params.get_or("collapse", "none");
  if (collapse != "none" && collapse != "story") throw bad_parameter("collapse", "expected none or story");
  request.collapse_stories = collapse == "story";
  request.include_comments = params.flag("include_comments");
  request.outlet_facet_size = params.count("facet_size", 10, 100000);
  const std::string date_facet = params.get_or("date_facet", "month");
  request.date_facet = date_facet != "none";
  if (request.date_facet) {
    request.date_granularity =
        params.choice("date_facet", DateGranularity::kMonth, present::granularity_from_name, "day, month, year, none");
  }
  try {
    fields = present::HitFields::parse(params.get_or("fields", ""));
  } catch (const std::invalid_argument& error) {
    throw bad_parameter("fields", error.what());
  }
  request.include_body = fields.body || fields.comments;
  if (params.get("suggest") && !params.flag("suggest")) request.suggest_below = 0;
}

// Searchers for the worker threads: one per request in flight, kept for the next.
class SearcherPool {
 public:
  struct Entry {
    Entry(const std::vector<std::string>& indexes, std::uint64_t generation)
        : searcher(indexes), refreshed(Clock::now()), generation(generation) {}
    Searcher searcher;
    Clock::time_point refreshed;
    std::uint64_t generation;  // Of this server's writes, as of the last refresh.
  };
  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Entry> entry) : pool_(pool), entry_(std::move(entry)) {}
    ~Lease() { pool_.give_back(std::move(entry_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Searcher& operator*() { return entry_->searcher; }
    Searcher* operator->() { return &entry_->searcher; }

   private:
    SearcherPool& pool_;
    std::unique_ptr<Entry> entry_;
  };

  SearcherPool(std::vector<std::string> indexes, std::chrono::milliseconds refresh)
      : indexes_(std::move(indexes)), refresh_(refresh) {
    idle_.push_back(std::make_unique<Entry>(indexes_, 0));  // Fails now, not at the first request.
  }

  // This server committed a write: every Searcher refreshes before its next request,
  // so a client reads what it has just written.
  void written() { ++generation_; }

  Lease acquire() {
    std::unique_ptr<Entry> entry;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        entry = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    const std::uint64_t generation = generation_;
    if (!entry) return Lease(*this, std::make_unique<Entry>(indexes_, generation));
    const Clock::time_point now = Clock::now();
    if (now - entry->refreshed >= refresh_ || entry->generation != generation) {
      entry->searcher.refresh();
      entry->refreshed = now;
      entry->generation = generation;
    }
    return Lease(*this, std::move(entry));
  }

 private:
  void give_back(std::unique_ptr<Entry> entry) {
    if (!entry) return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(entry));
  }

  std::vector<std::string> indexes_;
  std::chrono::milliseconds refresh_;
  std::atomic<std::uint64_t> generation_ = 0;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> idle_;
};

// Compares a presented token with the configured one in time that depends only on
// their lengths, not on where they first differ.
bool same_token(const std::string& presented, const std::string& expected) {
  unsigned char difference = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    difference |= static_cast<unsigned char>(presented[i] ^ expected[i % std::max<std::size_t>(1, expected.size())]);
  }
  return difference == 0;
}

// What a request body holds, from its Content-Type: the reader's format and the file
// extension that selects it.
struct UploadKind {
  InputFormat format;
  const char* extension;
};
std::optional<UploadKind> upload_kind(const std::string& content_type) {
  const std::string type = content_type.substr(0, content_type.find(';'));
  if (type == "application/x-ndjson" || type == "application/jsonl" || type == "application/json" ||
      type == "application/x-jsonlines") {
    return UploadKind{InputFormat::kJsonl, ".jsonl"};
  }
  if (type == "text/html" || type == "application/xhtml+xml") return UploadKind{InputFormat::kHtml, ".html"};
  if (type == "text/plain") return UploadKind{InputFormat::kText, ".txt"};
  return std::nullopt;
}

// Raises the open-file limit to its hard maximum: each Searcher holds every segment's
// tables open, and a busy server holds one Searcher per request in flight.
void raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// The access log's line for a path: bytes that are not printable ASCII (line breaks,
// terminal escapes, UTF-8) as \xHH, so that a request cannot forge or colour lines.
std::string loggable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f && byte != '\\') {
      out += c;
    } else {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += "\\x";
      out += kDigits[byte >> 4];
      out += kDigits[byte & 15];
    }
  }
  return out;
}

// The host a Host header names, without its port ("[::1]:8080" -> "[::1]").
std::string host_of(const std::string& header) {
  if (header.starts_with("[")) return header.substr(0, header.find(']') + 1);
  return header.substr(0, header.find(':'));
}

bool is_ip_literal(const std::string& host) {
  in6_addr ignored{};
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return ::inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &ignored) == 1;
  }
  return ::inet_pton(AF_INET, host.c_str(), &ignored) == 1;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  SearcherPool searchers;
  std::unique_ptr<http::Server> http;
  std::atomic<bool> stopping = false;
  std::atomic<bool> serving = false;  // run() is serving.
  std::mutex write_mutex;  // One writer inside the server.
  // Exports stream for as long as their clients read: at most this many at once, so
  // that clients that never read cannot hold every worker.
  std::atomic<unsigned> exports_running = 0;
  unsigned max_exports = 1;

  // The first index's collections file (docs/analytics.md), for `collection` and `by`.
  std::string collections_file;

  explicit Impl(ServerOptions given)
      : options(std::move(given)),
        searchers(options.indexes, options.refresh_interval),
        max_exports(std::max(1u, options.threads / 4)),
        collections_file((std::filesystem::path(options.indexes.front()) / "collections.txt").string()) {}

  // --- Before the body: what every request must pass.

  // A request the server takes up, or the answer that refuses it before its body is
  // read: shutting down, a Host that is not this server's, writes without the token,
  // a body of a type that cannot be read.
  std::optional<http::Response> admit(const http::Request& request) {
    try {
      if (stopping) {
        http::Response response = error_response(HttpError{503, "shutting_down", "the server is shutting down", std::nullopt});
        response.headers.emplace_back("Retry-After", "1");
        response.headers.emplace_back("Connection", "close");
        return response;
      }
      check_host(request);
      check_site(request);
      if (request.method == "POST" || request.method == "DELETE") {
        authorise(request);
        if (request.method == "POST" && !upload_kind(request.header("Content-Type"))) {
          throw HttpError{415, "unsupported_media_type",
                          "send application/x-ndjson (JSON Lines), text/html (a page) or text/plain (a text)",
                          std::nullopt};
        }
      }
    } catch (const HttpError& error) {
      return error_response(error);
    }
    return std::nullopt;
  }

  // DNS rebinding: a page on another site that resolves its own name to this server
  // sends its name as Host. Only IP literals, localhost and the names the operator
  // gave (--public-host) are this server's.
  void check_host(const http::Request& request) const {
    const std::string header = request.header("Host");
    if (header.empty()) return;  // HTTP/1.0: no name to check, none a browser omits.
    std::string host = host_of(header);
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (is_ip_literal(host) || host == "localhost") return;
    for (const std::string& name : options.public_hosts) {
      if (core_lower(name) == host) return;
    }
    throw HttpError{421, "wrong_host",
                    "Host '" + header + "' is not this server's (start it with --public-host " + host +
                        " to serve that name)",
                    std::nullopt};
  }

  // Another site's page may not make a browser call the API (a cross-site GET costs the
  // server a search though the page cannot read the answer): browsers say where a
  // request comes from in Sec-Fetch-Site. Following a link (a navigation) is fine.
  static void check_site(const http::Request& request) {
    if (!request.path.starts_with("/v1/")) return;
    if (request.header("Sec-Fetch-Site") != "cross-site") return;
    if (request.header("Sec-Fetch-Mode") == "navigate") return;
    throw HttpError{403, "cross_site", "the API does not answer other sites' pages (Sec-Fetch-Site: cross-site)",
                    std::nullopt};
  }

  static std::string core_lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  // Writes need the bearer token of --token-file; without one they are off.
  void authorise(const http::Request& request) const {
    if (options.token.empty()) {
      throw HttpError{403, "writes_off", "writes are off: start the server with --token-file", std::nullopt};
    }
    const std::string header = request.header("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      throw HttpError{401, "unauthorized", "writes need an Authorization: Bearer header", std::nullopt};
    }
    if (header.compare(0, kBearer.size(), kBearer) != 0 || !same_token(header.substr(kBearer.size()), options.token)) {
      throw HttpError{403, "forbidden", "the token is not the server's", std::nullopt};
    }
  }

  // --- Routes.

  // Answers a request, turning what an endpoint throws into the JSON error with its
  // status.
  http::Response handle(const http::Request& request) {
    http::Response response;
    try {
      response = route(request);
    } catch (const HttpError& error) {
      response = error_response(error);
    } catch (const QuerySyntaxError& error) {
      response = error_response(HttpError{400, "query_syntax", error.what(), error.position()});
    } catch (const QueryLimitError& error) {
      response = error_response(HttpError{400, "query_too_costly",
                                          error.what() + std::string(" (limit ") + error.limit() + ", --max-query-terms)",
                                          error.position()});
    } catch (const IndexError& error) {
      response = error_response(HttpError{500, "index_error", error.what(), std::nullopt});
    } catch (const Error& error) {
      response = error_response(HttpError{400, "bad_request", error.what(), std::nullopt});
    } catch (const std::exception& error) {
      response = error_response(HttpError{500, "internal", error.what(), std::nullopt});
    }
    add_safety_headers(response);
    return response;
  }

  static http::Response file(const char* content, const char* type) {
    http::Response response;
    response.content_type = type;
    response.body = content;
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  }

  // The id after `prefix` in the path ("/v1/articles/" + id), if the path has one.
  static std::optional<std::string> id_after(const std::string& path, std::string_view prefix) {
    if (!path.starts_with(prefix) || path.size() == prefix.size()) return std::nullopt;
    return path.substr(prefix.size());
  }

  http::Response route(const http::Request& request) {
    const std::string& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (get) {
      if (path == "/") return file(search_page(), "text/html; charset=utf-8");
      if (path == "/search.js") return file(search_script(), "text/javascript; charset=utf-8");
      if (path == "/search.css") return file(search_style(), "text/css; charset=utf-8");
      if (path == "/v1/health") return health(request);
      if (path == "/v1/stats") return stats(request);
      if (path == "/v1/search") return search(request);
      if (path == "/v1/timeline") return timeline(request);
      if (path == "/v1/outlets") return outlets(request);
      if (path == "/v1/export") return export_matches(request);
      if (const auto id = id_after(path, "/v1/similar/")) return similar(request, *id);
      if (const auto id = id_after(path, "/v1/articles/")) return article(request, *id);
    }
    if (request.method == "POST" && path == "/v1/articles") return add_articles(request);
    if (request.method == "DELETE") {
      if (const auto id = id_after(path, "/v1/articles/")) return remove(request, *id);
    }
    const bool known = path == "/" || path == "/search.js" || path == "/search.css" || path == "/v1/health" ||
                       path == "/v1/stats" || path == "/v1/search" || path == "/v1/timeline" || path == "/v1/outlets" ||
                       path == "/v1/export" || path == "/v1/articles" || id_after(path, "/v1/similar/") ||
                       id_after(path, "/v1/articles/");
    if (known) {
      throw HttpError{405, "method_not_allowed", request.method + " is not an operation on " + path, std::nullopt};
    }
    throw HttpError{404, "not_found", "no such endpoint: " + path, std::nullopt};
  }

  // Cheap enough to answer on the event loop, so that they answer while every worker
  // is busy: the health check and the page's files.
  static bool quick(const http::Request& request) {
    return (request.method == "GET" || request.method == "HEAD") &&
           (request.path == "/v1/health" || request.path == "/" || request.path == "/search.js" ||
            request.path == "/search.css");
  }

  http::Response health(const http::Request& request) {
    Params(request, {});
    auto searcher = searchers.acquire();
    return json_response({{"status", "ok"}, {"articles", searcher->article_count()}});
  }

  http::Response stats(const http::Request& request) {
    const Params params(request, {"top"});
    auto searcher = searchers.acquire();
    return json_response(present::stats_json(searcher->stats(params.count("top", 10, 10000))));
  }

  http::Response search(const http::Request& request) {
    const Params params(request, with_scope({"sort", "half_life", "offset", "limit", "collapse", "include_comments",
                                             "facet_size", "date_facet", "fields", "suggest"}));
    SearchRequest search = scope_request(params, collections_file, options.max_query_terms);
    present::HitFields fields;
    result_options(params, search, fields);
    auto searcher = searchers.acquire();
    return json_response(present::search_json(search, searcher->search(search), fields));
  }

  http::Response similar(const http::Request& request, const std::string& id) {
    const Params params(request, {"outlet", "tag", "lang", "from", "to", "undated", "collection", "sort", "half_life",
                                  "offset", "limit", "collapse", "facet_size", "date_facet", "fields"});
    SearchRequest search = scope_request(params, collections_file, options.max_query_terms);
    search.like_id = id;
    present::HitFields fields;
    result_options(params, search, fields);
    auto searcher = searchers.acquire();
    if (!searcher->get(search.like_id)) not_found(search.like_id);
    return json_response(present::search_json(search, searcher->search(search), fields));
  }

  http::Response article(const http::Request& request, const std::string& id) {
    Params(request, {});
    auto searcher = searchers.acquire();
    const std::optional<Article> found = searcher->get(id);
    if (!found) not_found(id);
    return json_response(present::article_json(*found));
  }

  http::Response timeline(const http::Request& request) {
    const Params params(request, with_scope({"by", "per_outlet"}));
    TimelineRequest timeline;
    timeline.search = scope_request(params, collections_file, options.max_query_terms);
    timeline.by = params.choice("by", TimeBucket::kMonth, present::bucket_from_name, "day, week, month, year");
    timeline.per_outlet = params.count("per_outlet", 0, 100);
    auto searcher = searchers.acquire();
    return json_response(present::timeline_json(timeline, searcher->timeline(timeline)));
  }

  http::Response outlets(const http::Request& request) {
    const Params params(request, with_scope({"by", "limit"}));
    OutletsRequest outlets;
    outlets.search = scope_request(params, collections_file, options.max_query_terms);
    const std::string by = params.get_or("by", "outlet");
    if (by != "outlet" && by != "collection") throw bad_parameter("by", "expected outlet or collection");
    if (by == "collection") {
      try {
        outlets.collections = read_collections(collections_file);
      } catch (const Error& error) {
        throw bad_parameter("by", error.what());
      }
      outlets.by_collection = true;
    }
    outlets.limit = params.count("limit", 20, 100000);
    auto searcher = searchers.acquire();
    return json_response(present::outlets_json(outlets, searcher->outlets(outlets)));
  }

  http::Response remove(const http::Request& request, const std::string& id) {
    Params(request, {});
    std::lock_guard lock(write_mutex);
    IndexWriter writer = open_writer();
    if (!writer.remove(id)) not_found(id);
    writer.commit();
    searchers.written();
    return json_response({{"deleted", id}});
  }

  // The library's writer, opened for one request (so that a `gazette index` run can
  // take the index between requests); another process writing gets 423.
  IndexWriter open_writer() {
    try {
      WriterOptions writer_options;
      writer_options.create = false;
      return IndexWriter(options.indexes.front(), writer_options);
    } catch (const IndexLockedError& error) {
      throw HttpError{423, "locked", error.what(), std::nullopt};
    }
  }

  // POST /v1/articles: JSON Lines (application/x-ndjson), an HTML page (text/html) or a
  // scraped text (text/plain), gzip or zstd compressed or not (or sent with
  // Content-Encoding gzip or deflate), read and cleaned as `gazette index` reads files;
  // every bad line reported with its number. The body was checked (token, type, size)
  // before it was read, and lies in a private memory file (server/http.h).
  http::Response add_articles(const http::Request& request) {
    const Params params(request, {"outlet", "date", "date_format", "lang", "id", "clean"});
    const std::optional<UploadKind> kind = upload_kind(request.header("Content-Type"));
    if (!kind) throw HttpError{415, "unsupported_media_type", "unknown Content-Type", std::nullopt};
    if (request.body_bytes == 0) throw HttpError{400, "empty_body", "the request body is empty", std::nullopt};
    ReadOptions read;
    read.format = kind->format;
    read.default_outlet = params.get_or("outlet", "");
    read.default_lang = params.get_or("lang", "");
    if (const auto date = params.get("date"); date && !date->empty()) {
      try {
        read.default_date = present::period_bound("date", *date, true);
      } catch (const present::ScopeError& error) {
        throw bad_parameter("date", error.what());
      }
    }
    read.date_format = params.get_or("date_format", "");
    if (params.get("clean")) read.clean = params.flag("clean");
    const std::string id = params.get_or("id", "");
    if (!id.empty() && kind->format == InputFormat::kJsonl) throw bad_parameter("id", "JSON Lines records carry their own ids");
    if (id.size() > core::schema::kMaxIdBytes) {
      throw bad_parameter("id", "is " + std::to_string(id.size()) + " bytes long, at most " +
                                    std::to_string(core::schema::kMaxIdBytes));
    }
    std::vector<Article> articles;
    Json errors = Json::array();
    Json warnings = Json::array();
    read_articles({request.body_path()}, read, [&](ReadItem&& item) {
      for (const InputError& warning : item.warnings) {
        Json entry = {{"message", warning.message()}};
        if (warning.line() > 0) entry["line"] = warning.line();
        warnings.push_back(std::move(entry));
      }
      if (auto* article = std::get_if<Article>(&item.result)) {
        if (!id.empty()) article->id = id;
        articles.push_back(std::move(*article));
      } else {
        const InputError& error = std::get<InputError>(item.result);
        Json entry = {{"message", error.message()}};
        if (error.line() > 0) entry["line"] = error.line();
        errors.push_back(std::move(entry));
      }
    });
    if (kind->format != InputFormat::kJsonl && id.empty()) {
      for (const Article& article : articles) {
        if (article.url.empty()) throw bad_parameter("id", "a page or text without a canonical URL needs id=");
      }
    }
    if (articles.empty() && !errors.empty()) {
      return json_response({{"indexed", 0}, {"added", 0}, {"replaced", 0}, {"duplicates", 0},
                            {"skipped", errors.size()}, {"errors", errors}, {"warnings", warnings}}, 400);
    }
    std::size_t added = 0, replaced = 0, duplicates = 0;
    {
      std::lock_guard lock(write_mutex);
      IndexWriter writer = open_writer();
      for (Article& article : articles) {
        writer.add_async(std::move(article), [&](AddOutcome outcome) {
          added += outcome == AddOutcome::kAdded;
          replaced += outcome == AddOutcome::kReplaced;
          duplicates += outcome == AddOutcome::kDuplicate;
        });
      }
      writer.commit();
    }
    searchers.written();
    return json_response({{"indexed", added + replaced}, {"added", added}, {"replaced", replaced},
                          {"duplicates", duplicates}, {"skipped", errors.size()}, {"errors", errors},
                          {"warnings", warnings}});
  }

  [[noreturn]] static void not_found(const std::string& id) {
    throw HttpError{404, "not_found", "no article with id '" + id + "'", std::nullopt};
  }

  // Every match streamed as JSON Lines or CSV in chunks, in constant memory (a page of
  // matches at a time; a slow client slows the export, nothing piles up).
  http::Response export_matches(const http::Request& request) {
    const Params params(request, with_scope({"format", "order", "fields"}));
    SearchRequest search = scope_request(params, collections_file, options.max_query_terms);
    const std::string format = params.get_or("format", "jsonl");
    if (format != "jsonl" && format != "csv") throw bad_parameter("format", "expected jsonl or csv");
    const std::string order_name = params.get_or("order", search.query.empty() ? "date" : "relevance");
    const std::map<std::string, ExportOrder> orders = {{"relevance", ExportOrder::kRelevance},
                                                       {"date", ExportOrder::kDateNewest},
                                                       {"date-asc", ExportOrder::kDateOldest},
                                                       {"index", ExportOrder::kIndex}};
    const auto order = orders.find(order_name);
    if (order == orders.end()) throw bad_parameter("order", "expected relevance, date, date-asc or index");
    std::vector<std::string> fields = {"id", "url", "title", "outlet", "date", "score"};
    if (const auto list = params.get("fields")) {
      fields.clear();
      for (std::size_t start = 0; start <= list->size();) {
        const std::size_t comma = std::min(list->find(',', start), list->size());
        if (comma > start) fields.push_back(list->substr(start, comma - start));
        start = comma + 1;
      }
      try {
        present::check_export_fields(fields);
      } catch (const std::invalid_argument& error) {
        throw bad_parameter("fields", error.what());
      }
    }
    search.include_body = std::find(fields.begin(), fields.end(), "body") != fields.end();
    {
      // Errors (query syntax above all) while a status can still say so.
      SearchRequest probe = search;
      probe.limit = 0;
      probe.exact_total = false;
      probe.outlet_facet_size = 0;
      probe.date_facet = false;
      probe.suggest_below = 0;
      auto searcher = searchers.acquire();
      const SearchResponse probed = searcher->search(probe);
      if (probed.notes.nothing_searchable) {
        // An export has no place to say why it is empty.
        throw HttpError{400, "nothing_searchable", present::notes_message(probed.notes), std::nullopt};
      }
    }
    // A slot among the exports running, held until the stream ends.
    if (exports_running.fetch_add(1) >= max_exports) {
      --exports_running;
      throw HttpError{503, "busy", "the server is running " + std::to_string(max_exports) +
                                       " exports already (a quarter of --threads); try again", std::nullopt};
    }
    const auto slot = std::shared_ptr<void>(nullptr, [this](void*) { --exports_running; });
    const bool csv = format == "csv";
    http::Response response;
    response.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
    response.headers.emplace_back("Cache-Control", "no-store");
    response.stream = [this, slot, search, fields, csv, order = order->second](http::Stream& out) {
      std::string chunk;
      const auto flush = [&] {
        const bool written = chunk.empty() || out.write(chunk);
        chunk.clear();
        return written;
      };
      if (csv) chunk += present::csv_row(fields);
      try {
        auto searcher = searchers.acquire();
        searcher->export_matches(search, order, [&](const Hit& hit) {
          if (csv) {
            std::vector<std::string> row;
            for (const std::string& field : fields) row.push_back(present::export_field_text(hit, field));
            chunk += present::csv_row(row);
          } else {
            Json object = Json::object();
            for (const std::string& field : fields) object[field] = present::export_field_json(hit, field);
            chunk += present::json_text(object);
            chunk += '\n';
          }
          return chunk.size() < 64 * 1024 || flush();
        });
      } catch (const std::exception& error) {
        // The status has gone out: end the stream without its final chunk, so the
        // client sees a broken transfer rather than a short but complete one.
        std::fprintf(stderr, "gazette serve: export failed: %s\n", error.what());
        return false;
      }
      return flush();
    };
    return response;
  }

  // --- The HTTP layer's view of the routes.

  http::Handlers handlers() {
    http::Handlers given;
    given.admit = [this](const http::Request& request) -> std::optional<http::Response> {
      std::optional<http::Response> refusal = admit(request);
      if (refusal) add_safety_headers(*refusal);
      return refusal;
    };
    given.quick = &Impl::quick;
    given.handle = [this](const http::Request& request) { return handle(request); };
    given.error = [](int status, const std::string& code, const std::string& message) {
      http::Response response = error_response(HttpError{status, code, message, std::nullopt});
      add_safety_headers(response);
      return response;
    };
    if (options.access_log) {
      given.done = [](const http::Request& request, int status, double ms) {
        std::fprintf(stderr, "%s %s %d %.1f ms\n", loggable(request.method).c_str(), loggable(request.path).c_str(),
                     status, ms);
      };
    }
    return given;
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  raise_file_limit();
  Impl& impl = *impl_;
  http::Limits limits;
  limits.workers = std::max(1u, impl.options.threads);
  limits.max_body_bytes = impl.options.max_body_bytes;
  limits.connection_timeout_seconds = impl.options.connection_timeout_seconds;
  impl.http = std::make_unique<http::Server>(impl.options.host, impl.options.port, limits, impl.handlers());
}

Server::~Server() { stop(); }

int Server::port() const { return impl_->http->port(); }

void Server::run() {
  impl_->serving = true;
  impl_->http->run();
  impl_->serving = false;
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  if (impl_->options.lame_duck.count() > 0 && impl_->serving) {
    std::this_thread::sleep_for(impl_->options.lame_duck);
  }
  impl_->http->stop(std::chrono::seconds(10));
}

}  // namespace gazette::server
