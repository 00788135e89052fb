// End-to-end tests: run the real gazette binary on corpus/ and on the shared corpora
// (full Reuters-21578, the UCI news sample) and check results against counts made
// independently from the input files.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <fstream>
#include <sstream>
#include <ctime>
#include <thread>

#include <nlohmann/json.hpp>

#include "gazette/article.h"
#include "tests/support/commands.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using gazette::testing::TempDir;
using namespace gazette::testing;  // NOLINT: the command helpers (tests/support/commands.h)

json search_json(const std::string& index, const std::string& arguments) {
  const CommandResult run = run_gazette("search --json -i " + quote(index) + " " + arguments);
  EXPECT_EQ(run.status, 0) << run.err;
  return json::parse(run.out);
}

// Lower case with white-space runs folded: how the tests compare titles and texts
// independently of Gazette's own normalisation.
std::string fold(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

TEST(Corpus, IndexesAndSearchesTheShippedSample) {
  TempDir dir;
  const std::string index = dir / "index";
  const CommandResult indexed = run_gazette("index -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus"));
  ASSERT_EQ(indexed.status, 0) << indexed.err;
  EXPECT_NE(indexed.out.find("skipped 0"), std::string::npos) << indexed.out;
  EXPECT_TRUE(indexed.err.empty()) << "progress must stay quiet when piped: " << indexed.err;

  std::size_t records = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(GAZETTE_SOURCE_DIR) + "/corpus")) {
    if (entry.path().extension() == ".jsonl") records += read_jsonl(entry.path().string()).size();
    if (entry.path().extension() == ".txt") records += 1;
  }
  const json all = search_json(index, "--limit 0 ''");
  EXPECT_EQ(all["total"].get<std::size_t>(), records);

  const json damascus = search_json(index, "damascus");
  EXPECT_EQ(damascus["total"], 2);  // Both seed articles.
  const json text = json::parse(run_gazette("stats --json -i " + quote(index)).out);
  EXPECT_EQ(text["articles"].get<std::size_t>(), records);

  const CommandResult compacted = run_gazette("compact -i " + quote(index));
  EXPECT_EQ(compacted.status, 0) << compacted.err;
  EXPECT_NE(compacted.out.find("compacted"), std::string::npos);
  EXPECT_EQ(json::parse(run_gazette("stats --json -i " + quote(index)).out)["articles"].get<std::size_t>(), records);

  const CommandResult human = run_gazette("search -i " + quote(index) + " damascus");
  EXPECT_EQ(human.status, 0);
  EXPECT_NE(human.out.find("2 matches for damascus"), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("\033["), std::string::npos) << "no terminal escapes when piped";

  // More like this: the other Syria seed is the closest article to the first.
  const json encircling = search_json(index, "title:encircling");
  ASSERT_EQ(encircling["total"], 1);
  const json jihadists = search_json(index, "title:jihadists");
  ASSERT_EQ(jihadists["total"], 1);
  const json like = json::parse(run_gazette("similar --json -i " + quote(index) + " " +
                                        quote(encircling["hits"][0]["id"].get<std::string>())).out);
  ASSERT_FALSE(like["hits"].empty());
  EXPECT_EQ(like["hits"][0]["id"], jihadists["hits"][0]["id"]);
  EXPECT_EQ(run_gazette("similar -i " + quote(index) + " no-such-id").status, 1);

  // Did you mean: a misspelt word is respelt from the index's vocabulary.
  const CommandResult misspelt = run_gazette("search -i " + quote(index) + " damascuss");
  EXPECT_NE(misspelt.out.find("Did you mean: damascus? (2 matches)"), std::string::npos) << misspelt.out;
  EXPECT_EQ(search_json(index, "damascuss")["suggestion"]["query"], "damascus");
  EXPECT_FALSE(search_json(index, "--no-suggest damascuss").contains("suggestion"));
}

// The whole Reuters-21578 collection, indexed once for the suite.
class Reuters : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    input_ = unpack(*dir_, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
    records_ = read_jsonl(input_);
    index_ = *dir_ / "index";
    // --keep-duplicates: the counts below are checked against every record of the file,
    // and Reuters-21578 holds about a thousand exact repeats (checked in its own test).
    first_run_ = run_gazette("index --keep-duplicates -i " + quote(index_) + " " + quote(input_));
  }
  static void TearDownTestSuite() { delete dir_; }

  static inline TempDir* dir_ = nullptr;
  static inline std::string input_, index_;
  static inline std::vector<json> records_;
  static inline CommandResult first_run_;
};

TEST_F(Reuters, IndexesEveryArticleWithASummary) {
  ASSERT_EQ(records_.size(), 21578u);
  EXPECT_EQ(first_run_.status, 0) << first_run_.err;
  EXPECT_NE(first_run_.out.find("indexed 21578 articles (21578 new, 0 replaced), skipped 0"), std::string::npos)
      << first_run_.out;
  const json stats = json::parse(run_gazette("stats --json -i " + quote(index_)).out);
  EXPECT_EQ(stats["articles"], 21578);
  std::size_t undated = 0;
  for (const json& record : records_) undated += record["date"].is_null();
  EXPECT_EQ(stats["undated"].get<std::size_t>(), undated);
}

TEST_F(Reuters, ExactDuplicatesAreStoredOnceAndNearDuplicatesGrouped) {
  TempDir dir;
  const CommandResult run = run_gazette("index -i " + quote(dir / "index") + " " + quote(input_));
  ASSERT_EQ(run.status, 0) << run.err;
  // Independently: records whose title and body, lower-cased with white space folded,
  // repeat an earlier record's. Gazette's normalisation (punctuation, accents) finds at
  // least these.
  std::set<std::string> seen;
  std::size_t repeats = 0;
  for (const json& record : records_) {
    const std::string key = fold(record.value("title", "")) + "|" + fold(record["body"].is_string() ? record["body"].get<std::string>() : "");
    repeats += !seen.insert(key).second;
  }
  const json all = search_json(dir / "index", "--limit 0 ''");
  const std::size_t stored = all["total"].get<std::size_t>();
  EXPECT_LE(stored, records_.size() - repeats);
  EXPECT_GE(stored, records_.size() - repeats - repeats / 20) << "within 5% of the independent count";
  EXPECT_NE(run.out.find(std::to_string(records_.size() - stored) + " exact duplicates not stored"), std::string::npos) << run.out;
  // Collapsed, no two hits share a story, and some hits stand for several copies.
  const json collapsed = search_json(dir / "index", "--limit 100 --collapse story 'oil prices'");
  std::set<std::string> stories;
  std::size_t folded = 0;
  for (const json& hit : collapsed["hits"]) {
    EXPECT_TRUE(stories.insert(hit["story_id"].get<std::string>()).second) << hit["id"];
    folded += hit["other_copies"].get<std::size_t>();
  }
  EXPECT_GT(folded, 0u);
}

// Known-item search: an article's exact title, typed as the query, finds it first.
// bench/known_item.py measures the same over 500 titles (docs/ranking.md).
TEST_F(Reuters, KnownItemTitlesFindTheirArticleFirst) {
  std::map<std::string, std::size_t> title_counts;
  for (const json& record : records_) ++title_counts[fold(record.value("title", ""))];
  std::vector<const json*> unique;
  for (const json& record : records_) {
    const std::string title = record.value("title", "");
    if (!title.empty() && title_counts[fold(title)] == 1) unique.push_back(&record);
  }
  std::mt19937 random(20261125);
  std::shuffle(unique.begin(), unique.end(), random);
  double reciprocal_sum = 0;
  std::size_t asked = 0;
  for (const json* record : unique) {
    if (asked == 100) break;
    ++asked;
    const CommandResult run = run_gazette("search --json --limit 10 --facet-size 0 --date-facet none -i " + quote(index_) +
                                      " " + quote((*record)["title"].get<std::string>()));
    if (run.status != 0) continue;
    const json hits = json::parse(run.out)["hits"];
    for (std::size_t rank = 0; rank < hits.size(); ++rank) {
      if (hits[rank]["id"] == (*record)["id"]) {
        reciprocal_sum += 1.0 / static_cast<double>(rank + 1);
        break;
      }
    }
  }
  EXPECT_GE(reciprocal_sum / static_cast<double>(asked), 0.95) << "MRR over " << asked << " titles";
}

TEST_F(Reuters, DateRangeCountMatchesTheInputFile) {
  std::size_t march = 0, first_half_of_april = 0;
  for (const json& record : records_) {
    if (!record["date"].is_string()) continue;
    const std::string date = record["date"];
    march += date.starts_with("1987-03");
    first_half_of_april += date >= "1987-04-01" && date < "1987-04-16";
  }
  ASSERT_GT(march, 0u);
  EXPECT_EQ(search_json(index_, "--limit 0 date:1987-03-01..1987-03-31")["total"].get<std::size_t>(), march);
  EXPECT_EQ(search_json(index_, "--limit 0 --from 1987-04-01 --to 1987-04-15")["total"].get<std::size_t>(),
            first_half_of_april);
  const json facets = search_json(index_, "--limit 0 --date-facet month ''")["facets"]["date"];
  for (const json& bucket : facets) {
    if (bucket["bucket"] == "1987-03") {
      EXPECT_EQ(bucket["count"].get<std::size_t>(), march);
    }
  }
}

TEST_F(Reuters, TagFilterCountMatchesTheInputFile) {
  std::size_t crude = 0, crude_or_gold = 0;
  for (const json& record : records_) {
    const auto& tags = record["tags"];
    const bool has_crude = std::find(tags.begin(), tags.end(), "crude") != tags.end();
    const bool has_gold = std::find(tags.begin(), tags.end(), "gold") != tags.end();
    crude += has_crude;
    crude_or_gold += has_crude || has_gold;
  }
  EXPECT_EQ(search_json(index_, "--limit 0 --tag crude ''")["total"].get<std::size_t>(), crude);
  EXPECT_EQ(search_json(index_, "--limit 0 --tag crude --tag gold ''")["total"].get<std::size_t>(), crude_or_gold);
}

// --- Coverage analytics, checked against counts made here from the input file.

// Words of a record's title and body, split on anything but a-z and 0-9: for words such
// as "opec" and "cocoa" this finds exactly the articles Gazette's analysis does.
// The records of RFC 4180 CSV text: quoted fields may hold commas, quotes and line breaks.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// Whether `xml` is well formed as far as elements go: every start tag closed in order,
// attribute values quoted, nothing outside the root. Returns the element names seen.
std::optional<std::multiset<std::string>> xml_elements(const std::string& xml) {
  std::vector<std::string> open;
  std::multiset<std::string> seen;
  std::size_t i = xml.find('<');
  bool root_closed = false;
  while (i != std::string::npos) {
    const std::size_t end = xml.find('>', i);
    if (end == std::string::npos || root_closed) return std::nullopt;
    const std::string tag = xml.substr(i + 1, end - i - 1);
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return std::nullopt;
    if (tag.starts_with("/")) {
      if (open.empty() || open.back() != tag.substr(1)) return std::nullopt;
      open.pop_back();
      root_closed = open.empty();
    } else {
      const std::string name = tag.substr(0, tag.find_first_of(" /"));
      seen.insert(name);
      if (!tag.ends_with("/")) open.push_back(name);
    }
    i = xml.find('<', end);
  }
  if (!open.empty()) return std::nullopt;
  return seen;
}

bool has_word(const json& record, const std::string& word) {
  std::string text = record.value("title", "") + " " + record.value("body", "");
  for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : ' ');
  return (" " + text + " ").find(" " + word + " ") != std::string::npos;
}

// The bucket label of a record's date ("1987-02-26T15:01:01", UTC) written out here
// independently of the library: ISO weeks from the day count since 1970-01-01.
std::string bucket_of(const std::string& date, const std::string& by) {
  if (by == "day") return date.substr(0, 10);
  if (by == "month") return date.substr(0, 7);
  if (by == "year") return date.substr(0, 4);
  const int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  const auto days_from_civil = [](int year, int month, int day) {  // Days since 1970-01-01.
    const std::tm tm{0, 0, 12, day, month - 1, year - 1900, 0, 0, 0, 0, nullptr};
    std::tm copy = tm;
    return static_cast<long>(timegm(&copy) / 86400);
  };
  const long day = days_from_civil(y, m, d);
  const long weekday = ((day + 3) % 7 + 7) % 7;  // 0 = Monday; 1970-01-01 was a Thursday.
  const long thursday = day - weekday + 3;
  // The ISO year is the Thursday's calendar year; week 1 holds that year's 4 January.
  const std::time_t thursday_seconds = static_cast<std::time_t>(thursday) * 86400;
  std::tm thursday_tm{};
  gmtime_r(&thursday_seconds, &thursday_tm);
  const int iso_year = thursday_tm.tm_year + 1900;
  const long week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
  char label[48];
  std::snprintf(label, sizeof label, "%04d-W%02ld", iso_year, week);
  return label;
}

TEST_F(Reuters, TimelineCountsMatchTheInputFile) {
  for (const std::string by : {"day", "week", "month", "year"}) {
    std::map<std::string, std::size_t> matches, crude;
    std::size_t undated_matches = 0, undated_crude = 0, total_matches = 0, total_crude = 0;
    for (const json& record : records_) {
      const auto& tags = record["tags"];
      if (std::find(tags.begin(), tags.end(), "crude") == tags.end()) continue;
      const bool match = has_word(record, "opec");
      ++total_crude;
      total_matches += match;
      if (!record["date"].is_string()) {
        ++undated_crude;
        undated_matches += match;
        continue;
      }
      const std::string bucket = bucket_of(record["date"], by);
      ++crude[bucket];
      if (match) ++matches[bucket];
    }
    const CommandResult run = run_gazette("timeline --json -i " + quote(index_) + " --tag crude --by " + by + " opec");
    ASSERT_EQ(run.status, 0) << run.err;
    const json timeline = json::parse(run.out);
    EXPECT_EQ(timeline["matches"], total_matches) << by;
    EXPECT_EQ(timeline["in_scope"], total_crude) << by;
    EXPECT_EQ(timeline["undated"]["matches"], undated_matches) << by;
    EXPECT_EQ(timeline["undated"]["in_scope"], undated_crude) << by;
    const json& points = timeline["series"][0]["points"];
    ASSERT_FALSE(points.empty());
    const std::size_t buckets_with_articles = crude.size();
    EXPECT_EQ(points.front()["bucket"], crude.begin()->first) << by;
    EXPECT_EQ(points.back()["bucket"], crude.rbegin()->first) << by;
    std::size_t empty = 0;
    for (const json& point : points) {
      const std::string bucket = point["bucket"];
      EXPECT_EQ(point["matches"], matches[bucket]) << by << " " << bucket;
      EXPECT_EQ(point["in_scope"], crude[bucket]) << by << " " << bucket;
      empty += point["in_scope"] == 0;
      // No article in scope: a gap, whose ratio is no number (not 0).
      EXPECT_EQ(point["ratio"].is_null(), point["in_scope"] == 0) << by << " " << bucket;
    }
    // Every bucket between the first and the last is there, with zeros where empty.
    EXPECT_EQ(points.size() - empty, buckets_with_articles) << by;
    if (by == "day") {
      EXPECT_GT(empty, 0u);
    }
  }
}

TEST_F(Reuters, TimelineOfEveryArticleAndItsCsvAndChart) {
  std::map<std::string, std::size_t> per_week, cocoa_per_week;
  std::size_t undated = 0;
  for (const json& record : records_) {
    if (!record["date"].is_string()) {
      ++undated;
      continue;
    }
    const std::string week = bucket_of(record["date"], "week");
    ++per_week[week];
    if (has_word(record, "cocoa")) ++cocoa_per_week[week];
  }
  const CommandResult csv = run_gazette("timeline --csv --by week -i " + quote(index_) + " cocoa --svg " + quote(dir_->path() / "cocoa.svg"));
  ASSERT_EQ(csv.status, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "series,bucket,start,matches,in_scope,ratio\r");
  std::size_t rows = 0, gaps = 0;
  while (std::getline(lines, line)) {
    ++rows;
    std::vector<std::string> cells;
    std::istringstream fields(line.substr(0, line.size() - 1));
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (line.size() >= 2 && line[line.size() - 2] == ',') cells.emplace_back();  // An empty last cell.
    ASSERT_EQ(cells.size(), 6u) << line;
    EXPECT_EQ(cells[0], "all");
    EXPECT_EQ(cells[5].empty(), per_week[cells[1]] == 0) << "a gap has no ratio: " << line;
    gaps += per_week[cells[1]] == 0;
    EXPECT_EQ(std::stoul(cells[3]), cocoa_per_week[cells[1]]) << cells[1];
    EXPECT_EQ(std::stoul(cells[4]), per_week[cells[1]]) << cells[1];
  }
  EXPECT_GE(rows, per_week.size());
  const json all = json::parse(run_gazette("timeline --json --by month -i " + quote(index_)).out);
  EXPECT_EQ(all["matches"], records_.size());
  EXPECT_EQ(all["undated"]["matches"], undated);
  // The chart: one line for the one series, a point per week, the query in the title.
  std::ifstream svg_file(dir_->path() / "cocoa.svg");
  const std::string svg((std::istreambuf_iterator<char>(svg_file)), std::istreambuf_iterator<char>());
  ASSERT_GT(gaps, 0u) << "Reuters has weeks with no articles";
  EXPECT_NE(svg.find("class=\"gap\""), std::string::npos) << "gaps are drawn as gaps";
  // As text, a run of empty weeks is one line that says so.
  const CommandResult text = run_gazette("timeline --by week -i " + quote(index_) + " cocoa");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("with no articles in scope (a gap, not zero)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1987-W24                      no data"), std::string::npos) << text.out;
  ASSERT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << svg.substr(0, 80);
  const auto elements = xml_elements(svg);
  ASSERT_TRUE(elements.has_value()) << "not well-formed";
  EXPECT_GT(elements->count("polyline"), 1u) << "the line breaks at each gap";
  EXPECT_EQ(elements->count("circle"), rows - gaps);  // A dot per week with articles.
  EXPECT_GE(elements->count("text"), 5u);             // Title, axis labels, ticks, legend.
  EXPECT_NE(svg.find("cocoa — by week"), std::string::npos);
  std::size_t plotted = 0;
  for (auto at = svg.find("<polyline class=\"series\" data-name=\"all\""); at != std::string::npos;
       at = svg.find("<polyline class=\"series\" data-name=\"all\"", at + 1)) {
    const auto points_at = svg.find("points=\"", at) + 8;
    const std::string points = svg.substr(points_at, svg.find('"', points_at) - points_at);
    plotted += static_cast<std::size_t>(std::count(points.begin(), points.end(), ','));
  }
  EXPECT_EQ(plotted, rows - gaps);
}

TEST_F(Reuters, ExportStreamsEveryMatchInEachOrder) {
  std::set<std::string> expected;
  for (const json& record : records_) {
    if (has_word(record, "opec")) expected.insert(record["id"].get<std::string>());
  }
  for (const std::string order : {"relevance", "date", "date-asc", "index"}) {
    const CommandResult run = run_gazette("export --order " + order + " -i " + quote(index_) + " opec");
    ASSERT_EQ(run.status, 0) << run.err;
    std::istringstream lines(run.out);
    std::set<std::string> ids;
    std::size_t rows = 0;
    std::string previous_date;
    double previous_score = 1e300;
    for (std::string line; std::getline(lines, line);) {
      const json row = json::parse(line);
      ++rows;
      ids.insert(row["id"].get<std::string>());
      if (order == "relevance") {
        EXPECT_LE(row["score"].get<double>(), previous_score);
        previous_score = row["score"];
      }
      if ((order == "date" || order == "date-asc") && row["date"].is_string()) {
        if (!previous_date.empty()) {
          EXPECT_TRUE(order == "date" ? row["date"] <= previous_date : row["date"] >= previous_date) << line;
        }
        previous_date = row["date"];
      }
    }
    EXPECT_EQ(rows, expected.size()) << order;
    EXPECT_EQ(ids, expected) << order;
  }
  // Without a query, every article, newest first and undated last, as CSV.
  const CommandResult all = run_gazette("export --format csv --fields id,date,title -i " + quote(index_));
  ASSERT_EQ(all.status, 0) << all.err;
  const auto rows = csv_rows(all.out);
  ASSERT_EQ(rows.size(), records_.size() + 1);
  EXPECT_EQ(rows.front(), (std::vector<std::string>{"id", "date", "title"}));
  std::map<std::string, std::string> title_of;
  for (const json& record : records_) title_of[record["id"]] = record.value("title", "");
  std::size_t undated_seen = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 3u);
    EXPECT_EQ(rows[i][2], title_of[rows[i][0]]) << rows[i][0];  // Quoting keeps commas, quotes, line breaks.
    if (rows[i][1].empty()) {
      ++undated_seen;
    } else {
      EXPECT_EQ(undated_seen, 0u) << "undated articles come last";
    }
  }
  EXPECT_GT(undated_seen, 0u);
}

TEST_F(Reuters, PhraseQueryFindsThePhraseAndHighlightsIt) {
  const json result = search_json(index_, "'\"crude oil\"' --limit 5");
  ASSERT_GT(result["total"].get<int>(), 50);
  std::size_t phrase_count = 0;
  for (const json& record : records_) {
    std::string text = record["title"].get<std::string>() + " " +
                       (record["body"].is_string() ? record["body"].get<std::string>() : "");
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : text) if (c == '\n') c = ' ';
    // "crude oil" as whole words; the index also finds other forms ("crude oils").
    for (std::size_t at = text.find("crude oil"); at != std::string::npos; at = text.find("crude oil", at + 1)) {
      const bool starts_word = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
      const std::size_t end = at + 9;
      const bool ends_word = end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
      if (starts_word && ends_word) {
        ++phrase_count;
        break;
      }
    }
  }
  // The index may find more (other word forms, punctuation between the words) but not fewer.
  EXPECT_GE(result["total"].get<std::size_t>(), phrase_count);
  for (const json& hit : result["hits"]) {
    EXPECT_NE(hit["snippet"].get<std::string>().find("<mark>"), std::string::npos) << hit["id"];
  }
}

TEST_F(Reuters, FilteredFacetedQueryInTextAndJson) {
  const json result = search_json(index_, "--tag crude --from 1987-03 --to 1987-04 --date-facet day 'oil prices'");
  EXPECT_GT(result["total"].get<int>(), 0);
  std::size_t dated = 0;
  for (const json& bucket : result["facets"]["date"]) dated += bucket["count"].get<std::size_t>();
  EXPECT_GE(dated, result["total"].get<std::size_t>());  // Date facet ignores the date filter.
  for (const json& hit : result["hits"]) {
    const std::string date = hit["date"];
    EXPECT_TRUE(date >= "1987-03" && date < "1987-05") << date;
  }
  const CommandResult text = run_gazette("search -i " + quote(index_) + " --tag crude 'oil prices'");
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("Outlets"), std::string::npos);
  EXPECT_NE(text.out.find("Dates"), std::string::npos);
}

TEST_F(Reuters, ReindexingReplacesAndDeleteRemoves) {
  const CommandResult again = run_gazette("index --keep-duplicates -i " + quote(index_) + " " + quote(input_));
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("(0 new, 21578 replaced)"), std::string::npos) << again.out;
  EXPECT_EQ(search_json(index_, "--limit 0 ''")["total"], 21578);

  const CommandResult deleted = run_gazette("delete -i " + quote(index_) + " reuters21578-1 reuters21578-2");
  EXPECT_EQ(deleted.status, 0) << deleted.err;
  EXPECT_EQ(search_json(index_, "--limit 0 ''")["total"], 21576);
  EXPECT_EQ(search_json(index_, "id:reuters21578-1")["total"], 0);
  const CommandResult missing = run_gazette("delete -i " + quote(index_) + " reuters21578-1");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no article with id 'reuters21578-1'"), std::string::npos);
  // Put them back for the other tests.
  const CommandResult restored = shell("grep -E '\"id\": \"reuters21578-(1|2)\"' " + quote(input_) + " | " +
                                       quote(GAZETTE_BINARY) + " index -i " + quote(index_) + " -");
  EXPECT_NE(restored.out.find("(2 new, 0 replaced)"), std::string::npos) << restored.out << restored.err;
  EXPECT_EQ(search_json(index_, "--limit 0 ''")["total"], 21578);
}

TEST(UciNews, OutletFacetCountsSumToTheTotal) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst", "uci.jsonl");
  const CommandResult indexed = run_gazette("index --keep-duplicates -i " + quote(dir / "index") + " " + quote(input));
  EXPECT_EQ(indexed.status, 0) << indexed.err;
  // One row has no date, outlet or category ("tags": [null]): indexed, undated, no outlet.
  std::map<std::string, std::size_t> expected;
  std::size_t records = 0, with_outlet = 0, undated = 0;
  for (const json& record : read_jsonl(input)) {
    ++records;
    undated += record["date"].is_null();
    if (!record["outlet"].is_string() || record["outlet"].get<std::string>().empty()) continue;
    ++expected[record["outlet"].get<std::string>()];
    ++with_outlet;
  }
  const json result = search_json(dir / "index", "--limit 0 --facet-size 100000 ''");
  EXPECT_EQ(result["total"].get<std::size_t>(), records);
  EXPECT_EQ(result["facets"]["undated"].get<std::size_t>(), undated);
  std::size_t sum = 0;
  for (const json& value : result["facets"]["outlet"]) {
    sum += value["count"].get<std::size_t>();
    EXPECT_EQ(value["count"].get<std::size_t>(), expected[value["value"]]) << value["value"];
  }
  EXPECT_EQ(sum, with_outlet);
  EXPECT_EQ(result["facets"]["outlet"].size(), expected.size());

  // Duplicate detection on, one writing lane or two: the same articles are stored
  // (the dispatcher sees every lane's batch), so the same facets and totals come out.
  const CommandResult one_lane = run_gazette("index -q --writers 1 -i " + quote(dir / "one") + " " + quote(input));
  EXPECT_EQ(one_lane.status, 0) << one_lane.err;
  const CommandResult two_lanes = run_gazette("index -q --writers 2 -i " + quote(dir / "two") + " " + quote(input));
  EXPECT_EQ(two_lanes.status, 0) << two_lanes.err;
  const json one_result = search_json(dir / "one", "--limit 0 --facet-size 100000 ''");
  const json two_result = search_json(dir / "two", "--limit 0 --facet-size 100000 ''");
  EXPECT_LT(one_result["total"].get<std::size_t>(), records);  // The sample repeats some headlines.
  EXPECT_EQ(two_result["total"], one_result["total"]);
  EXPECT_EQ(two_result["facets"], one_result["facets"]);
  EXPECT_EQ(search_json(dir / "two", "--limit 3 'fed OR ecb'")["total"],
            search_json(dir / "one", "--limit 3 'fed OR ecb'")["total"]);

  // Selecting one outlet keeps the other outlets' counts (disjunctive facet).
  const std::string top = result["facets"]["outlet"][0]["value"];
  const json filtered = search_json(dir / "index", "--limit 0 --facet-size 5 --outlet " + quote(top) + " ''");
  EXPECT_EQ(filtered["total"].get<std::size_t>(), expected[top]);
  EXPECT_EQ(filtered["facets"]["outlet"].size(), 5u);
}

TEST(UciNews, OutletsAndCollectionsMatchTheInputFile) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst", "uci.jsonl");
  ASSERT_EQ(run_gazette("index -q --keep-duplicates -i " + quote(dir / "index") + " " + quote(input)).status, 0);
  // Articles per outlet, and those whose headline has the word "google", from the file.
  std::map<std::string, std::size_t> articles, matches;
  std::size_t total_matches = 0;
  for (const json& record : read_jsonl(input)) {
    if (!record["outlet"].is_string()) continue;
    const std::string outlet = record["outlet"];
    ++articles[outlet];
    if (has_word(record, "google")) ++matches[outlet], ++total_matches;
  }
  const json report = json::parse(run_gazette("outlets --json --limit 0 -i " + quote(dir / "index") + " google").out);
  EXPECT_EQ(report["matches"], total_matches);
  std::size_t outlets_with_matches = 0;
  for (const auto& [outlet, count] : matches) outlets_with_matches += count > 0;
  EXPECT_EQ(report["count"], outlets_with_matches);
  ASSERT_EQ(report["rows"].size(), outlets_with_matches);
  std::size_t previous = SIZE_MAX;
  for (const json& row : report["rows"]) {
    const std::string name = row["name"];
    EXPECT_EQ(row["matches"], matches[name]) << name;
    EXPECT_EQ(row["articles"], articles[name]) << name;
    EXPECT_NEAR(row["share_of_output"].get<double>(), static_cast<double>(matches[name]) / articles[name], 1e-12);
    EXPECT_LE(row["matches"].get<std::size_t>(), previous);
    previous = row["matches"];
  }
  // Collections: a file naming groups of outlets (any case), used to group and to filter.
  const std::string first = report["rows"][0]["name"], second = report["rows"][1]["name"];
  std::string lower_first = first;
  for (char& c : lower_first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::ofstream(dir / "collections.txt") << "# test groups\n[Top two]\n" << lower_first << "\n" << second
                                         << "\n\n[First only]\n" << first << "\n[Nobody]\nNo Such Outlet\n";
  const json grouped = json::parse(
      run_gazette("outlets --json --by collection --collections " + quote(dir / "collections.txt") + " -i " + quote(dir / "index") + " google").out);
  ASSERT_EQ(grouped["rows"].size(), 2u);  // "Nobody" has no match.
  EXPECT_EQ(grouped["rows"][0]["name"], "Top two");
  EXPECT_EQ(grouped["rows"][0]["matches"], matches[first] + matches[second]);
  EXPECT_EQ(grouped["rows"][0]["articles"], articles[first] + articles[second]);
  const json filtered = search_json(dir / "index", "--limit 0 --collection 'Top two' --collections " + quote(dir / "collections.txt") + " google");
  EXPECT_EQ(filtered["total"], matches[first] + matches[second]);
  const CommandResult unknown = run_gazette("outlets --collection Nope --collections " + quote(dir / "collections.txt") + " -i " + quote(dir / "index") + " google");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("no collection 'Nope'"), std::string::npos) << unknown.err;
  // Text output, piped: a readable table without terminal escapes.
  const CommandResult text = run_gazette("outlets --limit 3 -i " + quote(dir / "index") + " google");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out.find('\033'), std::string::npos);
  EXPECT_TRUE(text.out.starts_with("\"google\": " + std::to_string(total_matches) + " matches from " +
                                   std::to_string(outlets_with_matches) + " outlets\n"))
      << text.out;
  EXPECT_NE(text.out.find("   1  " + first), std::string::npos) << text.out;
  EXPECT_EQ(std::count(text.out.begin(), text.out.end(), '\n'), 6);  // Header, blank, column names, 3 rows.
  // Daily timeline as text: each day's line carries the counts made from the file.
  std::map<std::string, std::size_t> day_matches, day_articles;
  for (const json& record : read_jsonl(input)) {
    if (!record["date"].is_string()) continue;
    const std::string day = record["date"].get<std::string>().substr(0, 10);
    ++day_articles[day];
    if (has_word(record, "google")) ++day_matches[day];
  }
  const CommandResult days = run_gazette("timeline --by day -i " + quote(dir / "index") + " google");
  ASSERT_EQ(days.status, 0) << days.err;
  for (const auto& [day, count] : day_articles) {
    char expected_line[64];
    std::snprintf(expected_line, sizeof expected_line, "%-10s %8zu %9zu", day.c_str(), day_matches[day], count);
    EXPECT_NE(days.out.find(expected_line), std::string::npos) << expected_line << "\n" << days.out;
  }
  // Export as CSV: one row per match, with its outlet.
  const auto rows = csv_rows(run_gazette("export --format csv --fields id,outlet,title -i " + quote(dir / "index") + " google").out);
  ASSERT_EQ(rows.size(), total_matches + 1);
  std::map<std::string, std::size_t> exported;
  for (std::size_t i = 1; i < rows.size(); ++i) ++exported[rows[i][1]];
  for (const auto& [outlet, count] : exported) EXPECT_EQ(count, matches[outlet]) << outlet;
  // Per-outlet timeline: the top outlets, then "other", adding up to "all".
  const json split = json::parse(run_gazette("timeline --json --by month --per-outlet 3 -i " + quote(dir / "index") + " google").out);
  ASSERT_EQ(split["series"].size(), 5u);
  EXPECT_EQ(split["series"][1]["name"], first);
  EXPECT_EQ(split["series"][1]["matches"], matches[first]);
  EXPECT_EQ(split["series"][4]["name"], "other");
  for (std::size_t i = 0; i < split["series"][0]["points"].size(); ++i) {
    std::size_t sum = 0;
    for (std::size_t s = 1; s < 5; ++s) sum += split["series"][s]["points"][i]["matches"].get<std::size_t>();
    EXPECT_EQ(sum, split["series"][0]["points"][i]["matches"].get<std::size_t>());
  }
}

// Headlines repeated by the same outlet are duplicates; the same headline from another
// outlet is a syndicated copy, kept and grouped into one story.
TEST(UciNews, RepeatedHeadlinesAreDuplicatesOnlyWithinAnOutlet) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst", "uci.jsonl");
  const CommandResult indexed = run_gazette("index -i " + quote(dir / "index") + " " + quote(input));
  ASSERT_EQ(indexed.status, 0) << indexed.err;
  // Independently: the same outlet with the same title (case and spacing folded) as
  // an earlier record. Gazette's normalisation folds punctuation too, so it may find a
  // few more.
  std::set<std::string> seen_in_outlet;
  std::set<std::string> titles;
  std::size_t records = 0, repeats = 0;
  for (const json& record : read_jsonl(input)) {
    ++records;
    std::string title;
    for (char c : record.value("title", std::string())) {
      if (std::isalnum(static_cast<unsigned char>(c))) title += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const std::string outlet = record["outlet"].is_string() ? record["outlet"].get<std::string>() : "";
    repeats += !seen_in_outlet.insert(outlet + "|" + title).second;
    titles.insert(title);
  }
  const std::size_t stored = search_json(dir / "index", "--limit 0 ''")["total"].get<std::size_t>();
  EXPECT_EQ(stored, records - repeats) << indexed.out;
  EXPECT_NE(indexed.out.find(std::to_string(repeats) + " exact duplicates not stored"), std::string::npos) << indexed.out;
  // A headline run by several outlets collapses to one hit that names the others.
  const std::size_t stories = titles.size();
  const json collapsed = search_json(dir / "index", "--limit 0 --collapse story ''");
  EXPECT_LE(collapsed["total"].get<std::size_t>(), stories + stories / 50);
  EXPECT_LT(collapsed["total"].get<std::size_t>(), stored);
}

// The evaluation command on Cranfield with the files as shipped.
TEST(Eval, CranfieldAsShipped) {
  TempDir dir;
  const std::string cranfield = shared("eval/cranfield");
  ASSERT_TRUE(std::filesystem::exists(cranfield + "/cran.all.1400")) << cranfield;
  const CommandResult indexed =
      run_gazette("index --format smart -i " + quote(dir / "index") + " " + quote(cranfield + "/cran.all.1400"));
  ASSERT_EQ(indexed.status, 0) << indexed.err;
  const std::string run_file = dir / "cran.run";
  const CommandResult run = run_gazette("eval --json --per-query -i " + quote(dir / "index") + " --topics " +
                                    quote(cranfield + "/cran.qry") + " --qrels " + quote(cranfield + "/cranqrel") +
                                    " --run " + quote(run_file));
  ASSERT_EQ(run.status, 0) << run.err;
  const json result = json::parse(run.out);
  EXPECT_EQ(result["topics"], 225);
  EXPECT_EQ(result["evaluated"], 225) << "topic ids mapped by position onto the judgments";
  EXPECT_EQ(result["per_topic"].size(), 225u);
  // BM25 on Cranfield lands near 0.4 nDCG@10 in the literature; far off means broken plumbing.
  EXPECT_GT(result["ndcg@10"].get<double>(), 0.3);
  EXPECT_LT(result["ndcg@10"].get<double>(), 0.6);
  EXPECT_GT(result["map"].get<double>(), 0.25);
  EXPECT_GT(result["recall@1000"].get<double>(), 0.9);
  // The run file: "topic Q0 doc rank score tag", ranks from 1, scores not increasing.
  std::ifstream lines(run_file);
  std::string topic, q0, doc, tag, previous_topic;
  std::size_t rank = 0, expected_rank = 0, rows = 0;
  double score = 0, previous_score = 0;
  std::set<std::string> topics;
  while (lines >> topic >> q0 >> doc >> rank >> score >> tag) {
    ++rows;
    if (topic != previous_topic) expected_rank = 0, previous_score = score;
    EXPECT_EQ(q0, "Q0");
    EXPECT_EQ(tag, "gazette");
    EXPECT_EQ(rank, ++expected_rank);
    EXPECT_LE(score, previous_score + 1e-9);
    previous_topic = topic;
    previous_score = score;
    topics.insert(topic);
  }
  EXPECT_EQ(topics.size(), 225u);
  EXPECT_GT(rows, 225u * 100);
  // Scoring the run file (as for another engine's run) gives the same figures.
  const CommandResult scored = run_gazette("eval --json --qrels " + quote(cranfield + "/cranqrel") + " --score-run " +
                                       quote(run_file));
  ASSERT_EQ(scored.status, 0) << scored.err;
  const json rescored = json::parse(scored.out);
  EXPECT_EQ(rescored["evaluated"], 225);
  for (const char* measure : {"ndcg@10", "map", "p@10", "recall@1000"}) {
    EXPECT_NEAR(rescored[measure].get<double>(), result[measure].get<double>(), 1e-6) << measure;
  }
}

json show_json(const std::string& index, const std::string& id);

TEST(BadInput, EachBadRecordIsNamedAndTheRestIsIndexed) {
  TempDir dir;
  const std::string file = dir.write("bad.jsonl",
                                     "{\"id\": \"ok-1\", \"title\": \"fine\"}\n"
                                     "{\"id\": \"broken\"\n"
                                     "{\"id\": \"ok-2\", \"title\": \"also fine\", \"date\": \"tomorrow\"}\n"
                                     "{\"id\": \"ok-3\", \"title\": \"fine again\"}\n");
  const std::string binary = dir.write("texts/image.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0", 12));
  const CommandResult run = run_gazette("index -i " + quote(dir / "index") + " " + quote(file) + " " + quote(dir / "texts"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find(file + ":2: malformed JSON"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("warning: " + file + ":3: field 'date' cannot be read as a date: \"tomorrow\""),
            std::string::npos) << run.err;
  EXPECT_NE(run.err.find(binary + ": binary file"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("indexed 3 articles (3 new, 0 replaced), skipped 2"), std::string::npos)
      << "a date that cannot be read costs the date, not the article: " << run.out;
  EXPECT_TRUE(show_json(dir / "index", "ok-2")["date"].is_null());

  const CommandResult strict = run_gazette("index --strict -i " + quote(dir / "strict") + " " + quote(file));
  EXPECT_EQ(strict.status, 1);
  EXPECT_NE(strict.out.find("indexed 1 articles"), std::string::npos) << strict.out;
  EXPECT_NE(strict.err.find("--strict"), std::string::npos);

  const CommandResult syntax = run_gazette("search -i " + quote(dir / "index") + " 'oil AND'");
  EXPECT_EQ(syntax.status, 2);
  EXPECT_NE(syntax.err.find("position 5"), std::string::npos) << syntax.err;
}

// Hostile records (issue 24): 2,000 good ones around an id, an outlet, a tag and a
// language over Xapian's 245-byte term limit, a line far over the size cap, and a
// title that a spreadsheet would run as a formula.
TEST(BadInput, HostileRecordsCostOnlyThemselves) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 1000; ++i) {
    lines += "{\"id\": \"good-" + std::to_string(i) + "\", \"title\": \"Cocoa report " + std::to_string(i) +
             "\", \"body\": \"Cocoa harvest figures, week " + std::to_string(i) + ".\"}\n";
  }
  const std::string long_outlet(300, 'o');
  lines += "{\"id\": \"" + std::string(300, 'i') + "\", \"title\": \"Long id\", \"body\": \"Text.\"}\n";
  lines += "{\"id\": \"long-values\", \"title\": \"=HYPERLINK(\\\"http://evil.example\\\")\", \"body\": \"Cocoa.\", "
           "\"outlet\": \"" + long_outlet + "\", \"tags\": [\"" + std::string(300, 't') + "\"], \"lang\": \"" +
           std::string(300, 'l') + "\"}\n";
  lines += "{\"id\": \"huge\", \"body\": \"" + std::string(3 << 20, 'w') + "\"}\n";
  for (int i = 1000; i < 2000; ++i) {
    lines += "{\"id\": \"good-" + std::to_string(i) + "\", \"title\": \"Cocoa report " + std::to_string(i) +
             "\", \"body\": \"Cocoa harvest figures, week " + std::to_string(i) + ".\"}\n";
  }
  const std::string file = dir.write("hostile.jsonl", lines);
  const CommandResult run = run_gazette("index --max-file-size 1M -i " + quote(dir / "index") + " " + quote(file));
  EXPECT_EQ(run.status, 1) << "some records were skipped";
  EXPECT_NE(run.err.find(file + ":1001: field 'id' is 300 bytes long, at most 244"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(file + ":1003: record of"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("indexed 2001 articles"), std::string::npos) << run.out;
  const json found = search_json(dir / "index", "--outlet " + long_outlet + " cocoa");
  ASSERT_EQ(found["total"], 1) << found.dump();
  EXPECT_EQ(found["hits"][0]["outlet"], long_outlet);
  const CommandResult csv = run_gazette("export -i " + quote(dir / "index") + " 'id:long-values' --format csv --fields id,title");
  EXPECT_EQ(csv.status, 0) << csv.err;
  EXPECT_NE(csv.out.find("long-values,\"'=HYPERLINK(\"\"http://evil.example\"\")\""), std::string::npos) << csv.out;
}

json show_json(const std::string& index, const std::string& id) {
  const CommandResult run = run_gazette("show --json -i " + quote(index) + " " + quote(id));
  EXPECT_EQ(run.status, 0) << run.err;
  return json::parse(run.out);
}

TEST(RecordDates, CommonFormsAreReadAnAmbiguousOneNamedByDateFormatAUrlDates) {
  TempDir dir;
  const std::string file = dir.write("dates.jsonl",
                                     "{\"id\": \"rfc\", \"title\": \"a\", \"date\": \"Sat, 07 Dec 2024 13:03:00 +0100\"}\n"
                                     "{\"id\": \"ms\", \"title\": \"b\", \"date\": 1733576580123}\n"
                                     "{\"id\": \"dmy\", \"title\": \"c\", \"date\": \"07/12/2024\"}\n"
                                     "{\"id\": \"url\", \"title\": \"d\", \"url\": \"https://x.example/2015/03/18/story\"}\n"
                                     "{\"id\": \"none\", \"title\": \"e\"}\n");
  const CommandResult run = run_gazette("index -i " + quote(dir / "index") + " " + quote(file));
  EXPECT_EQ(run.status, 0) << "warnings are not failures: " << run.err;
  EXPECT_NE(run.err.find("warning: " + file + ":3: field 'date' cannot be read as a date: \"07/12/2024\""),
            std::string::npos) << run.err;
  EXPECT_NE(run.out.find("indexed 5 articles"), std::string::npos) << run.out;
  EXPECT_EQ(show_json(dir / "index", "rfc")["date"], "2024-12-07T13:03:00+01:00");
  EXPECT_EQ(show_json(dir / "index", "rfc")["date_source"], "record");
  EXPECT_EQ(show_json(dir / "index", "ms")["date"], "2024-12-07T13:03:00Z");
  EXPECT_TRUE(show_json(dir / "index", "dmy")["date"].is_null());
  EXPECT_EQ(show_json(dir / "index", "url")["date"], "2015-03-18T00:00:00Z");
  EXPECT_EQ(show_json(dir / "index", "url")["date_source"], "url");
  EXPECT_TRUE(show_json(dir / "index", "none")["date"].is_null());

  const CommandResult formatted =
      run_gazette("index --date-format %d/%m/%Y -i " + quote(dir / "formatted") + " " + quote(file));
  EXPECT_EQ(formatted.status, 0) << formatted.err;
  EXPECT_EQ(formatted.err.find("warning"), std::string::npos) << formatted.err;
  EXPECT_EQ(show_json(dir / "formatted", "dmy")["date"], "2024-12-07T00:00:00Z");

  // Exports carry the source, so that a user can leave the weaker ones out.
  const CommandResult exported = run_gazette("export -i " + quote(dir / "index") + " '' --fields id,date,date_source");
  EXPECT_EQ(exported.status, 0) << exported.err;
  EXPECT_NE(exported.out.find("\"date_source\":\"url\""), std::string::npos) << exported.out;
}

// The ingestion issue's acceptance check: the shared seed articles indexed with no options.
TEST(Seeds, ScrapedTextIsCleanedAsDocumented) {
  TempDir dir;
  const std::string index = dir / "index";
  const std::string seeds = shared("corpora/seeds");
  ASSERT_TRUE(std::filesystem::exists(seeds)) << seeds;
  const CommandResult run = run_gazette("index -i " + quote(index) + " " + quote(seeds));
  ASSERT_EQ(run.status, 0) << run.err;
  const json all = search_json(index, "''");
  ASSERT_EQ(all["total"], 2);
  json seed000, seed004;
  for (const json& hit : all["hits"]) {
    const json article = show_json(index, hit["id"].get<std::string>());
    (article["source"].get<std::string>().starts_with("000") ? seed000 : seed004) = article;
  }
  EXPECT_EQ(seed004["outlet"], "ProtoThema English");
  EXPECT_EQ(seed004["title"], "Syria: Jihadists are just 20 km from Damascus \xE2\x80\x93 Assad\xE2\x80\x99s forces collapse");
  EXPECT_NE(seed004["provenance"]["outlet"].get<std::string>().find("appeared first on ProtoThema English"), std::string::npos);
  EXPECT_TRUE(seed004["date"].is_null()) << "no date in the text: undated, not the file's time";
  EXPECT_FALSE(seed004.contains("date_source"));
  EXPECT_FALSE(seed004["provenance"].contains("date"));
  // The text output says so.
  const CommandResult listed = run_gazette("search -i " + quote(index) + " jihadists");
  EXPECT_NE(listed.out.find("undated"), std::string::npos) << listed.out;
  // The undated filter selects or leaves it out.
  const json undated_only = search_json(index, "--undated only ''");
  ASSERT_EQ(undated_only["total"], 1);
  EXPECT_EQ(undated_only["hits"][0]["id"], seed004["id"]);
  EXPECT_EQ(search_json(index, "--undated exclude ''")["total"], 1);
  EXPECT_EQ(search_json(index, "--undated exclude ''")["facets"]["undated"], 1) << "the facet still counts it";
  const CommandResult contradiction = run_gazette("search -i " + quote(index) + " --undated only --from 2024 ''");
  EXPECT_EQ(contradiction.status, 2);
  EXPECT_NE(contradiction.err.find("--undated"), std::string::npos) << contradiction.err;

  EXPECT_EQ(seed000["title"], "Reports: Islamic Rebels Begin Encircling Syrian Capital Damascus as Assad Regime Forces Collapse");
  EXPECT_EQ(seed000["outlet"], "");
  EXPECT_EQ(seed000["date"], "2024-12-07T00:00:00Z");
  EXPECT_EQ(seed000["date_source"], "comments");
  EXPECT_NE(seed000["provenance"]["date"].get<std::string>().find("comments"), std::string::npos);
  const std::string body = seed000["body"];
  EXPECT_EQ(body.find("DONATE"), std::string::npos);
  EXPECT_EQ(body.find("in reply to"), std::string::npos);
  EXPECT_NE(seed000["comments"].get<std::string>().find("goner"), std::string::npos);

  EXPECT_EQ(search_json(index, "goner")["total"], 0) << "comment words do not match by default";
  EXPECT_EQ(search_json(index, "donate")["total"], 0) << "banner words do not match";
  const json with_comments = search_json(index, "--include-comments goner");
  ASSERT_EQ(with_comments["total"], 1);
  EXPECT_EQ(with_comments["hits"][0]["id"], seed000["id"]);
  EXPECT_EQ(search_json(index, "comments:goner")["total"], 1);
  EXPECT_EQ(search_json(index, "jihadists")["total"], 1);

  // With a --date, 004 takes it and says so; 000 keeps its inferred date.
  const CommandResult dated = run_gazette("index -i " + quote(dir / "dated") + " --date 2024-12-07 " + quote(seeds));
  ASSERT_EQ(dated.status, 0) << dated.err;
  EXPECT_EQ(show_json(dir / "dated", seed004["id"])["provenance"]["date"], "--date option");
  EXPECT_EQ(show_json(dir / "dated", seed004["id"])["date_source"], "option");

  // File time only on request, and marked.
  const CommandResult filed = run_gazette("index -i " + quote(dir / "filed") + " --date-from-file-time " + quote(seeds));
  ASSERT_EQ(filed.status, 0) << filed.err;
  const json seed004_filed = show_json(dir / "filed", seed004["id"]);
  EXPECT_EQ(seed004_filed["date_source"], "file-time");
  EXPECT_NE(seed004_filed["provenance"]["date"].get<std::string>().find("file modification time"), std::string::npos);
  EXPECT_EQ(show_json(dir / "filed", seed000["id"])["date_source"], "comments") << "the text's own date wins";
  const CommandResult filed_listed = run_gazette("search -i " + quote(dir / "filed") + " jihadists");
  EXPECT_NE(filed_listed.out.find("(file time)"), std::string::npos) << filed_listed.out;
}

TEST(Html, FixturePagesIndexWithTheirMetadataAndWithoutBoilerplate) {
  TempDir dir;
  const std::string index = dir / "index";
  const CommandResult run = run_gazette("index --exclude '*.json' -i " + quote(index) + " " +
                                    quote(std::string(GAZETTE_SOURCE_DIR) + "/tests/fixtures/html"));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("indexed 5 articles"), std::string::npos) << run.out;
  const json ferry = search_json(index, "ferry");
  ASSERT_EQ(ferry["total"], 1);
  EXPECT_EQ(ferry["hits"][0]["outlet"], "Coastline Courier");
  EXPECT_EQ(search_json(index, "'water taxi'")["total"], 0) << "only in a comment";
  EXPECT_EQ(search_json(index, "--include-comments 'water taxi'")["total"], 1);
  // Phrases in comments read the comments' positions.
  EXPECT_EQ(search_json(index, "--include-comments '\"paying for a water taxi\"'")["total"], 1);
  EXPECT_EQ(search_json(index, "'comments:\"water taxi\"'")["total"], 1);
  EXPECT_EQ(search_json(index, "--include-comments '\"taxi water\"'")["total"], 0);
  EXPECT_EQ(search_json(index, "'\"water taxi\"'")["total"], 0) << "only in a comment";
  EXPECT_EQ(search_json(index, "cookies")["total"], 0);
  EXPECT_EQ(search_json(index, "--lang fr ''")["total"], 1);
  EXPECT_EQ(search_json(index, "--lang en ''")["total"], 4) << "declared (en-US, en-GB) or detected";
  const json danube = search_json(index, "--outlet 'The Daily Meridian' danube");
  ASSERT_EQ(danube["total"], 1);
  EXPECT_EQ(danube["hits"][0]["date"], "2024-12-07T14:30:00+02:00") << "as the publisher wrote it";
  EXPECT_EQ(danube["hits"][0]["date_source"], "jsonld");
  EXPECT_EQ(danube["hits"][0]["url"], "https://dailymeridian.example/business/grain-barges-danube");
}

TEST(Stdin, ReadsJsonLinesFromDash) {
  TempDir dir;
  const CommandResult run = shell("printf '%s\\n' '{\"id\": \"s1\", \"title\": \"From stdin\"}' | " + quote(GAZETTE_BINARY) +
                        " index -i " + quote(dir / "index") + " -");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(search_json(dir / "index", "stdin")["hits"][0]["id"], "s1");
}

TEST(Crash, KillMidIndexKeepsEveryCommittedBatch) {
  TempDir dir;
  const std::string input = unpack(dir, "corpora/reuters21578/reuters21578.jsonl.zst", "reuters.jsonl");
  const std::string index = dir / "index";
  // Feed all of Reuters, then hold stdin open so the last partial batch stays uncommitted.
  // Both pids are kept: the test ends the indexer and its feeder by pid, nothing by name.
  const std::string pid_file = dir / "pid", feeder_pid_file = dir / "feeder-pid";
  shell("( (cat " + quote(input) + "; sleep 119 & echo $! > " + quote(feeder_pid_file) + "; wait) | " +
        quote(GAZETTE_BINARY) + " index --keep-duplicates --batch-size 1000 -i " + quote(index) +
        " - >/dev/null 2>&1 & echo $! > " + quote(pid_file) + " )");
  std::string pid;
  std::ifstream(pid_file) >> pid;
  ASSERT_FALSE(pid.empty());
  int articles = 0;
  for (int attempt = 0; attempt < 600 && articles < 21000; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const CommandResult stats = run_gazette("stats --json -i " + quote(index));
    if (stats.status == 0) articles = json::parse(stats.out)["articles"];
  }
  std::string feeder_pid;
  std::ifstream(feeder_pid_file) >> feeder_pid;
  shell("kill -9 " + pid + (feeder_pid.empty() ? std::string() : "; kill " + feeder_pid) + " || true");
  EXPECT_FALSE(feeder_pid.empty());
  ASSERT_EQ(articles, 21000);
  // After the kill the index opens, holds every committed batch, and accepts a writer.
  EXPECT_EQ(json::parse(run_gazette("stats --json -i " + quote(index)).out)["articles"], 21000);
  EXPECT_GT(search_json(index, "--limit 1 oil")["total"].get<int>(), 0);
  const CommandResult resumed = run_gazette("index --keep-duplicates -i " + quote(index) + " " + quote(input));
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("(578 new, 21000 replaced)"), std::string::npos) << resumed.out;
}

}  // namespace

namespace {

// A query of 60,000 nested parentheses once overflowed the parser's stack (SIGSEGV):
// now it is a syntax error naming where nesting went too deep, exit status 2.
TEST(Cli, DeeplyNestedQueryIsASyntaxError) {
  TempDir dir;
  const std::string index = dir / "index";
  ASSERT_EQ(run_gazette("index -q -i " + quote(index) + " " + quote(std::string(GAZETTE_SOURCE_DIR) + "/corpus")).status, 0);
  const CommandResult nested =
      run_gazette("search -i " + quote(index) + " " + quote(std::string(60000, '(') + "damascus" + std::string(60000, ')')));
  EXPECT_EQ(nested.status, 2) << nested.err;
  EXPECT_NE(nested.err.find("query syntax error at position 101: groups nested more than 100 deep"), std::string::npos)
      << nested.err;
}

}  // namespace

namespace {

// `-i` twice: the shipped Reuters and UCI samples, each in an index of its own, searched
// as one give the same totals, facets and analytics as one index holding both.
TEST(Cli, SeveralIndexesSearchAsOne) {
  TempDir dir;
  const std::string corpus = std::string(GAZETTE_SOURCE_DIR) + "/corpus/";
  const std::string whole = dir / "whole", reuters = dir / "reuters", uci = dir / "uci";
  for (const auto& [index, inputs] : {std::pair{whole, quote(corpus + "reuters-sample.jsonl") + " " +
                                                           quote(corpus + "uci-news-sample.jsonl")},
                                      std::pair{reuters, quote(corpus + "reuters-sample.jsonl")},
                                      std::pair{uci, quote(corpus + "uci-news-sample.jsonl")}}) {
    const CommandResult indexed = run_gazette("index -q --keep-duplicates -i " + quote(index) + " " + inputs);
    ASSERT_EQ(indexed.status, 0) << indexed.err;
  }
  const std::string both = quote(reuters) + " -i " + quote(uci);
  for (const std::string query : {"", "oil", "market OR bank", "market -price"}) {
    const std::string arguments = " --limit 0 --facet-size 1000 --date-facet day " + quote(query);
    const json one = search_json(whole, arguments);
    const CommandResult run = run_gazette("search --json -i " + both + arguments);
    ASSERT_EQ(run.status, 0) << run.err;
    const json two = json::parse(run.out);
    EXPECT_GT(one["total"].get<std::size_t>(), 0u) << query;
    EXPECT_EQ(two["total"], one["total"]) << query;
    EXPECT_EQ(two["facets"], one["facets"]) << query;
  }
  const CommandResult outlets_one = run_gazette("outlets --json -i " + quote(whole) + " oil");
  const CommandResult outlets_two = run_gazette("outlets --json -i " + both + " oil");
  ASSERT_EQ(outlets_two.status, 0) << outlets_two.err;
  EXPECT_EQ(json::parse(outlets_two.out), json::parse(outlets_one.out));
  const CommandResult exported = run_gazette("export -i " + both + " --fields id");
  const CommandResult exported_one = run_gazette("export -i " + quote(whole) + " --fields id");
  ASSERT_EQ(exported.status, 0) << exported.err;
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'),
            std::count(exported_one.out.begin(), exported_one.out.end(), '\n'));
}

}  // namespace

namespace {

// `gazette extract`: one JSON line per record read, in input order, as `gazette index`
// would store it (provenance included); a bad input is an error line in its place and
// exit status 1. The index is never touched.
TEST(Cli, ExtractPrintsWhatIndexWouldStore) {
  TempDir dir;
  const std::string fixtures = std::string(GAZETTE_SOURCE_DIR) + "/tests/fixtures/html/";
  { std::ofstream(dir / "bad.jsonl") << "{\"id\": \"a\", \"title\": \"T\", \"body\": \"b\"}\nnot json\n"; }
  const CommandResult run = run_gazette("extract " + quote(fixtures + "jsonld_graph.html") + " " + quote(dir / "bad.jsonl") +
                                        " " + quote(fixtures + "wordpress_comments.html"));
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("bad.jsonl:2"), std::string::npos) << run.err;
  std::vector<json> lines;
  std::istringstream out(run.out);
  for (std::string line; std::getline(out, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 4u) << run.out;
  const json expected = json::parse(std::ifstream(fixtures + "expected.json"));
  EXPECT_EQ(lines[0]["title"], expected["jsonld_graph.html"]["title"]);
  EXPECT_TRUE(lines[0]["provenance"].contains("body"));
  EXPECT_EQ(lines[1]["id"], "a");
  EXPECT_EQ(lines[2]["error"]["line"], 2);
  EXPECT_EQ(lines[3]["title"], expected["wordpress_comments.html"]["title"]);
  EXPECT_FALSE(lines[3]["comments"].get<std::string>().empty());
}

}  // namespace
