// Tests for the article model: dates, periods, the JSON mapping and the schema terms.
#include <gtest/gtest.h>

#include "gazette/errors.h"

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

TEST(Dates, KeepTheOffsetWrittenAndReadTheBasicForm) {
  std::optional<int> offset = 99;
  EXPECT_EQ(parse_date("2020-04-16T01:00:03+05:30", &offset), parse_date("2020-04-15T19:30:03Z"));
  EXPECT_EQ(offset, 330);
  EXPECT_EQ(parse_date("2020-04-16T01:00:03Z", &offset), parse_date("2020-04-16T01:00:03"));
  EXPECT_EQ(offset, 0) << "Z is a zone: UTC";
  EXPECT_TRUE(parse_date("2020-04-16T01:00:03", &offset));
  EXPECT_FALSE(offset) << "no zone written";
  EXPECT_EQ(parse_date("20200316T13:00:00Z"), parse_date("2020-03-16T13:00:00Z")) << "basic form, as pages write it";
  EXPECT_EQ(parse_date("20200316T130000-0400"), parse_date("2020-03-16T17:00:00Z"));
  EXPECT_FALSE(parse_date("20200316")) << "eight digits alone are not read as a date";
}

TEST(Dates, FormatOnTheClockTheyWereWrittenIn) {
  const UnixSeconds instant = *parse_date("2020-04-15T19:30:03Z");
  EXPECT_EQ(format_timestamp(instant, 330), "2020-04-16T01:00:03+05:30");
  EXPECT_EQ(format_timestamp(instant, -240), "2020-04-15T15:30:03-04:00");
  EXPECT_EQ(format_timestamp(instant, 0), "2020-04-15T19:30:03Z");
  EXPECT_EQ(format_timestamp(instant, std::nullopt), "2020-04-15T19:30:03Z");
  Article article;
  article.date = instant;
  article.date_offset = 330;
  EXPECT_EQ(format_day(publisher_clock(article)), "2020-04-16") << "the publisher's day";
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
  // Damaged stored data is the index's error, said as such, not a JSON library's.
  EXPECT_THROW(core::decode_stored("{\"id\": \"cut", true), IndexError);
  EXPECT_THROW(core::decode_stored("[1, 2]", true), IndexError);
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

TEST(ArticleJson, StoredDataKeepsTheClockAndSourceOfTheDate) {
  Article article;
  article.id = "p";
  article.date = parse_date("2020-04-16T01:00:03+05:30", &article.date_offset);
  article.date_source = "jsonld";
  const Article back = core::decode_stored(core::encode_stored(article));
  EXPECT_EQ(back, article);
  EXPECT_EQ(back.date_offset, 330);
  EXPECT_EQ(core::article_to_json(back)["date"], "2020-04-16T01:00:03+05:30");
  EXPECT_EQ(core::article_to_json(back)["date_source"], "jsonld");
  EXPECT_FALSE(core::article_to_json(Article{.id = "u"}).contains("date_source")) << "undated: no source";
}

// Input records: the common forms are read, an unreadable date costs the date, not the record.
TEST(ArticleJson, RecordDatesInTheCommonFormsAndUnreadableOnesUndated) {
  const auto read = [](const char* date, const std::string& format = {}) {
    core::RecordDates dates{format, {}};
    const Article article = core::article_from_json(
        nlohmann::json::parse(std::string(R"({"id": "a", "date": )") + date + "}"), &dates);
    return std::pair{article.date ? format_timestamp(*article.date, article.date_offset) : dates.problem,
                     article.date_source};
  };
  EXPECT_EQ(read(R"("2024-12-07T13:03:00+01:00")").first, "2024-12-07T13:03:00+01:00");
  EXPECT_EQ(read(R"("2024-12-07 13:03")").first, "2024-12-07T13:03:00Z");
  EXPECT_EQ(read(R"("Sat, 07 Dec 2024 13:03:00 +0100")").first, "2024-12-07T13:03:00+01:00") << "RFC 2822";
  EXPECT_EQ(read(R"("Sat, 07 Dec 2024 12:03:00 GMT")").first, "2024-12-07T12:03:00Z");
  EXPECT_EQ(read("1733576580").first, "2024-12-07T13:03:00Z") << "epoch seconds";
  EXPECT_EQ(read("1733576580123").first, "2024-12-07T13:03:00Z") << "epoch milliseconds";
  EXPECT_EQ(read(R"("1733576580")").first, "2024-12-07T13:03:00Z") << "epoch seconds as text";
  EXPECT_EQ(read("541350061").first, "1987-02-26T15:01:01Z") << "old dates are the record's own: kept";
  EXPECT_EQ(read(R"("2024-12-07")").second, "record");
  // Ambiguous: 7 December or 12 July. Not guessed, not fatal.
  EXPECT_NE(read(R"("07/12/2024")").first.find("field 'date' cannot be read as a date: \"07/12/2024\""),
            std::string::npos);
  EXPECT_EQ(read(R"("07/12/2024")").second, "");
  EXPECT_EQ(read(R"("07/12/2024")", "%d/%m/%Y").first, "2024-12-07T00:00:00Z") << "--date-format names the order";
  EXPECT_EQ(read(R"("07/12/2024 13:03 +0100")", "%d/%m/%Y %H:%M %z").first, "2024-12-07T13:03:00+01:00");
  EXPECT_EQ(read(R"("2024-12-07")", "%d/%m/%Y").first, "2024-12-07T00:00:00Z") << "the common forms still read";
  EXPECT_NE(read(R"("next week")").first.find("indexed undated"), std::string::npos);
  EXPECT_NE(read("true").first.find("cannot be read"), std::string::npos);
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
