// Tests for the readers: JSON Lines and text articles, every bad-input case reported
// with file and line while the good records around it still come through.
#include "gazette/reader.h"

#include <gtest/gtest.h>

#include "indexer/readers/readers.h"
#include "tests/support/read_all.h"
#include "tests/support/temp_dir.h"

namespace gazette {
namespace {

using testing::TempDir;

using testing::Collected;
using testing::read_all;

TEST(JsonlReader, ReportsEachBadLineAndKeepsTheGoodOnes) {
  TempDir dir;
  const std::string file = dir.write("mixed.jsonl",
                                     "{\"id\": \"a\", \"title\": \"First\"}\n"
                                     "{\"id\": \"b\", \"title\": \"Broken\"\n"
                                     "\n"
                                     "{\"title\": \"no id\"}\n"
                                     "{\"id\": \"\", \"title\": \"empty id\"}\n"
                                     "{\"id\": \"c\", \"date\": \"07/12/2024\"}\n"
                                     "{\"id\": \"d\", \"title\": \"bad \xff byte\"}\n"
                                     "{\"id\": \"e\", \"title\": \"Last\", \"date\": \"2024-12-07\"}\r\n");
  const Collected read = read_all({file});
  ASSERT_EQ(read.articles.size(), 3u);
  EXPECT_EQ(read.articles[0].id, "a");
  EXPECT_EQ(read.articles[1].id, "c") << "a date that cannot be read costs the date, not the article";
  EXPECT_FALSE(read.articles[1].date);
  EXPECT_EQ(read.articles[2].id, "e");
  EXPECT_EQ(read.articles[2].title, "Last");
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_EQ(read.warnings[0].line(), 6u);
  EXPECT_NE(read.warnings[0].message().find("field 'date' cannot be read as a date: \"07/12/2024\""), std::string::npos);
  ASSERT_EQ(read.errors.size(), 4u);
  EXPECT_EQ(read.errors[0].line(), 2u);
  EXPECT_NE(read.errors[0].message().find("malformed JSON"), std::string::npos);
  EXPECT_EQ(read.errors[1].line(), 4u);
  EXPECT_EQ(read.errors[1].message(), "field 'id' is missing");
  EXPECT_EQ(read.errors[2].line(), 5u);
  EXPECT_EQ(read.errors[2].message(), "field 'id' is empty");
  EXPECT_EQ(read.errors[3].line(), 7u);
  EXPECT_NE(read.errors[3].message().find("invalid UTF-8"), std::string::npos);
  EXPECT_EQ(std::string(read.errors[3].what()).rfind(file + ":7: ", 0), 0u);
}

// A record nesting arrays 50,000 deep once overflowed the stack: it is refused by line
// with the limit named, before parsing, and the next record is read. Brackets inside
// strings do not count.
TEST(JsonlReader, DeepNestingIsRefusedByLine) {
  TempDir dir;
  const std::string file =
      dir.write("deep.jsonl", "{\"id\": \"deep\", \"x\": " + std::string(50000, '[') + std::string(50000, ']') +
                                  "}\n{\"id\": \"ok\", \"title\": \"" + std::string(500, '[') + "\"}\n");
  const Collected read = read_all({file});
  ASSERT_EQ(read.articles.size(), 1u);
  EXPECT_EQ(read.articles[0].id, "ok");
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0].line(), 1u);
  EXPECT_EQ(read.errors[0].message(), "arrays or objects nested more than 100 deep, skipped");
}

TEST(JsonlReader, DefaultsFillOnlyMissingFacets) {
  TempDir dir;
  const std::string file = dir.write("a.jsonl",
                                     "{\"id\": \"1\", \"outlet\": \"Reuters\"}\n"
                                     "{\"id\": \"2\"}\n");
  ReadOptions options;
  options.default_outlet = "Wire";
  options.default_date = parse_date("2024-01-01");
  const Collected read = read_all({file}, options);
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_EQ(read.articles[0].outlet, "Reuters");
  EXPECT_EQ(read.articles[1].outlet, "Wire");
  EXPECT_EQ(read.articles[1].date, parse_date("2024-01-01"));
}

TEST(TextReader, TitleIsFirstNonEmptyLineAndIdHashesRelativePath) {
  TempDir dir;
  dir.write("texts/one.txt", "\n\n  A Title  \n\nFirst paragraph.\n\nSecond.\n");
  dir.write("texts/sub/two.txt", "\xEF\xBB\xBFOnly a title");
  dir.write("texts/ignored.bin", "not an article");
  dir.write("texts/.hidden.txt", "hidden");
  const Collected read = read_all({dir / "texts"});
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_TRUE(read.errors.empty());
  EXPECT_EQ(read.articles[0].title, "A Title");
  EXPECT_EQ(read.articles[0].body, "First paragraph.\n\nSecond.");
  EXPECT_EQ(read.articles[0].id, "txt-" + indexer::stable_hash("one.txt"));
  EXPECT_EQ(read.articles[1].title, "Only a title");
  EXPECT_EQ(read.articles[1].id, "txt-" + indexer::stable_hash("sub/two.txt"));
  // The same tree read from elsewhere gives the same ids.
  EXPECT_EQ(read_all({dir / "texts"}).articles[1].id, read.articles[1].id);
}

TEST(TextReader, RejectsBinaryInvalidUtf8AndEmptyFiles) {
  TempDir dir;
  const std::string binary = dir.write("b.txt", std::string("PK\x03\x04\0\0data", 10));
  const std::string latin1 = dir.write("l.txt", "Title\nline two\ncaf\xe9\n");
  const std::string empty = dir.write("e.txt", " \n\n ");
  const std::string good = dir.write("g.txt", "Good\nbody");
  const Collected read = read_all({binary, latin1, empty, good});
  ASSERT_EQ(read.articles.size(), 1u);
  EXPECT_EQ(read.articles[0].title, "Good");
  ASSERT_EQ(read.errors.size(), 3u);
  EXPECT_NE(read.errors[0].message().find("binary file"), std::string::npos);
  EXPECT_EQ(read.errors[1].line(), 3u);
  EXPECT_NE(read.errors[1].message().find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(read.errors[2].message().find("no text"), std::string::npos);
}

TEST(TextReader, ReadsTheSeedArticles) {
  const std::string seeds = std::string(GAZETTE_SOURCE_DIR) + "/corpus/seeds";
  const Collected read = read_all({seeds});
  ASSERT_EQ(read.articles.size(), 2u);
  EXPECT_TRUE(read.errors.empty());
  EXPECT_NE(read.articles[0].body.find("Hayat Tahrir al-Sham"), std::string::npos);
  EXPECT_EQ(read.articles[1].title,
            "Syria: Jihadists are just 20 km from Damascus – Assad’s forces collapse");
}

TEST(Inputs, MissingInputIsReportedAndReadingGoesOn) {
  TempDir dir;
  const std::string good = dir.write("a.jsonl", "{\"id\": \"1\"}\n");
  const Collected read = read_all({"/no/such/place.jsonl", good});
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0].file(), "/no/such/place.jsonl");
  EXPECT_NE(read.errors[0].message().find("no such file"), std::string::npos);
  ASSERT_EQ(read.articles.size(), 1u);
  EXPECT_EQ(read.articles[0].id, "1");
}

TEST(Inputs, SizeIsKnownForFilesNotForStdin) {
  TempDir dir;
  dir.write("a.jsonl", "{\"id\": \"1\"}\n");
  EXPECT_EQ(input_size({dir / "a.jsonl"}), 12u);
  EXPECT_FALSE(input_size({"-"}));
}

}  // namespace
}  // namespace gazette
