// Hostile and careless input (issue 24): over-long ids, outlets, tags and languages
// (Xapian stores terms of at most 245 bytes), and lines far over the size cap. One bad
// record never costs another, and a huge line costs no more memory than the cap.
#include <gtest/gtest.h>

#include <sstream>

#include "core/schema.h"
#include "gazette/errors.h"
#include "gazette/index_writer.h"
#include "gazette/search.h"
#include "indexer/clean/html_page.h"
#include "indexer/readers/readers.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

// Texts differ by id, so that none is a duplicate of another.
Article article(std::string id, std::string outlet = "Reuters") {
  Article made;
  made.id = std::move(id);
  made.title = "Cocoa crop report";
  made.body = "The cocoa harvest in Ghana came in below forecasts this season, report " + made.id + ".";
  made.outlet = std::move(outlet);
  made.lang = "en";
  made.date = parse_date("2024-12-07");
  return made;
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(LongTerms, TermsOfOverLongValuesStayWithinXapiansLimitAndDistinct) {
  // 2-byte characters, so the cut must fall between characters.
  const std::string long_outlet = repeat("é", 200);
  const std::string other_outlet = long_outlet + "x";
  for (const std::string& term : {core::schema::outlet_term(long_outlet), core::schema::tag_term(long_outlet),
                                  core::schema::lang_term(long_outlet), core::schema::story_term(long_outlet)}) {
    EXPECT_LE(term.size(), core::schema::kMaxTermBytes);
  }
  EXPECT_NE(core::schema::outlet_term(long_outlet), core::schema::outlet_term(other_outlet));
  EXPECT_EQ(core::schema::outlet_term("Reuters"), "XO:reuters");  // Short values as before.
  const std::string cut = core::schema::outlet_term(long_outlet);
  const std::string kept = cut.substr(0, cut.find('#'));
  EXPECT_EQ(kept.size() % 2, 1u) << "the prefix XO: and whole 2-byte characters";
}

TEST(LongTerms, ARecordWithLongOutletTagAndLanguageIsStoredWithTheRest) {
  TempDir dir;
  const std::string long_outlet = repeat("Long Outlet Name ", 20);  // 340 bytes.
  const std::string long_tag = repeat("ταυτότητα ", 30);
  {
    IndexWriter writer(dir.path().string(), WriterOptions{.batch_size = 5000});
    for (int i = 0; i < 2000; ++i) writer.add_async(article("good-" + std::to_string(i)), [](AddOutcome) {});
    Article odd = article("odd", long_outlet);
    odd.tags = {long_tag};
    odd.lang = repeat("x", 300);
    writer.add_async(odd, [](AddOutcome) {});
    for (int i = 2000; i < 2100; ++i) writer.add_async(article("good-" + std::to_string(i)), [](AddOutcome) {});
    writer.commit();
  }
  Searcher searcher(dir.path().string());
  SearchRequest all;
  EXPECT_EQ(searcher.search(all).total, 2101u);
  SearchRequest by_outlet;
  by_outlet.filters.outlets = {long_outlet};
  const SearchResponse found = searcher.search(by_outlet);
  ASSERT_EQ(found.total, 1u);
  EXPECT_EQ(found.hits.at(0).article.id, "odd");
  EXPECT_EQ(found.hits.at(0).article.outlet, long_outlet) << "stored whole";
  SearchRequest by_tag;
  by_tag.filters.tags = {long_tag};
  EXPECT_EQ(searcher.search(by_tag).total, 1u);
  bool faceted = false;
  for (const FacetValue& value : searcher.search(all).outlet_facet) faceted = faceted || value.value == long_outlet;
  EXPECT_TRUE(faceted) << "the facet names the outlet in full";
}

TEST(LongTerms, AnOverLongIdIsThatRecordsErrorAlone) {
  TempDir dir;
  const std::string long_id = repeat("i", core::schema::kMaxIdBytes + 1);
  {
    IndexWriter writer(dir.path().string());
    writer.add_async(article("before"), [](AddOutcome) {});
    try {
      writer.add_async(article(long_id), [](AddOutcome) {});
      ADD_FAILURE() << "an id of " << long_id.size() << " bytes was taken";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("at most 244"), std::string::npos) << error.what();
    }
    EXPECT_THROW(writer.add(article(long_id)), Error);
    writer.add(article(repeat("j", core::schema::kMaxIdBytes)));  // At the limit: fine.
    writer.add_async(article("after"), [](AddOutcome) {});
    writer.commit();
  }
  EXPECT_EQ(Searcher(dir.path().string()).search({}).total, 3u);
}

TEST(LongTerms, AJsonLinesRecordWithAnOverLongIdIsReportedAndTheOthersRead) {
  std::istringstream input("{\"id\": \"a\", \"title\": \"One\", \"body\": \"First text.\"}\n"
                           "{\"id\": \"" + repeat("x", 300) + "\", \"title\": \"Two\", \"body\": \"Second.\"}\n"
                           "{\"id\": \"c\", \"title\": \"Three\", \"body\": \"Third text.\"}\n");
  std::vector<std::string> ids, errors;
  indexer::read_jsonl(input, "feed.jsonl", ReadOptions{}, [&](ReadItem&& item) {
    if (const auto* read = std::get_if<Article>(&item.result)) {
      ids.push_back(read->id);
    } else {
      errors.push_back(std::get<InputError>(item.result).what());
    }
  });
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("feed.jsonl:2"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("id"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("300 bytes"), std::string::npos) << errors[0];
}

TEST(HostileUrls, APagesScriptUrlIsNotItsUrl) {
  const std::string page =
      "<html><head><title>Rains flood the valley</title>"
      "<link rel=\"canonical\" href=\"javascript:alert(document.domain)\">"
      "<meta property=\"og:url\" content=\"https://news.example/2024/12/07/rains\"></head>"
      "<body><article><h1>Rains flood the valley</h1><p>Heavy rains flooded the valley overnight, and the river "
      "rose above its banks for the first time in a decade, officials said on Saturday.</p></article></body></html>";
  EXPECT_EQ(indexer::clean::clean_html_page(page).url, "https://news.example/2024/12/07/rains");
  std::string only_script = page;
  only_script.replace(only_script.find("https://news.example/2024/12/07/rains"), 37, "data:text/html,hi");
  EXPECT_EQ(indexer::clean::clean_html_page(only_script).url, "") << "no web address: no url";
}

TEST(BoundedLines, LinesAreReadWholeUpToTheCapAndCutBeyondIt) {
  const std::size_t chunk = 64 * 1024;  // read_line's own buffer: lines around it too.
  const std::vector<std::size_t> lengths = {0, 1, chunk - 2, chunk - 1, chunk, chunk + 1, 3 * chunk + 7};
  std::string text;
  for (const std::size_t length : lengths) text += std::string(length, 'a') + "\n";
  text += "last\r\n";
  text += "no newline";
  std::istringstream input(text);
  std::string line;
  indexer::Line read;
  for (const std::size_t length : lengths) {
    ASSERT_TRUE(indexer::read_line(input, line, 0, read));
    EXPECT_EQ(line.size(), length);
    EXPECT_EQ(read.bytes, length + 1);
    EXPECT_FALSE(read.cut);
  }
  ASSERT_TRUE(indexer::read_line(input, line, 0, read));
  EXPECT_EQ(line, "last");
  ASSERT_TRUE(indexer::read_line(input, line, 0, read));
  EXPECT_EQ(line, "no newline");
  EXPECT_EQ(read.bytes, 10u);
  EXPECT_FALSE(indexer::read_line(input, line, 0, read));

  std::istringstream huge(std::string(5 * 1024 * 1024, '{') + "\nnext\n");
  line.clear();
  line.shrink_to_fit();
  ASSERT_TRUE(indexer::read_line(huge, line, 1000, read));
  EXPECT_TRUE(read.cut);
  EXPECT_EQ(line.size(), 1000u);
  EXPECT_LT(line.capacity(), 200 * 1024u) << "no more memory than the cap and one chunk";
  EXPECT_EQ(read.bytes, 5u * 1024 * 1024 + 1);
  ASSERT_TRUE(indexer::read_line(huge, line, 1000, read));
  EXPECT_EQ(line, "next");
}

TEST(BoundedLines, AJsonLinesLineOverTheCapIsSkippedAndTheNextRead) {
  std::istringstream input("{\"id\": \"a\", \"title\": \"One\", \"body\": \"First text.\"}\n"
                           "{\"id\": \"big\", \"body\": \"" + std::string(3 * 1024 * 1024, 'w') + "\"}\n"
                           "{\"id\": \"c\", \"title\": \"Three\", \"body\": \"Third text.\"}\n");
  ReadOptions options;
  options.max_article_bytes = 1024 * 1024;
  std::vector<std::string> ids, errors;
  indexer::read_jsonl(input, "feed.jsonl", options, [&](ReadItem&& item) {
    if (const auto* read = std::get_if<Article>(&item.result)) {
      ids.push_back(read->id);
    } else {
      errors.push_back(std::get<InputError>(item.result).what());
    }
  });
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("feed.jsonl:2"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("over the size cap of 1048576 bytes"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace gazette
