// Tests for the article model: dates, periods, the JSON mapping and the schema terms.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/article_json.h"
#include "core/schema.h"
#include "gazette/article.h"

namespace gazette {
namespace {

TEST(Dates, ParsesIsoForms) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("1970-01-02"), 86400);
  EXPECT_EQ(parse_date("1987-02-26T15:01:01"), 541350061);
  EXPECT_EQ(parse_date("1987-02-26 15:01:01"), 541350061);
  EXPECT_EQ(parse_date("1987-02-26T15:01:01Z"), 541350061);
  EXPECT_EQ(parse_date("1987-02-26T17:01:01+02:00"), 541350061);
  EXPECT_EQ(parse_date("1987-02-26T10:01:01.250-0500"), 541350061);
  EXPECT_EQ(parse_date("1987-02-26T15:01"), 541350060);
}

TEST(Dates, RejectsWhatIsNotADate) {
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("yesterday"));
  EXPECT_FALSE(parse_date("2024-02-30"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-12-07T25:00"));
  EXPECT_FALSE(parse_date("2024-12-07 garbage"));
  EXPECT_TRUE(parse_date("2024-02-29"));
}

TEST(Dates, FormatsUtc) {
  EXPECT_EQ(format_day(541350061), "1987-02-26");
  EXPECT_EQ(format_timestamp(541350061), "1987-02-26T15:01:01Z");
  EXPECT_EQ(format_day(-86400), "1969-12-31");
}

TEST(Dates, PeriodsCoverWholeDaysMonthsYears) {
  const auto day = parse_period("2024-12-07");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->second - day->first, 86399);
  const auto february = parse_period("2024-02");
  ASSERT_TRUE(february);
  EXPECT_EQ(format_day(february->first), "2024-02-01");
  EXPECT_EQ(format_timestamp(february->second), "2024-02-29T23:59:59Z");
  const auto year = parse_period("1987");
  ASSERT_TRUE(year);
  EXPECT_EQ(format_timestamp(year->second), "1987-12-31T23:59:59Z");
  EXPECT_FALSE(parse_period("2024-13"));
  EXPECT_FALSE(parse_period("87"));
}

TEST(ArticleJson, ReadsTheCommonShapeAndKeepsExtraFields) {
  const auto object = nlohmann::json::parse(R"({"id": "r-1", "url": null, "title": "T", "body": "B",
      "date": "1987-02-26T15:01:01", "outlet": "Reuters", "authors": ["A"], "lang": "en",
      "tags": ["cocoa"], "places": ["el-salvador", "usa"], "dateline": "SALVADOR, Feb 26 -"})");
  const Article article = core::article_from_json(object);
  EXPECT_EQ(article.id, "r-1");
  EXPECT_EQ(article.url, "");
  EXPECT_EQ(article.date, 541350061);
  EXPECT_EQ(article.tags, std::vector<std::string>{"cocoa"});
  ASSERT_EQ(article.extra.size(), 2u);
  EXPECT_EQ(core::decode_stored(core::encode_stored(article)), article);
  Article without_body = article;
  without_body.body.clear();
  EXPECT_EQ(core::decode_stored(core::encode_stored(article), /*with_body=*/false), without_body);
  Article multiline = article;
  multiline.body = "Line one\nline two with \"quotes\" and {braces}";
  EXPECT_EQ(core::decode_stored(core::encode_stored(multiline)), multiline);
  EXPECT_EQ(core::article_to_json(article)["places"][1], "usa");
}

TEST(ArticleJson, NamesTheBadField) {
  const auto error_for = [](const char* text) -> std::string {
    try {
      core::article_from_json(nlohmann::json::parse(text));
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_for(R"({"title": "x"})"), "field 'id' is missing");
  EXPECT_EQ(error_for(R"({"id": "  "})"), "field 'id' is empty");
  EXPECT_EQ(error_for(R"({"id": "a", "date": "next week"})"),
            "field 'date' cannot be parsed as a date: \"next week\"");
  EXPECT_EQ(error_for(R"({"id": "a", "title": 5})"), "field 'title' must be a string, not number");
  EXPECT_EQ(error_for(R"({"id": "a", "tags": [1]})"), "field 'tags' must hold only strings, found number");
  EXPECT_EQ(error_for(R"([1, 2])"), "record must be a JSON object, not array");
}

TEST(Schema, TermsAreNormalisedAndPrefixed) {
  namespace schema = core::schema;
  EXPECT_EQ(schema::id_term("reuters21578-1"), "Qreuters21578-1");
  EXPECT_EQ(schema::outlet_term("Los Angeles  Times"), "XO:los angeles times");
  EXPECT_EQ(schema::outlet_term("Los Angeles Times"), schema::outlet_term("los angeles times"));
  EXPECT_EQ(schema::tag_term("Crude"), "XT:crude");
  EXPECT_EQ(schema::lang_term(""), "XL:en");
  EXPECT_EQ(schema::lang_term("EL"), "XL:el");
  const UnixSeconds date = *parse_date("2024-12-07T13:03:00");
  EXPECT_EQ(schema::day_term(date), "D20241207");
  EXPECT_EQ(schema::month_term(date), "M202412");
  EXPECT_EQ(schema::year_term(date), "Y2024");
  EXPECT_EQ(schema::day_key(date), "20241207");
}

}  // namespace
}  // namespace gazette
