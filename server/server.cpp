// The HTTP server (server/server.h): routes, parameters, errors, the Searcher pool.
#include "server/server.h"

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

#include <httplib.h>

#include "gazette/analytics.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/reader.h"
#include "gazette/search.h"
#include "present/csv.h"
#include "present/json.h"
#include "present/scope.h"

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

void send_json(httplib::Response& response, const Json& body, int status = 200) {
  response.status = status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(present::json_text(body), "application/json");
}

void send_error(httplib::Response& response, const HttpError& error) {
  Json detail = {{"code", error.code}, {"message", error.message}};
  if (error.position) detail["position"] = *error.position;
  send_json(response, Json{{"error", detail}}, error.status);
}

// The query parameters of a request, checked against the names an endpoint knows: a
// misspelt parameter is an error, not a silently ignored filter.
class Params {
 public:
  Params(const httplib::Request& request, const std::set<std::string>& known) : request_(request) {
    for (const auto& [name, value] : request.params) {
      if (!known.count(name)) {
        std::string list;
        for (const std::string& option : known) list += (list.empty() ? "" : ", ") + option;
        throw HttpError{400, "bad_parameter", "unknown parameter '" + name + "' (this endpoint takes: " + list + ")",
                        std::nullopt};
      }
    }
  }

  std::optional<std::string> get(const std::string& name) const {
    if (!request_.has_param(name)) return std::nullopt;
    return request_.get_param_value(name);
  }
  std::string get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
  }
  // Every value of a repeatable parameter; "a,b" counts as two values only where the
  // caller splits it.
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < request_.get_param_value_count(name); ++i) {
      std::string value = request_.get_param_value(name, i);
      if (!value.empty()) values.push_back(std::move(value));
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
  const httplib::Request& request_;
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

// A request body in a file of its own (the readers read files), removed afterwards.
class UploadFile {
 public:
  UploadFile(const std::string& body, const char* extension) {
    static std::atomic<unsigned> counter = 0;
    directory_ = std::filesystem::temp_directory_path() /
                 ("gazette-upload-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(directory_);
    // Compressed bodies (gzip, zstd) are recognised by their magic bytes.
    std::string name = std::string("upload") + extension;
    if (body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f && static_cast<unsigned char>(body[1]) == 0x8b) {
      name += ".gz";
    } else if (body.size() >= 4 && body.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) {
      name += ".zst";
    }
    path_ = directory_ / name;
    std::ofstream file(path_, std::ios::binary);
    file.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!file) throw Error("cannot store the request body in " + directory_.string());
  }
  ~UploadFile() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path directory_;
  std::filesystem::path path_;
};

// Raises the open-file limit to its hard maximum: each Searcher holds every segment's
// tables open, and a busy server holds one Searcher per request in flight.
void raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

thread_local Clock::time_point request_started;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  SearcherPool searchers;
  httplib::Server http;
  int port = 0;
  std::atomic<bool> stopping = false;
  std::atomic<bool> serving = false;  // run() is listening.
  std::mutex write_mutex;  // One writer inside the server.

  // The first index's collections file (docs/analytics.md), for `collection` and `by`.
  std::string collections_file;

  explicit Impl(ServerOptions given)
      : options(std::move(given)),
        searchers(options.indexes, options.refresh_interval),
        collections_file((std::filesystem::path(options.indexes.front()) / "collections.txt").string()) {}

  // Runs an endpoint, turning what it throws into the JSON error with its status.
  template <typename Endpoint>
  httplib::Server::Handler endpoint(Endpoint run) {
    return [this, run](const httplib::Request& request, httplib::Response& response) {
      try {
        if (stopping) {
          response.set_header("Retry-After", "1");
          response.set_header("Connection", "close");
          throw HttpError{503, "shutting_down", "the server is shutting down", std::nullopt};
        }
        run(request, response);
      } catch (const HttpError& error) {
        send_error(response, error);
      } catch (const QuerySyntaxError& error) {
        send_error(response, HttpError{400, "query_syntax", error.what(), error.position()});
      } catch (const QueryLimitError& error) {
        send_error(response, HttpError{400, "query_too_costly", error.what() + std::string(" (limit ") +
                                                                    error.limit() + ", --max-query-terms)",
                                       error.position()});
      } catch (const IndexError& error) {
        send_error(response, HttpError{500, "index_error", error.what(), std::nullopt});
      } catch (const Error& error) {
        send_error(response, HttpError{400, "bad_request", error.what(), std::nullopt});
      } catch (const std::exception& error) {
        send_error(response, HttpError{500, "internal", error.what(), std::nullopt});
      }
    };
  }

  void routes() {
    http.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(search_page(), "text/html; charset=utf-8");
    });
    http.Get("/v1/health", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      Params(request, {});
      auto searcher = searchers.acquire();
      send_json(response, {{"status", "ok"}, {"articles", searcher->article_count()}});
    }));
    http.Get("/v1/stats", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      const Params params(request, {"top"});
      auto searcher = searchers.acquire();
      send_json(response, present::stats_json(searcher->stats(params.count("top", 10, 10000))));
    }));
    http.Get("/v1/search", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      const Params params(request, with_scope({"sort", "half_life", "offset", "limit", "collapse", "include_comments",
                                               "facet_size", "date_facet", "fields", "suggest"}));
      SearchRequest search = scope_request(params, collections_file, options.max_query_terms);
      present::HitFields fields;
      result_options(params, search, fields);
      auto searcher = searchers.acquire();
      send_json(response, present::search_json(search, searcher->search(search), fields));
    }));
    http.Get(R"(/v1/similar/(.+))", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      const Params params(request, {"outlet", "tag", "lang", "from", "to", "undated", "collection", "sort", "half_life",
                                    "offset", "limit", "collapse", "facet_size", "date_facet", "fields"});
      SearchRequest search = scope_request(params, collections_file, options.max_query_terms);
      search.like_id = request.matches[1];
      present::HitFields fields;
      result_options(params, search, fields);
      auto searcher = searchers.acquire();
      if (!searcher->get(search.like_id)) not_found(search.like_id);
      send_json(response, present::search_json(search, searcher->search(search), fields));
    }));
    http.Get(R"(/v1/articles/(.+))", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      Params(request, {});
      const std::string id = request.matches[1];
      auto searcher = searchers.acquire();
      const std::optional<Article> article = searcher->get(id);
      if (!article) not_found(id);
      send_json(response, present::article_json(*article));
    }));
    http.Get("/v1/timeline", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      const Params params(request, with_scope({"by", "per_outlet"}));
      TimelineRequest timeline;
      timeline.search = scope_request(params, collections_file, options.max_query_terms);
      timeline.by = params.choice("by", TimeBucket::kMonth, present::bucket_from_name, "day, week, month, year");
      timeline.per_outlet = params.count("per_outlet", 0, 100);
      auto searcher = searchers.acquire();
      send_json(response, present::timeline_json(timeline, searcher->timeline(timeline)));
    }));
    http.Get("/v1/outlets", endpoint([this](const httplib::Request& request, httplib::Response& response) {
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
      send_json(response, present::outlets_json(outlets, searcher->outlets(outlets)));
    }));
    http.Get("/v1/export", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      export_matches(request, response);
    }));
    http.Post("/v1/articles", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      add_articles(request, response);
    }));
    http.Delete(R"(/v1/articles/(.+))", endpoint([this](const httplib::Request& request, httplib::Response& response) {
      Params(request, {});
      authorise(request);
      const std::string id = request.matches[1];
      std::lock_guard lock(write_mutex);
      IndexWriter writer = open_writer();
      if (!writer.remove(id)) not_found(id);
      writer.commit();
      searchers.written();
      send_json(response, {{"deleted", id}});
    }));
  }

  // Writes need the bearer token of --token-file; without one they are off.
  void authorise(const httplib::Request& request) const {
    if (options.token.empty()) {
      throw HttpError{403, "writes_off", "writes are off: start the server with --token-file", std::nullopt};
    }
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      throw HttpError{401, "unauthorized", "writes need an Authorization: Bearer header", std::nullopt};
    }
    if (header.compare(0, kBearer.size(), kBearer) != 0 || !same_token(header.substr(kBearer.size()), options.token)) {
      throw HttpError{403, "forbidden", "the token is not the server's", std::nullopt};
    }
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
  // scraped text (text/plain), gzip or zstd compressed or not, read and cleaned as
  // `gazette index` reads files; every bad line reported with its number.
  void add_articles(const httplib::Request& request, httplib::Response& response) {
    const Params params(request, {"outlet", "date", "date_format", "lang", "id", "clean"});
    authorise(request);
    const std::optional<UploadKind> kind = upload_kind(request.get_header_value("Content-Type"));
    if (!kind) {
      throw HttpError{415, "unsupported_media_type",
                      "send application/x-ndjson (JSON Lines), text/html (a page) or text/plain (a text)", std::nullopt};
    }
    if (request.body.empty()) throw HttpError{400, "empty_body", "the request body is empty", std::nullopt};
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
    const UploadFile upload(request.body, kind->extension);
    std::vector<Article> articles;
    Json errors = Json::array();
    Json warnings = Json::array();
    read_articles({upload.path()}, read, [&](ReadItem&& item) {
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
      send_json(response, {{"indexed", 0}, {"added", 0}, {"replaced", 0}, {"duplicates", 0},
                           {"skipped", errors.size()}, {"errors", errors}}, 400);
      return;
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
    send_json(response, {{"indexed", added + replaced}, {"added", added}, {"replaced", replaced},
                         {"duplicates", duplicates}, {"skipped", errors.size()}, {"errors", errors},
                         {"warnings", warnings}});
  }

  [[noreturn]] static void not_found(const std::string& id) {
    throw HttpError{404, "not_found", "no article with id '" + id + "'", std::nullopt};
  }

  // Every match streamed as JSON Lines or CSV in chunks, in constant memory (a page of
  // matches at a time; a slow client slows the export, nothing piles up).
  void export_matches(const httplib::Request& request, httplib::Response& response) {
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
      searcher->search(probe);
    }
    const bool csv = format == "csv";
    response.set_header("Cache-Control", "no-store");
    response.set_chunked_content_provider(
        csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
        [this, search, fields, csv, order = order->second](std::size_t, httplib::DataSink& sink) {
          std::string chunk;
          const auto flush = [&] {
            const bool written = chunk.empty() || sink.write(chunk.data(), chunk.size());
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
          if (!flush()) return false;
          sink.done();
          return true;
        });
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  raise_file_limit();
  Impl& impl = *impl_;
  const unsigned threads = std::max(1u, impl.options.threads);
  impl.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl.http.set_payload_max_length(impl.options.max_body_bytes);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same
  // port and share its connections: a port in use must be an error instead.
  impl.http.set_socket_options([](int socket) {
    const int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Small JSON answers: without TCP_NODELAY, Nagle's algorithm meets the client's
  // delayed ACK and every response on a kept-alive connection waits 40 ms.
  impl.http.set_tcp_nodelay(true);
  impl.http.set_read_timeout(10);
  impl.http.set_write_timeout(30);
  impl.http.set_keep_alive_timeout(5);
  impl.http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  impl.http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    // Statuses httplib sets itself (404 for no route, 413, 414, ...): JSON like the rest.
    if (!response.body.empty()) return;
    const std::string code = response.status == 404   ? "not_found"
                             : response.status == 413 ? "too_large"
                             : response.status == 414 ? "too_long"
                                                      : "bad_request";
    const std::string message = response.status == 404 ? "no such endpoint: " + request.path
                                : response.status == 413 ? "the request body is over the server's limit"
                                : response.status == 414 ? "the request line is too long"
                                                         : "the request cannot be read (HTTP status " +
                                                               std::to_string(response.status) + ")";
    send_error(response, HttpError{response.status, code, message, std::nullopt});
  });
  if (impl.options.access_log) {
    impl.http.set_logger([](const httplib::Request& request, const httplib::Response& response) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - request_started).count();
      std::fprintf(stderr, "%s %s %d %.1f ms\n", request.method.c_str(), request.path.c_str(), response.status, ms);
    });
  }
  impl.routes();
  if (impl.options.port == 0) {
    impl.port = impl.http.bind_to_any_port(impl.options.host);
  } else {
    impl.port = impl.http.bind_to_port(impl.options.host, impl.options.port) ? impl.options.port : -1;
  }
  if (impl.port <= 0) {
    throw Error("cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port) +
                " (in use, or not an address of this machine)");
  }
}

Server::~Server() { stop(); }

int Server::port() const { return impl_->port; }

void Server::run() {
  impl_->serving = true;
  impl_->http.listen_after_bind();
  impl_->serving = false;
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  if (impl_->options.lame_duck.count() > 0 && impl_->serving) {
    std::this_thread::sleep_for(impl_->options.lame_duck);
  }
  impl_->http.stop();
}

}  // namespace gazette::server
