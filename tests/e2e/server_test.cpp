// End-to-end tests of `gazette serve`: the real binary on a loopback port chosen at
// random, over an index of Reuters-21578 and the UCI news sample, every answer checked
// against counts made independently from the input files; errors, streaming export,
// an index growing while it is served, and a graceful stop.
#include <gtest/gtest.h>

#include <csignal>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "gazette/article.h"
#include "tests/support/commands.h"
#include "tests/support/serve.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using namespace gazette::testing;  // NOLINT: the command and serve helpers (tests/support/)

// What the tests know about the input, counted from the files themselves.
struct InputCounts {
  std::size_t articles = 0;
  std::size_t undated = 0;
  std::map<std::string, std::size_t> by_outlet;
  std::map<std::string, std::size_t> by_tag;
  std::map<std::string, std::size_t> by_year;
  std::map<std::string, std::size_t> by_day;
  std::map<std::string, json> by_id;
};

class Server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    counts_ = new InputCounts;
    // Each corpus in an index of its own, served as one (-i twice): every count below
    // checks that several indexes answer as one.
    for (const auto& [relative, name] : {std::pair{"corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl"},
                                         std::pair{"corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst",
                                                   "uci.jsonl"}}) {
      indexes_.push_back(*dir_ / (std::string(name) + ".index"));
      const std::string input = unpack(*dir_, relative, name);
      for (const json& record : read_jsonl(input)) {
        ++counts_->articles;
        // The UCI sample's last record is cut short (null outlet, a null tag): it has no
        // outlet, and no tag.
        if (record["outlet"].is_string() && !record["outlet"].get<std::string>().empty()) {
          ++counts_->by_outlet[record["outlet"].get<std::string>()];
        }
        if (record.contains("tags") && record["tags"].is_array()) {
          for (const auto& tag : record["tags"]) {
            if (tag.is_string()) ++counts_->by_tag[tag.get<std::string>()];
          }
        }
        const std::string date = record["date"].is_string() ? record["date"].get<std::string>() : "";
        if (date.empty()) {
          ++counts_->undated;
        } else {
          ++counts_->by_year[date.substr(0, 4)];
          ++counts_->by_day[date.substr(0, 10)];
        }
        counts_->by_id[record["id"].get<std::string>()] = record;
      }
      // --keep-duplicates: every record is stored, so counts can be checked exactly.
      const CommandResult indexed =
          run_gazette("index -q --keep-duplicates -i " + quote(indexes_.back()) + " " + quote(input));
      ASSERT_EQ(indexed.status, 0) << indexed.err;
    }
    server_ = new ServeProcess(indexes_[0], *dir_ / "serve.log", {"-i", indexes_[1], "--threads", "8"});
    ASSERT_GT(server_->port(), 0) << server_->log();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete counts_;
    delete dir_;
  }

  static Reply api(const std::string& target) { return get(server_->port(), target); }

  static TempDir* dir_;
  static std::vector<std::string> indexes_;
  static InputCounts* counts_;
  static ServeProcess* server_;
};

TempDir* Server::dir_ = nullptr;
std::vector<std::string> Server::indexes_;
InputCounts* Server::counts_ = nullptr;
ServeProcess* Server::server_ = nullptr;

TEST_F(Server, HealthAndStatsCountEveryArticle) {
  const Reply health = api("/v1/health");
  ASSERT_EQ(health.status, 200) << health.text;
  EXPECT_EQ(health.body["status"], "ok");
  EXPECT_EQ(health.body["articles"].get<std::size_t>(), counts_->articles);
  const Reply stats = api("/v1/stats?top=3");
  ASSERT_EQ(stats.status, 200) << stats.text;
  EXPECT_EQ(stats.body["articles"].get<std::size_t>(), counts_->articles);
  EXPECT_EQ(stats.body["undated"].get<std::size_t>(), counts_->undated);
  EXPECT_EQ(stats.body["outlets"].get<std::size_t>(), counts_->by_outlet.size());
  ASSERT_EQ(stats.body["top_outlets"].size(), 3u);
  EXPECT_EQ(stats.body["top_outlets"][0]["value"], "Reuters");
  EXPECT_EQ(stats.body["top_outlets"][0]["count"].get<std::size_t>(), counts_->by_outlet.at("Reuters"));
}

TEST_F(Server, FacetsOfEveryArticleMatchTheInput) {
  const Reply all = api("/v1/search?limit=0&facet_size=5000&date_facet=year");
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.body["total"].get<std::size_t>(), counts_->articles);
  std::map<std::string, std::size_t> outlets, years;
  for (const json& value : all.body["facets"]["outlet"]) outlets[value["value"]] = value["count"];
  for (const json& value : all.body["facets"]["date"]) years[value["bucket"]] = value["count"];
  const auto expect_same = [](const std::map<std::string, std::size_t>& got,
                              const std::map<std::string, std::size_t>& want, const char* what) {
    EXPECT_EQ(got.size(), want.size()) << what;
    for (const auto& [key, count] : want) {
      const auto found = got.find(key);
      EXPECT_EQ(found == got.end() ? 0 : found->second, count) << what << " '" << key << "'";
    }
  };
  expect_same(outlets, counts_->by_outlet, "outlet");
  expect_same(years, counts_->by_year, "year");
  EXPECT_EQ(all.body["facets"]["undated"].get<std::size_t>(), counts_->undated);
}

TEST_F(Server, FiltersAndPagingMatchTheInput) {
  // The five largest UCI outlets and tags, each as a filter.
  std::vector<std::pair<std::size_t, std::string>> outlets;
  for (const auto& [name, count] : counts_->by_outlet) {
    if (name != "Reuters") outlets.emplace_back(count, name);
  }
  std::sort(outlets.rbegin(), outlets.rend());
  for (std::size_t i = 0; i < 5 && i < outlets.size(); ++i) {
    const Reply reply = api("/v1/search?limit=0&outlet=" + encode(outlets[i].second));
    ASSERT_EQ(reply.status, 200) << reply.text;
    EXPECT_EQ(reply.body["total"].get<std::size_t>(), outlets[i].first) << outlets[i].second;
  }
  // Two outlets at once: either one (disjunctive within a facet).
  const Reply two = api("/v1/search?limit=0&outlet=" + encode(outlets[0].second) + "&outlet=" + encode(outlets[1].second));
  EXPECT_EQ(two.body["total"].get<std::size_t>(), outlets[0].first + outlets[1].first);
  for (const std::string tag : {"business", "entertainment"}) {
    const Reply reply = api("/v1/search?limit=0&tag=" + tag);
    EXPECT_EQ(reply.body["total"].get<std::size_t>(), counts_->by_tag[tag]) << tag;
  }
  // One day (the input's dates are UTC).
  const std::string day = counts_->by_day.rbegin()->first;
  const Reply one_day = api("/v1/search?limit=0&from=" + day + "&to=" + day);
  EXPECT_EQ(one_day.body["total"].get<std::size_t>(), counts_->by_day[day]) << day;
  // Undated articles: only them, or none of them.
  const Reply undated_only = api("/v1/search?limit=0&undated=only");
  EXPECT_EQ(undated_only.body["total"].get<std::size_t>(), counts_->undated);
  EXPECT_EQ(undated_only.body["filters"]["undated"], "only");
  const Reply dated_only = api("/v1/search?limit=0&undated=exclude");
  EXPECT_EQ(dated_only.body["total"].get<std::size_t>() + counts_->undated,
            api("/v1/search?limit=0").body["total"].get<std::size_t>());
  // Pages: ranks 6-10 of a query are the second half of its first ten.
  const Reply ten = api("/v1/search?q=oil&limit=10");
  const Reply second = api("/v1/search?q=oil&offset=5&limit=5");
  ASSERT_EQ(ten.body["hits"].size(), 10u);
  ASSERT_EQ(second.body["hits"].size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(second.body["hits"][i]["id"], ten.body["hits"][i + 5]["id"]);
    EXPECT_EQ(second.body["hits"][i]["rank"].get<std::size_t>(), i + 6);
  }
  // Hits carry neither body nor comments unless asked.
  EXPECT_FALSE(ten.body["hits"][0].contains("body"));
  const Reply with_body = api("/v1/search?q=oil&limit=1&fields=body");
  EXPECT_TRUE(with_body.body["hits"][0].contains("body"));
  EXPECT_EQ(with_body.body["hits"][0]["body"], counts_->by_id.at(with_body.body["hits"][0]["id"])["body"]);
}

TEST_F(Server, ArticlesAreTheInputRecords) {
  std::mt19937 random(7);
  std::vector<std::string> ids;
  for (const auto& [id, record] : counts_->by_id) ids.push_back(id);
  for (int i = 0; i < 25; ++i) {
    const std::string& id = ids[random() % ids.size()];
    const Reply reply = api("/v1/articles/" + encode(id));
    ASSERT_EQ(reply.status, 200) << id << ": " << reply.text;
    const json& record = counts_->by_id.at(id);
    EXPECT_EQ(reply.body["id"], id);
    EXPECT_EQ(reply.body["title"], record["title"]) << id;
    EXPECT_EQ(reply.body["body"], record["body"]) << id;
    EXPECT_EQ(reply.body["outlet"], record["outlet"]) << id;
  }
  const Reply similar = api("/v1/similar/reuters21578-5?limit=3");
  ASSERT_EQ(similar.status, 200) << similar.text;
  EXPECT_EQ(similar.body["like"], "reuters21578-5");
  EXPECT_EQ(similar.body["hits"].size(), 3u);
  for (const json& hit : similar.body["hits"]) EXPECT_NE(hit["id"], "reuters21578-5");
}

TEST_F(Server, AnalyticsAddUp) {
  const Reply search = api("/v1/search?q=oil&limit=0");
  const std::size_t total = search.body["total"];
  ASSERT_GT(total, 500u);
  const Reply timeline = api("/v1/timeline?q=oil&by=month");
  ASSERT_EQ(timeline.status, 200) << timeline.text;
  EXPECT_EQ(timeline.body["matches"].get<std::size_t>(), total);
  EXPECT_EQ(timeline.body["in_scope"].get<std::size_t>(), counts_->articles);
  std::size_t dated = 0;
  for (const json& point : timeline.body["series"][0]["points"]) dated += point["matches"].get<std::size_t>();
  EXPECT_EQ(dated + timeline.body["undated"]["matches"].get<std::size_t>(), total);
  const Reply outlets = api("/v1/outlets?q=oil&limit=0");
  ASSERT_EQ(outlets.status, 200) << outlets.text;
  std::size_t sum = 0;
  for (const json& row : outlets.body["rows"]) sum += row["matches"].get<std::size_t>();
  EXPECT_EQ(sum, total);
}

TEST_F(Server, ErrorsAreJsonWithTheRightStatus) {
  const auto expect_error = [](const Reply& reply, int status, const std::string& code) {
    EXPECT_EQ(reply.status, status) << reply.text;
    ASSERT_TRUE(reply.body.contains("error")) << reply.text;
    EXPECT_EQ(reply.body["error"]["code"], code) << reply.text;
    EXPECT_FALSE(reply.body["error"]["message"].get<std::string>().empty());
  };
  const Reply syntax = api("/v1/search?q=" + encode("oil AND (gas"));
  expect_error(syntax, 400, "query_syntax");
  EXPECT_EQ(syntax.body["error"]["position"], 9);
  const Reply nested = api("/v1/search?q=" + encode(std::string(3000, '(') + "oil" + std::string(3000, ')')));
  expect_error(nested, 400, "query_syntax");
  EXPECT_EQ(nested.body["error"]["position"], 101);
  expect_error(api("/v1/search?qq=oil"), 400, "bad_parameter");
  expect_error(api("/v1/search?limit=many"), 400, "bad_parameter");
  expect_error(api("/v1/search?limit=100000"), 400, "bad_parameter");
  expect_error(api("/v1/search?from=1987-13"), 400, "bad_parameter");
  expect_error(api("/v1/search?undated=maybe"), 400, "bad_parameter");
  expect_error(api("/v1/search?undated=only&from=1987"), 400, "bad_parameter");
  expect_error(api("/v1/search?sort=sideways"), 400, "bad_parameter");
  expect_error(api("/v1/search?fields=everything"), 400, "bad_parameter");
  expect_error(api("/v1/articles/no-such-article"), 404, "not_found");
  expect_error(api("/v1/similar/no-such-article"), 404, "not_found");
  expect_error(api("/v1/no-such-endpoint"), 404, "not_found");
  expect_error(api("/v1/export?format=xml"), 400, "bad_parameter");
  expect_error(api("/v1/export?q=" + encode("\"unclosed")), 400, "query_syntax");
  // A request line over the limit is refused before any parsing.
  EXPECT_EQ(api("/v1/search?q=" + std::string(20000, 'a')).status, 414);
  // This server was started without --token-file: writes are off.
  expect_error(send(server_->port(), "/v1/articles", "any-token-at-all", "{}", "application/x-ndjson"), 403, "writes_off");
}

TEST_F(Server, AQueryOfNothingSearchableFindsNothingAndSaysWhy) {
  const Reply search = api("/v1/search?q=" + encode("💥"));
  ASSERT_EQ(search.status, 200) << search.text;
  EXPECT_EQ(search.body["total"], 0);
  EXPECT_EQ(search.body["nothing_searchable"], true);
  EXPECT_EQ(search.body["ignored"], json::array({"💥"}));
  EXPECT_NE(search.body["note"].get<std::string>().find("nothing searchable"), std::string::npos);
  const Reply timeline = api("/v1/timeline?q=" + encode("!!!"));
  EXPECT_EQ(timeline.body["matches"], 0);
  EXPECT_EQ(timeline.body["nothing_searchable"], true);
  EXPECT_EQ(api("/v1/outlets?q=" + encode("$$$")).body["matches"], 0);
  // An export has no place to say why it is empty: it is refused, saying why.
  const Reply exported = api("/v1/export?q=" + encode("🛢️"));
  EXPECT_EQ(exported.status, 400) << exported.text;
  EXPECT_EQ(exported.body["error"]["code"], "nothing_searchable");
  // Beside a real word, it is left out and named.
  const Reply mixed = api("/v1/search?q=" + encode("cocoa !!!"));
  EXPECT_EQ(mixed.body["total"], api("/v1/search?q=cocoa").body["total"]);
  EXPECT_EQ(mixed.body["ignored"], json::array({"!!!"}));
}

TEST_F(Server, ExportStreamsEveryMatchInConstantMemory) {
  const long before = server_->peak_kib();
  const Reply jsonl = api("/v1/export?fields=id,body&order=index");
  ASSERT_EQ(jsonl.status, 200);
  std::size_t lines = 0;
  std::set<std::string> ids;
  std::istringstream stream(jsonl.text);
  for (std::string line; std::getline(stream, line);) {
    ++lines;
    ids.insert(json::parse(line)["id"].get<std::string>());
  }
  EXPECT_EQ(lines, counts_->articles);
  EXPECT_EQ(ids.size(), counts_->articles);
  // The bodies (tens of megabytes) went out in chunks: the server never held them all.
  // (Not measurable under AddressSanitizer, whose quarantine keeps freed memory.)
  const long grown = server_->peak_kib() - before;
#if !GAZETTE_UNDER_ASAN
  EXPECT_LT(grown * 1024, static_cast<long>(jsonl.text.size() / 2))
      << "peak RSS grew " << grown << " KiB for " << jsonl.text.size() << " bytes exported";
#else
  (void)grown;
#endif
  const Reply csv = api("/v1/export?q=oil&format=csv&fields=id,date");
  ASSERT_EQ(csv.status, 200);
  std::istringstream rows(csv.text);
  std::string header;
  std::getline(rows, header);
  EXPECT_EQ(header, "id,date\r");
  std::size_t count = 0;
  for (std::string row; std::getline(rows, row);) count += !row.empty();
  EXPECT_EQ(count, api("/v1/search?q=oil&limit=0").body["total"].get<std::size_t>());
}

TEST_F(Server, ThePageIsServed) {
  const Reply page = api("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.text.find("<title>Gazette</title>"), std::string::npos);
  EXPECT_NE(page.text.find("<script src=\"/search.js\">"), std::string::npos);
  const Reply script = api("/search.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_NE(script.text.find("/v1/search"), std::string::npos);
  EXPECT_EQ(api("/search.css").status, 200);
  api("/v1/health");
  // The line is written when the request completes, just after the answer went out.
  std::string log = server_->log();
  for (int waited = 0; log.find("GET /v1/health 200") == std::string::npos && waited < 200; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = server_->log();
  }
  EXPECT_NE(log.find("GET /v1/health 200"), std::string::npos) << "one access-log line per request";
}

// Articles committed by another process while the server runs are found within a
// second, and searches running meanwhile never fail.
TEST(ServerLive, SeesNewCommitsAndNeverFailsMeanwhile) {
  TempDir dir;
  const std::string index = dir / "index";
  const std::string reuters = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  // A first part, then the rest in small batches while the server answers.
  ASSERT_EQ(shell("head -n 2000 " + quote(reuters) + " > " + quote(dir / "first.jsonl")).status, 0);
  ASSERT_EQ(shell("tail -n +2001 " + quote(reuters) + " | head -n 6000 > " + quote(dir / "rest.jsonl")).status, 0);
  ASSERT_EQ(run_gazette("index -q --keep-duplicates -i " + quote(index) + " " + quote(dir / "first.jsonl")).status, 0);
  ServeProcess server(index, dir / "serve.log", {"--quiet"});
  ASSERT_GT(server.port(), 0) << server.log();
  EXPECT_EQ(get(server.port(), "/v1/health").body["articles"], 2000);

  std::atomic<bool> indexing = true;
  std::atomic<int> failures = 0, searches = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      const std::vector<std::string> targets = {"/v1/search?q=oil&facet_size=5", "/v1/search?q=bank+rates&sort=date",
                                                "/v1/timeline?q=trade", "/v1/outlets?q=wheat"};
      httplib::Client client("127.0.0.1", server.port());
      for (std::size_t i = c; indexing; ++i) {
        const auto result = client.Get(targets[i % targets.size()]);
        ++searches;
        if (!result || result->status != 200) ++failures;
      }
    });
  }
  const CommandResult more =
      run_gazette("index -q --keep-duplicates --batch-size 200 -i " + quote(index) + " " + quote(dir / "rest.jsonl"));
  const auto committed = std::chrono::steady_clock::now();
  EXPECT_EQ(more.status, 0) << more.err;
  std::size_t seen = 0;
  while (std::chrono::steady_clock::now() - committed < std::chrono::seconds(3)) {
    seen = get(server.port(), "/v1/health").body["articles"];
    if (seen == 8000) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double lag = std::chrono::duration<double>(std::chrono::steady_clock::now() - committed).count();
  indexing = false;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(seen, 8000u);
  EXPECT_LT(lag, 1.0) << "new commits visible within a second";
  EXPECT_EQ(failures, 0) << "of " << searches << " requests";
  EXPECT_GT(searches, 20);
}

// SIGTERM while a large write is in flight: the write finishes and commits, its answer
// reaches the client, the server exits 0, and the index holds exactly what it said.
TEST(ServerStop, SigtermDuringAWriteLosesNothing) {
  TempDir dir;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus/seeds")).status, 0);
  write_token(dir / "token", "sigterm-test-token-0123456789");
  ServeProcess server(index, dir / "serve.log", {"--token-file", dir / "token"});
  ASSERT_GT(server.port(), 0) << server.log();
  const std::size_t before = get(server.port(), "/v1/health").body["articles"];
  // The first 8,000 Reuters articles: a write of several batches, minutes under ASan.
  std::string body;
  {
    std::ifstream input(unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl"));
    std::size_t lines = 0;
    for (std::string line; lines < 8000 && std::getline(input, line); ++lines) body += line + "\n";
  }
  Reply written;
  std::thread writer([&] {
    written = send(server.port(), "/v1/articles", "sigterm-test-token-0123456789", body, "application/x-ndjson");
  });
  // Once the server is writing (a new segment directory appears for the batch: a request
  // still being received when the signal comes gets 503 instead, and stores nothing).
  const auto segments = [&] {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(index)) {
      count += entry.path().filename().string().rfind("seg-", 0) == 0;
    }
    return count;
  };
  const std::size_t segments_before = segments();
  for (int waited = 0; segments() == segments_before && waited < 6000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(segments(), segments_before) << "the write never started: " << server.log();
  EXPECT_EQ(server.terminate(120), 0) << server.log();
  writer.join();
  ASSERT_EQ(written.status, 200) << written.text;
  const std::size_t added = written.body["added"];
  EXPECT_GT(added, 7000u);
  const CommandResult stats = run_gazette("stats --json -i " + quote(index));
  ASSERT_EQ(stats.status, 0) << stats.err;
  EXPECT_EQ(json::parse(stats.out)["articles"].get<std::size_t>(), before + added);
}

// Under load: 16 clients search, page, facet and read articles while all of
// Reuters-21578 is added through POST /v1/articles in batches of 1,000. No request
// fails; afterwards every stored article is found by id and the total is the input
// count less the exact duplicates the writer reported.
TEST(ServerLoad, SixteenClientsWhileReutersIsPosted) {
  TempDir dir;
  const std::string index = dir / "index";
  // The two seed pages only: every Reuters article then arrives through the API.
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus/seeds")).status, 0);
  const std::string token = "load-test-token-0123456789abcdef";
  write_token(dir / "token", token);
  ServeProcess server(index, dir / "serve.log", {"--token-file", dir / "token", "--quiet"});
  ASSERT_GT(server.port(), 0) << server.log();
  const int port = server.port();
  const std::size_t before = get(port, "/v1/health").body["articles"];
  const std::string reuters = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  std::vector<std::string> lines;
  std::set<std::string> input_ids;
  {
    std::ifstream input(reuters);
    for (std::string line; std::getline(input, line);) {
      if (line.empty()) continue;
      input_ids.insert(json::parse(line)["id"].get<std::string>());
      lines.push_back(line + "\n");
    }
  }

  std::atomic<bool> posting = true;
  std::atomic<std::size_t> requests = 0, failures = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&, c] {
      const std::vector<std::string> targets = {
          "/v1/search?q=oil+prices&facet_size=10", "/v1/search?q=bank&sort=date&offset=20",
          "/v1/search?q=%22trade+deficit%22&date_facet=day", "/v1/search?q=wheat+OR+corn&collapse=story",
          "/v1/timeline?q=dollar&by=week", "/v1/outlets?q=gold", "/v1/articles/reuters21578-1",
          "/v1/search?limit=0&from=1987-03&to=1987-04"};
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60);
      for (std::size_t i = c; posting; ++i) {
        const std::string& target = targets[i % targets.size()];
        const auto result = client.Get(target);
        ++requests;
        // An article not yet posted is a 404, not a failure.
        const bool article = target.rfind("/v1/articles/", 0) == 0;
        if (!result || !(result->status == 200 || (article && result->status == 404))) {
          ++failures;
          ADD_FAILURE() << target << ": " << (result ? std::to_string(result->status) + " " + result->body
                                                     : httplib::to_string(result.error()));
        }
      }
    });
  }
  std::size_t added = 0, duplicates = 0, skipped = 0;
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t from = 0; from < lines.size(); from += 1000) {
    std::string body;
    for (std::size_t i = from; i < std::min(lines.size(), from + 1000); ++i) body += lines[i];
    const Reply reply = send(port, "/v1/articles", token, body, "application/x-ndjson");
    ASSERT_EQ(reply.status, 200) << reply.text << "\nserver log:\n" << server.log();
    added += reply.body["added"].get<std::size_t>();
    duplicates += reply.body["duplicates"].get<std::size_t>();
    skipped += reply.body["skipped"].get<std::size_t>();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  posting = false;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(failures, 0u) << "of " << requests;
  EXPECT_GT(requests, 1000u) << "in " << seconds << " s";
  EXPECT_EQ(skipped, 0u);
  EXPECT_EQ(added + duplicates, lines.size());
  EXPECT_EQ(get(port, "/v1/health").body["articles"].get<std::size_t>(), before + added);
  // Every stored Reuters article, by id: the export lists them, each is fetched.
  const Reply exported = get(port, "/v1/export?fields=id&order=index");
  std::vector<std::string> stored;
  std::istringstream stream(exported.text);
  for (std::string line; std::getline(stream, line);) {
    const std::string id = json::parse(line)["id"];
    if (input_ids.count(id)) stored.push_back(id);
  }
  EXPECT_EQ(stored.size(), added);
  httplib::Client client("127.0.0.1", port);
  std::size_t found = 0;
  for (const std::string& id : stored) {
    const auto result = client.Get("/v1/articles/" + encode(id));
    found += result && result->status == 200;
  }
  EXPECT_EQ(found, added);
}

// SIGTERM: a request in flight (an export the client reads slowly) finishes whole,
// the process exits 0 and says so, and nothing listens afterwards.
TEST(ServerStop, SigtermStopsGracefully) {
  TempDir dir;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q --keep-duplicates -i " + quote(index) + " " +
                        quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus")).status, 0);
  ServeProcess server(index, dir / "serve.log");
  ASSERT_GT(server.port(), 0) << server.log();
  const std::size_t articles = get(server.port(), "/v1/health").body["articles"];
  std::atomic<bool> streaming = false;
  std::string exported;
  int status = 0;
  std::thread slow([&] {
    httplib::Client client("127.0.0.1", server.port());
    const auto result = client.Get("/v1/export?fields=id,body&order=index", [&](const char* data, std::size_t size) {
      exported.append(data, size);
      if (!streaming.exchange(true)) std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return true;
    });
    status = result ? result->status : -1;
  });
  while (!streaming) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(server.terminate(), 0) << server.log();
  slow.join();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(static_cast<std::size_t>(std::count(exported.begin(), exported.end(), '\n')), articles)
      << "the export in flight finished whole";
  EXPECT_NE(server.log().find("gazette serve: stopped"), std::string::npos) << server.log();
  httplib::Client client("127.0.0.1", server.port());
  EXPECT_FALSE(client.Get("/v1/health"));
}


// SIGTERM starts the lame-duck period: requests keep being answered, 503 with
// Retry-After and Connection: close (so /v1/health tells a load balancer to move on),
// then the port closes; never a 200 after a 503, never a 503 after the port closed.
TEST(ServerStop, LameDuckAnswers503ThenCloses) {
  TempDir dir;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus/seeds")).status, 0);
  ServeProcess server(index, dir / "serve.log", {"--lame-duck", "800", "--quiet"});
  ASSERT_GT(server.port(), 0) << server.log();
  std::atomic<bool> polling = true;
  std::vector<std::string> seen;  // "200", "503", "closed": each change of answer, in order.
  std::size_t shutting_down = 0, with_retry_after = 0;
  std::thread poller([&] {
    while (polling) {
      httplib::Client client("127.0.0.1", server.port());
      client.set_connection_timeout(5);
      const auto result = client.Get("/v1/health");
      // Only a refused connection means the server has closed; a timeout on a busy
      // machine says nothing about the stop, so it is asked again.
      if (!result && result.error() != httplib::Error::Connection) continue;
      std::string answer = result ? std::to_string(result->status) : "closed";
      if (result && result->status == 503) {
        shutting_down += json::parse(result->body)["error"]["code"] == "shutting_down";
        with_retry_after += result->get_header_value("Retry-After") == "1";
      }
      if (seen.empty() || seen.back() != answer) seen.push_back(answer);
      if (answer == "closed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  while (seen.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(server.terminate(), 0) << server.log();
  polling = false;
  poller.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"200", "503", "closed"})) << server.log();
  EXPECT_GT(shutting_down, 0u);
  EXPECT_EQ(with_retry_after, shutting_down);
}

// Writes: the token (absent, wrong, right), JSON Lines with bad lines (plain, gzip,
// zstd), an HTML page, replacements, deletions, what is read right after, body and
// type limits, and another process holding the index.
TEST(ServerWrites, AddReplaceDeleteWithTheToken) {
  TempDir dir;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q --keep-duplicates -i " + quote(index) + " " +
                        quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus")).status, 0);
  const std::string token = "s3cret-token-for-the-test-0123456789";
  write_token(dir / "token", token + "\n");
  ServeProcess server(index, dir / "serve.log", {"--token-file", dir / "token", "--max-body", "1"});
  ASSERT_GT(server.port(), 0) << server.log();
  const int port = server.port();
  const std::size_t before = get(port, "/v1/health").body["articles"];

  // 300 Reuters records not in corpus/ (ids above its sample), then two bad lines.
  const std::string reuters = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  ASSERT_EQ(shell("tail -n 300 " + quote(reuters) + " > " + quote(dir / "batch.jsonl")).status, 0);
  const std::vector<json> records = read_jsonl(dir / "batch.jsonl");
  std::string body = slurp(dir / "batch.jsonl") + "{\"id\": \"cut\"\nnot json at all\n";

  EXPECT_EQ(send(port, "/v1/articles", "", body, "application/x-ndjson").status, 401);
  EXPECT_EQ(send(port, "/v1/articles", token + "x", body, "application/x-ndjson").status, 403);
  EXPECT_EQ(send(port, "/v1/articles", token.substr(1), body, "application/x-ndjson").status, 403);
  EXPECT_EQ(get(port, "/v1/health").body["articles"].get<std::size_t>(), before) << "nothing written without the token";

  const Reply added = send(port, "/v1/articles", token, body, "application/x-ndjson");
  ASSERT_EQ(added.status, 200) << added.text;
  // The server's writer detects duplicates, as `gazette index` does: Reuters repeats a
  // few stories word for word.
  const std::size_t stored = added.body["added"];
  EXPECT_EQ(added.body["indexed"].get<std::size_t>(), stored);
  EXPECT_EQ(stored + added.body["duplicates"].get<std::size_t>(), records.size());
  EXPECT_GT(stored, records.size() - 10);
  EXPECT_EQ(added.body["skipped"], 2);
  ASSERT_EQ(added.body["errors"].size(), 2u);
  EXPECT_EQ(added.body["errors"][0]["line"].get<std::size_t>(), records.size() + 1);
  EXPECT_EQ(added.body["errors"][1]["line"].get<std::size_t>(), records.size() + 2);
  // Read right after the write: no waiting for a refresh.
  EXPECT_EQ(get(port, "/v1/health").body["articles"].get<std::size_t>(), before + stored);
  const std::string last_id = records.back()["id"];
  EXPECT_EQ(get(port, "/v1/articles/" + last_id).body["title"], records.back()["title"]);

  // The same records again, compressed both ways: replacements, not additions.
  ASSERT_EQ(shell("gzip -c " + quote(dir / "batch.jsonl") + " > " + quote(dir / "batch.jsonl.gz")).status, 0);
  ASSERT_EQ(shell("zstd -qc " + quote(dir / "batch.jsonl") + " > " + quote(dir / "batch.jsonl.zst")).status, 0);
  for (const char* compressed : {"batch.jsonl.gz", "batch.jsonl.zst"}) {
    const Reply again = send(port, "/v1/articles", token, slurp(dir / compressed), "application/x-ndjson");
    ASSERT_EQ(again.status, 200) << compressed << ": " << again.text;
    EXPECT_EQ(again.body["replaced"].get<std::size_t>(), stored) << compressed;
    EXPECT_EQ(again.body["added"], 0) << compressed;
  }
  EXPECT_EQ(get(port, "/v1/health").body["articles"].get<std::size_t>(), before + stored);

  // An HTML page, cleaned as `gazette index` cleans files; one without a canonical URL
  // needs an id.
  const std::string page = slurp(std::string(GAZETTE_SOURCE_DIR) + "/tests/fixtures/html/opengraph_only.html");
  const Reply html = send(port, "/v1/articles?outlet=Alpine+Dispatch", token, page, "text/html; charset=utf-8");
  ASSERT_EQ(html.status, 200) << html.text;
  EXPECT_EQ(html.body["added"], 1);
  const Reply found = get(port, "/v1/search?q=village+school&limit=1");
  ASSERT_EQ(found.body["total"], 1) << found.text;
  EXPECT_EQ(found.body["hits"][0]["url"], "https://alpinedispatch.example/news/village-school-vote");
  const Reply text = send(port, "/v1/articles", token, "A headline\n\nSome words about kestrels nesting.\n", "text/plain");
  EXPECT_EQ(text.status, 400) << text.text;
  EXPECT_EQ(text.body["error"]["code"], "bad_parameter");
  const Reply named = send(port, "/v1/articles?id=kestrels-1&date=2024-05-01", token,
                           "A headline\n\nSome words about kestrels nesting.\n", "text/plain");
  ASSERT_EQ(named.status, 200) << named.text;
  EXPECT_EQ(get(port, "/v1/articles/kestrels-1").body["date"], "2024-05-01T00:00:00Z");

  // Deletions.
  EXPECT_EQ(send(port, "/v1/articles/" + last_id, "").status, 401);
  const Reply deleted = send(port, "/v1/articles/" + last_id, token);
  EXPECT_EQ(deleted.status, 200) << deleted.text;
  EXPECT_EQ(get(port, "/v1/articles/" + last_id).status, 404);
  EXPECT_EQ(send(port, "/v1/articles/" + last_id, token).status, 404);
  EXPECT_EQ(get(port, "/v1/health").body["articles"].get<std::size_t>(), before + stored + 1);

  // Limits and types.
  EXPECT_EQ(send(port, "/v1/articles", token, std::string(2 << 20, ' '), "application/x-ndjson").status, 413);
  EXPECT_EQ(send(port, "/v1/articles", token, body, "application/pdf").status, 415);
  const Reply garbage = send(port, "/v1/articles", token, "not json\nnor this\n", "application/x-ndjson");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.body["skipped"], 2);

  // Another process writing: 423, not a hang; the write goes through once it is done.
  // `gazette index -` holds the lock while its stdin (a pipe) stays open.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  ::signal(SIGPIPE, SIG_IGN);  // A writer that exits early makes write() fail, not kill the test.
  const pid_t holder = spawn({GAZETTE_BINARY, "index", "-q", "-i", index, "-"}, dir / "holder.log", pipe_fds[0],
                             pipe_fds[1]);
  ASSERT_GT(holder, 0);
  const std::string line = records.front().dump() + "\n";
  // Enough input to get past the reader's buffering (written from a thread: the pipe
  // holds 64 KB), then the pipe stays open.
  std::thread feeder([&, input = slurp(dir / "batch.jsonl")] {
    for (std::size_t at = 0; at < input.size();) {
      const ssize_t wrote = ::write(pipe_fds[1], input.data() + at, input.size() - at);
      if (wrote <= 0) break;
      at += static_cast<std::size_t>(wrote);
    }
  });
  // It opens its writer before reading: once it has taken in more than the pipe holds,
  // it holds the lock.
  feeder.join();
  const Reply locked = send(port, "/v1/articles", token, line, "application/x-ndjson");
  EXPECT_EQ(locked.status, 423) << locked.text;
  EXPECT_EQ(locked.body["error"]["code"], "locked");
  ::close(pipe_fds[1]);  // The other writer reaches the end of its input and lets go.
  int holder_status = 0;
  ::waitpid(holder, &holder_status, 0);
  EXPECT_TRUE(WIFEXITED(holder_status) && WEXITSTATUS(holder_status) == 0) << slurp(dir / "holder.log");
  Reply retried;
  for (int attempt = 0; attempt < 100; ++attempt) {
    retried = send(port, "/v1/articles", token, records.front().dump() + "\n", "application/x-ndjson");
    if (retried.status != 423) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(retried.status, 200) << retried.text;
}

TEST(ServerStart, RefusesAMissingIndexAndABusyPort) {
  TempDir dir;
  const CommandResult missing = run_gazette("serve -i " + quote(dir / "none") + " --listen 127.0.0.1:0");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no index at"), std::string::npos) << missing.err;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus")).status, 0);
  ServeProcess first(index, dir / "first.log");
  ASSERT_GT(first.port(), 0);
  const CommandResult busy =
      run_gazette("serve -i " + quote(index) + " --listen 127.0.0.1:" + std::to_string(first.port()));
  EXPECT_EQ(busy.status, 1);
  EXPECT_NE(busy.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << busy.err;
}

}  // namespace
